from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import audit_chain, checks, notifications, signals  # noqa: F401 - registers handlers, receivers, checks
        from .querysets import clear_permission_cache
        from .security import lockout, sessions  # noqa: F401 - receivers

        post_migrate.connect(clear_permission_cache, dispatch_uid="portal.clear_permission_cache")
