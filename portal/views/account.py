"""My account's security: the second factor (enrolment, verification, recovery codes),
my signed-in sessions and my API tokens. Secrets (recovery codes, a new token) are
rendered once in the response to the POST that made them and stored nowhere readable.

Every page that changes the second factor needs a session verified with it (checked
here as well as by ``SecondFactorMiddleware``) and a current code in the same POST."""

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
from django.utils.translation import gettext_lazy
from django.views import View

from ..exceptions import ServiceError
from ..forms import ApiTokenForm, CurrentCodeForm, ReplaceAuthenticatorForm, SecondFactorForm
from ..models import ApiToken, UserSession
from ..security import sessions, tokens, twofactor


def _next_url(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


WRONG_CURRENT_CODE = gettext_lazy(
    "That current code is not right, or it was already used. Enter the code your "
    "authenticator app shows now, or one of your unused recovery codes."
)


def _security_page(request, status: int = 200, **forms):
    """The second factor's state, the recovery codes left and my active sessions; the
    step-up forms unbound unless a refused one is passed back with its errors."""
    user = request.user
    recovery = twofactor.recovery_device(user)
    context = {
        "authenticator": twofactor.authenticator(user),
        "recovery_left": recovery.token_set.count() if recovery else 0,
        "required": settings.PORTAL_REQUIRE_2FA,
        "sessions": sessions.active(UserSession.objects.filter(user=user)),
        "current_key": request.session.session_key,
        "renew_form": forms.get("renew_form") or CurrentCodeForm(auto_id="renew_%s"),
        "remove_form": forms.get("remove_form") or CurrentCodeForm(auto_id="remove_%s"),
    }
    return render(request, "account/security.html", context, status=status)


class SecurityView(LoginRequiredMixin, View):
    def get(self, request):
        return _security_page(request)


class VerifiedSessionRequiredMixin(LoginRequiredMixin):
    """A user with an authenticator verifies it before any page that changes the second
    factor, whatever the middleware lets through (and in the demo, where the middleware
    asks only sessions that signed in enrolled)."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_verified() and twofactor.authenticator(user) is not None:
            back = request.get_full_path() if request.method == "GET" else reverse("account-security")
            return redirect(f"{reverse('otp-verify')}?next={quote(back)}")
        return super().dispatch(request, *args, **kwargs)


class SecondFactorSetupView(VerifiedSessionRequiredMixin, View):
    """Enrol an authenticator app: scan the QR code, type the first code, receive the
    recovery codes. A user who already has one must have verified it in this session
    and give a current code again to replace it."""

    template_name = "account/otp_setup.html"

    def form_class(self):
        return ReplaceAuthenticatorForm if twofactor.authenticator(self.request.user) else SecondFactorForm

    def render_form(self, request, form, status=200):
        device = twofactor.start_enrolment(request.user)
        context = {
            "form": form,
            "qr": twofactor.qr_svg(device),
            "secret": twofactor.secret_text(device),
            "next": _next_url(request),
            "replacing": isinstance(form, ReplaceAuthenticatorForm),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_form(request, self.form_class()())

    def post(self, request):
        form = self.form_class()(request.POST)
        if form.is_valid():
            device = twofactor.start_enrolment(request.user)
            try:
                codes = twofactor.confirm_enrolment(
                    request, device, form.cleaned_data["token"], form.cleaned_data.get("current_token", "")
                )
            except twofactor.CodeRefused as refused:
                if refused.field == "current_token":
                    form.add_error("current_token", WRONG_CURRENT_CODE)
                else:
                    form.add_error(
                        "token", _("That code is not right. Check the time on your phone and try again.")
                    )
            else:
                return render(
                    request, "account/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
                )
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


class RecoveryCodesView(VerifiedSessionRequiredMixin, View):
    """Issue new recovery codes (the old ones stop working) and show them once; a
    current code is asked again first."""

    http_method_names = ["post"]

    def post(self, request):
        if twofactor.authenticator(request.user) is None:
            raise Http404
        form = CurrentCodeForm(request.POST, auto_id="renew_%s")
        if form.is_valid():
            try:
                codes = twofactor.renew_recovery_codes(request, form.cleaned_data["current_token"])
            except twofactor.CodeRefused:
                form.add_error("current_token", WRONG_CURRENT_CODE)
            else:
                response = render(
                    request,
                    "account/recovery_codes.html",
                    {"codes": codes, "next": reverse("account-security")},
                )
                response["Cache-Control"] = "no-store"
                return response
        return _security_page(request, status=400, renew_form=form)


class SecondFactorRemoveView(VerifiedSessionRequiredMixin, View):
    """Remove my authenticator and recovery codes, where the second factor is optional;
    a current code is asked again first."""

    http_method_names = ["post"]

    def post(self, request):
        if twofactor.authenticator(request.user) is None:
            raise Http404
        if settings.PORTAL_REQUIRE_2FA:
            return self.refuse(request)
        form = CurrentCodeForm(request.POST, auto_id="remove_%s")
        if form.is_valid():
            try:
                twofactor.remove(request, form.cleaned_data["current_token"])
            except twofactor.SecondFactorRequired:
                return self.refuse(request)
            except twofactor.CodeRefused:
                form.add_error("current_token", WRONG_CURRENT_CODE)
            else:
                messages.success(request, _("The second factor was removed."))
                return redirect("account-security")
        return _security_page(request, status=400, remove_form=form)

    @staticmethod
    def refuse(request):
        messages.error(
            request,
            _(
                "A second factor is required to sign in, so it cannot be removed. "
                "To change phones, enrol a new phone instead."
            ),
        )
        return _security_page(request, status=403)


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


class TokenListView(VerifiedSessionRequiredMixin, View):
    """My API tokens; a new one is shown once, on the page that created it. A token
    outlives the session, so a user with an authenticator makes one only from a session
    verified with it (the middleware asks that too where the factor is required)."""

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
            except ServiceError as exc:
                form.add_error(None, exc.message)
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
