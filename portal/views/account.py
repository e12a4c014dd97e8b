"""My account's security: the second factor (enrolment, verification, recovery codes),
my signed-in sessions and my API tokens. Secrets (recovery codes, a new token) are
rendered once in the response to the POST that made them and stored nowhere readable."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from ..exceptions import InvalidInput, PermissionDenied
from ..forms import ApiTokenForm, SecondFactorForm
from ..models import ApiToken, UserSession
from ..security import sessions, tokens, twofactor


def _next_url(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


class SecurityView(LoginRequiredMixin, TemplateView):
    """The second factor's state, the recovery codes left and my active sessions."""

    template_name = "account/security.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        recovery = twofactor.recovery_device(user)
        context.update(
            authenticator=twofactor.authenticator(user),
            recovery_left=recovery.token_set.count() if recovery else 0,
            required=settings.PORTAL_REQUIRE_2FA,
            sessions=sessions.active(UserSession.objects.filter(user=user)),
            current_key=self.request.session.session_key,
        )
        return context


class SecondFactorSetupView(LoginRequiredMixin, View):
    """Enrol an authenticator app: scan the QR code, type the first code, receive the
    recovery codes. A user who already has one must verify it before replacing it."""

    template_name = "account/otp_setup.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and twofactor.authenticator(user) is not None and not user.is_verified():
            return redirect(f"{reverse('otp-verify')}?next={quote(request.get_full_path())}")
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, request, form, status=200):
        device = twofactor.start_enrolment(request.user)
        context = {
            "form": form,
            "qr": twofactor.qr_svg(device),
            "secret": twofactor.secret_text(device),
            "next": _next_url(request),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_form(request, SecondFactorForm())

    def post(self, request):
        form = SecondFactorForm(request.POST)
        if form.is_valid():
            device = twofactor.start_enrolment(request.user)
            codes = twofactor.confirm_enrolment(request, device, form.cleaned_data["token"])
            if codes is not None:
                return render(
                    request, "account/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
                )
            form.add_error("token", _("That code is not right. Check the time on your phone and try again."))
        return self.render_form(request, form, status=400)


class SecondFactorVerifyView(LoginRequiredMixin, View):
    """The second step of signing in."""

    template_name = "account/otp_verify.html"

    def get(self, request):
        if twofactor.authenticator(request.user) is None:
            return redirect("otp-setup")
        return render(request, self.template_name, {"form": SecondFactorForm(), "next": _next_url(request)})

    def post(self, request):
        form = SecondFactorForm(request.POST)
        if form.is_valid() and twofactor.verify(request, form.cleaned_data["token"]):
            return redirect(_next_url(request))
        if form.is_valid():
            form.add_error("token", _("That code is not right, or it was already used."))
        context = {"form": form, "next": _next_url(request)}
        return render(request, self.template_name, context, status=400)


class RecoveryCodesView(LoginRequiredMixin, View):
    """Issue new recovery codes (the old ones stop working) and show them once."""

    http_method_names = ["post"]

    def post(self, request):
        if twofactor.authenticator(request.user) is None:
            raise Http404
        codes = twofactor.issue_recovery_codes(request.user)
        return render(request, "account/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


class SessionEndView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        row = UserSession.objects.filter(pk=pk, user=request.user).first()
        if row is None:
            raise Http404
        current = row.session_key == request.session.session_key
        sessions.end(row, request.user)
        if current:
            return redirect("login")
        messages.success(request, _("The session was ended."))
        return redirect("account-security")


class TokenListView(LoginRequiredMixin, View):
    """My API tokens; a new one is shown once, on the page that created it."""

    template_name = "account/tokens.html"

    def context(self, request, form, created=None, raw=None):
        return {
            "form": form,
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
            "created": created,
            "raw_token": raw,
        }

    def get(self, request):
        form = ApiTokenForm(max_days=settings.API_TOKEN_MAX_DAYS)
        return render(request, self.template_name, self.context(request, form))

    def post(self, request):
        form = ApiTokenForm(request.POST, max_days=settings.API_TOKEN_MAX_DAYS)
        if form.is_valid():
            try:
                token, raw = tokens.create(request.user, **form.cleaned_data)
            except (InvalidInput, PermissionDenied) as exc:
                form.add_error(None, getattr(exc, "message", str(exc)))
            else:
                response = render(request, self.template_name, self.context(request, form, token, raw))
                response["Cache-Control"] = "no-store"
                return response
        return render(request, self.template_name, self.context(request, form), status=400)


class TokenRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        token = ApiToken.objects.filter(pk=pk, user=request.user).first()
        if token is None:
            raise Http404
        tokens.revoke(token, request.user)
        messages.success(request, _("The token was revoked."))
        return redirect("account-tokens")
