"""Admin: reference data (sectors, screening criteria) is editable; the register and
its versions are read here, changed only through the services."""

from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from . import services
from .models import AgencyEvent, ScreeningCriterion, Sector, SendingAgency


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "ministry", "is_open", "sort_order"]
    list_editable = ["is_open", "sort_order"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or {"code", "name_ja", "name_en", "name_ru", "name_tg"} & set(form.changed_data):
            services.sectors_changed()


@admin.register(ScreeningCriterion)
class ScreeningCriterionAdmin(admin.ModelAdmin):
    list_display = ["number", "text_en", "mandatory", "active"]
    list_editable = ["mandatory", "active"]


class AgencyEventInline(admin.TabularInline):
    model = AgencyEvent
    extra = 0
    can_delete = False
    readonly_fields = [
        "at",
        "from_status",
        "to_status",
        "effective_on",
        "actor",
        "public_reason",
        "reason",
        "acknowledged_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SendingAgency)
class SendingAgencyAdmin(ReadOnlyAdmin):
    list_display = ["name_tg", "certification_number", "status", "region", "valid_until"]
    list_filter = ["status", "region"]
    search_fields = [
        "name_tg",
        "name_ru",
        "name_en",
        "name_ja",
        "certification_number",
        "registration_number",
    ]
    inlines = [AgencyEventInline]
