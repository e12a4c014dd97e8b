"""Admin: improvement orders are read here, never changed (every change is a service);
opening one is audited as a read."""

from django.contrib import admin

from notices.models import ImprovementOrder
from portal.admin import ConfidentialRecordAdmin


@admin.register(ImprovementOrder)
class ImprovementOrderAdmin(ConfidentialRecordAdmin):
    list_display = [
        "reference",
        "organization_name",
        "prefecture",
        "sector",
        "issued_on",
        "status",
        "state",
        "shared_at",
        "acknowledged_at",
    ]
    list_filter = ["state", "sector"]
    search_fields = ["reference", "organization_name", "corporate_number"]
