"""Django admin of the inquiries part: inquiries are read here, never changed (every
change is a service); opening one is audited as a read."""

from django.contrib import admin

from notices.models import Inquiry
from portal.admin import ConfidentialRecordAdmin


@admin.register(Inquiry)
class InquiryAdmin(ConfidentialRecordAdmin):
    list_display = ["reference", "status", "shared_at", "due_on", "answered_at", "answered_late"]
    list_filter = ["status", "answered_late"]
    search_fields = ["reference"]
