"""Admin: brokers, their names and misconduct reports are read here, never changed
(every change is a service). Opening a broker or a report is audited as a read, and
identifiers are shown masked: the admin is no way round ``identifiers_visible``."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import ConfidentialRecordAdmin, ReadOnlyAdmin

from .models import Broker, BrokerName, MisconductReport, mask


class BrokerNameInline(admin.TabularInline):
    model = BrokerName
    fk_name = "broker"
    extra = 0
    can_delete = False
    fields = readonly_fields = ["name", "key", "merged_from"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Broker)
class BrokerAdmin(ConfidentialRecordAdmin):
    list_display = ["name", "reference", "kind", "country", "origin", "status", "merged_into"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["name", "reference", "names__name"]
    exclude = list(Broker.identifier_fields)
    readonly_fields = ["masked_identifiers"]
    inlines = [BrokerNameInline]

    @admin.display(description=_("identifiers (masked)"))
    def masked_identifiers(self, obj) -> str:
        values = [mask(getattr(obj, name)) for name in Broker.identifier_fields if getattr(obj, name)]
        return " · ".join(values) or "—"


@admin.register(BrokerName)
class BrokerNameAdmin(ReadOnlyAdmin):
    list_display = ["name", "key", "broker"]
    search_fields = ["name", "key"]


@admin.register(MisconductReport)
class MisconductReportAdmin(ConfidentialRecordAdmin):
    list_display = [
        "reference",
        "origin",
        "categories",
        "status",
        "stage",
        "created_at",
        "shared_at",
        "acknowledged_at",
    ]
    list_filter = ["status", "stage"]
    search_fields = ["reference"]
