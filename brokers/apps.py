from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokersConfig(AppConfig):
    name = "brokers"
    verbose_name = _("Brokers")

    def ready(self) -> None:
        from . import registry

        registry.register()
