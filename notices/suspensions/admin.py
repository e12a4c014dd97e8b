"""Admin: suspensions are read here, never changed (every change is a service);
opening one is audited as a read."""

from django.contrib import admin

from notices.models import AcceptanceSuspension
from portal.admin import ConfidentialRecordAdmin


@admin.register(AcceptanceSuspension)
class AcceptanceSuspensionAdmin(ConfidentialRecordAdmin):
    list_display = ["reference", "sector", "suspended_from", "state", "lifted_on", "status", "shared_at"]
    list_filter = ["state", "sector"]
    search_fields = ["reference"]
