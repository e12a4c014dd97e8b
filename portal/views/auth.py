from django.contrib.auth import views as auth_views

from .. import audit


class AuditedPasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.log("auth.password_changed", actor=self.request.user)
        return response
