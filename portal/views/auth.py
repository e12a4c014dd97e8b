from django.contrib.auth import views as auth_views
from django.db import transaction

from .. import audit
from ..security import sessions


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
