"""Django admin of the tests and their sessions. The tests are reference data the
administrators keep (names, bodies, certificate patterns, checked as regular
expressions by the model's validator); sessions are read here, changed by the services
(``exams.sessions.services``) from the pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import ReadOnlyAdmin

from ..models import Exam, ExamSession


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_en",
        "kind",
        "sector",
        "level",
        "certificate_pattern",
        "is_open",
        "sort_order",
    ]
    list_filter = ["kind", "is_open", "sector"]
    list_editable = ["is_open", "sort_order"]
    search_fields = ["code", "name_en", "name_ja", "name_ru", "name_tg"]
    fieldsets = [
        (None, {"fields": ["code", "kind", "sector", "level", "is_open", "sort_order"]}),
        (_("Names"), {"fields": ["name_ja", "name_en", "name_ru", "name_tg"]}),
        (_("Administering body"), {"fields": ["body_ja", "body_en", "body_ru", "body_tg"]}),
        (_("Certificate numbers"), {"fields": ["certificate_pattern", "certificate_example"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        # Sessions, fraud reports and results name the test: it is closed, not deleted.
        return False


@admin.register(ExamSession)
class ExamSessionAdmin(ReadOnlyAdmin):
    list_display = ["exam", "starts_on", "ends_on", "city", "organization", "candidates"]
    list_filter = ["exam"]
    date_hierarchy = "starts_on"
