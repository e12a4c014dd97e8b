"""Django admin of the returns part: requests are read here, never changed (every change
is a service); opening one is audited as a read. The persons are not shown here: their
personal data are read only on the request's page, by the contact points and the
Embassy, each read audited."""

from django.contrib import admin

from notices.models import ReturnRequest
from portal.admin import ConfidentialRecordAdmin


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ConfidentialRecordAdmin):
    list_display = ["reference", "state", "status", "shared_at", "closed_at", "personal_data_erased_at"]
    list_filter = ["state"]
    search_fields = ["reference"]
