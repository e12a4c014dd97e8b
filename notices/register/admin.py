"""Admin: the register's organizations and imports are read here, never changed (every
change is an import, ``notices.register.services``); opening an import is audited as a
read, as for every shared record."""

from django.contrib import admin

from portal.admin import ConfidentialRecordAdmin, ReadOnlyAdmin

from ..models import RegisterImport, SupportOrganization


@admin.register(SupportOrganization)
class SupportOrganizationAdmin(ReadOnlyAdmin):
    list_display = ["registration_number", "name", "prefecture", "first_seen_on", "changed_on", "removed_on"]
    list_filter = ["prefecture", ("removed_on", admin.EmptyFieldListFilter)]
    search_fields = ["registration_number", "name"]
    show_full_result_count = False  # 100,000 rows: no second COUNT a page


@admin.register(RegisterImport)
class RegisterImportAdmin(ConfidentialRecordAdmin):
    list_display = ["__str__", "as_of", "origin", "status", "created_at", "applied_at"]
    list_filter = ["status"]
    exclude = list(RegisterImport.LISTS)

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*RegisterImport.LISTS)
