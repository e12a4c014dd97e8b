from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Sending agencies")

    def ready(self) -> None:
        from . import publication, registry  # noqa: F401 - publication registers its outbox handlers

        registry.register()
