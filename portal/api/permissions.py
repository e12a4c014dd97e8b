from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission


class PortalPermission(BasePermission):
    """Signed-in users only; analysts and third-party viewers read, never write.
    Which objects a user reaches is decided by ``restrict()`` in the base viewset."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method not in SAFE_METHODS and getattr(request.auth, "read_only", False):
            self.message = _("This API token is read-only.")
            return False
        if request.method in SAFE_METHODS or user.is_superuser or user.can_write:
            return True
        # Actions any member may take on their own organization's items (mark as read).
        return getattr(view, "action", None) in getattr(view, "any_role_actions", ())
