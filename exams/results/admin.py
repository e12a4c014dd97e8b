"""Admin of the pass-result register: read only. The register is read nowhere else (no
page, no API): an administrator finds a result by its certificate number, and each one
opened is audited as a read. Imports are read here too, never changed (every change is
an import, ``exams.results.services``)."""

from django.contrib import admin

from portal.admin import ConfidentialRecordAdmin, ReadOnlyAdmin

from ..models import PassResult, ResultImport


@admin.register(PassResult)
class PassResultAdmin(ConfidentialRecordAdmin):
    list_display = ["certificate_number", "exam", "test_date", "result", "updated_at"]
    list_filter = ["exam"]
    search_fields = ["=certificate_number"]
    list_select_related = ["exam"]
    show_full_result_count = False  # hundreds of thousands of rows: no second COUNT a page

    def get_search_results(self, request, queryset, search_term):
        from .reading import normal_number

        return super().get_search_results(request, queryset, normal_number(search_term))


@admin.register(ResultImport)
class ResultImportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "organization", "status", "rows", "added", "changed", "refused", "uploaded_at"]
    list_filter = ["status"]
    exclude = ["file"]
