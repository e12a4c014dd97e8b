"""Admin: consultations are read here, never changed (every change is a service);
opening one is audited as a read."""

from django.contrib import admin
from django.db import models

from notices.models import Consultation
from portal.admin import ConfidentialRecordAdmin


@admin.register(Consultation)
class ConsultationAdmin(ConfidentialRecordAdmin):
    list_display = ["reference", "kind", "starts_at", "status", "shared_at"]
    list_filter = ["kind"]
    search_fields = ["reference"]
    # The video link is an https address (the model refuses any other scheme).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
