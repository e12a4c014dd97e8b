from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .. import audit
from ..forms import UnlockForm
from ..security import lockout, sessions
from .account import _next_url


class AuditedPasswordChangeView(auth_views.PasswordChangeView):
    """A password change keeps this session (Django gives it a new key) and ends every
    other session of the user: a stolen cookie dies with the old password."""

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)
        user = self.request.user
        with transaction.atomic():
            sessions.rekey(self.request, user, old_key)
            ended = sessions.end_others(user, keep_key=self.request.session.session_key)
            audit.log("auth.password_changed", actor=user, after={"other_sessions_ended": ended})
        return response


class SelfUnlockView(View):
    """Lift one's own sign-in lockout with the password and the second factor, linked
    from the lockout page. Every refusal reads the same, known account or not."""

    template_name = "registration/unlock.html"

    def page(self, request, form, status=200):
        return render(request, self.template_name, {"form": form, "next": _next_url(request)}, status=status)

    def get(self, request):
        return self.page(request, UnlockForm())

    def post(self, request):
        form = UnlockForm(request.POST)
        if not lockout.self_unlock_allowed(request):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "There were too many unsuccessful attempts from here. Try again later, or ask "
                    "an administrator of the portal to lift the pause."
                ),
            )
            return self.page(request, form, status=429)
        if form.is_valid():
            data = form.cleaned_data
            if lockout.self_unlock(request, data["username"], data["password"], data["token"]):
                return redirect(_next_url(request))
            form.data = form.data.copy()
            form.data["token"] = ""  # a refused code is not shown back
            form.add_error(
                None,
                _(
                    "The username, password or code is not right, or the code was already used. "
                    "Nothing was unlocked."
                ),
            )
        return self.page(request, form, status=400)
