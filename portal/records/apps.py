from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "portal.records"
    label = "records"
    verbose_name = _("Shared records")

    def ready(self) -> None:
        from . import registry

        registry.register()
