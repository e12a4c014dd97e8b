"""Django admin of the cooperation part: requests are read here, never changed (every
change is a service); opening one is audited as a read."""

from django.contrib import admin

from portal.admin import ConfidentialRecordAdmin

from ..models import CooperationRequest


@admin.register(CooperationRequest)
class CooperationRequestAdmin(ConfidentialRecordAdmin):
    list_display = ["reference", "status", "stage", "kind", "shared_at", "due_on", "answered_at"]
    list_filter = ["status", "stage", "kind"]
    search_fields = ["reference"]
