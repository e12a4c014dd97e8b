"""Admin: fraud reports are read here, never changed (every change is a service);
opening one is audited as a read."""

from django.contrib import admin

from portal.admin import ConfidentialRecordAdmin

from ..models import FraudReport


@admin.register(FraudReport)
class FraudReportAdmin(ConfidentialRecordAdmin):
    list_display = [
        "reference",
        "origin",
        "kind",
        "status",
        "stage",
        "created_at",
        "shared_at",
        "acknowledged_at",
    ]
    list_filter = ["status", "stage", "kind"]
    search_fields = ["reference"]
