"""Django admin for administrators: users, organizations and reference data.

Confidential records are read-only here (services are the only writers, STYLE.md §4)
and every record an administrator opens is audited like anyone's read (DESIGN.md §3).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import (
    Amendment,
    AuditEntry,
    Correspondence,
    DisclosureConsent,
    Memorandum,
    Notification,
    Organization,
    OutboxEntry,
    Side,
    User,
)


class AmendmentInline(admin.StackedInline):
    model = Amendment
    extra = 0


@admin.register(Memorandum)
class MemorandumAdmin(admin.ModelAdmin):
    list_display = ["title_en", "partner_country", "commenced_on", "termination_notified_on"]
    inlines = [AmendmentInline]


@admin.register(Side)
class SideAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "country", "memorandum"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ja", "kind", "side", "is_signatory", "is_contact_point"]
    list_filter = ["side", "kind", "is_signatory", "is_contact_point"]
    search_fields = ["code", "name_en", "name_ja", "name_ru", "name_tg"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "organization", "role", "is_active", "last_login"]
    list_filter = ["role", "organization", "is_active"]
    list_select_related = ["organization"]
    # Group membership follows the organization (User.save); it is not edited by hand.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "email", "language", "email_notifications")},
        ),
        (_("Organization and role"), {"fields": ("organization", "role", "is_active", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "organization", "role", "password1", "password2")},
        ),
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConfidentialRecordAdmin(ReadOnlyAdmin):
    """Read-only, and each opened record is audited as a read."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            audit.log("record.read", actor=request.user, obj=obj)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Correspondence)
class CorrespondenceAdmin(ConfidentialRecordAdmin):
    list_display = ["subject", "origin", "recipient", "status", "created_at", "shared_at"]
    list_filter = ["status"]


@admin.register(DisclosureConsent)
class DisclosureConsentAdmin(ReadOnlyAdmin):
    list_display = [
        "document_reference",
        "third_party",
        "content_type",
        "object_id",
        "expires_at",
        "withdrawn_at",
    ]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_username", "organization", "action", "object_repr", "ip", "request_id"]
    list_filter = ["action"]
    search_fields = ["actor_username", "object_repr", "request_id"]
    date_hierarchy = "at"


@admin.register(OutboxEntry)
class OutboxEntryAdmin(ReadOnlyAdmin):
    list_display = ["topic", "created_at", "processed_at", "attempts", "last_error"]
    list_filter = ["topic"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["kind", "organization", "sender", "created_at", "read_at"]
    list_filter = ["kind"]


admin.site.site_header = _("MOC Portal administration")
admin.site.site_title = _("MOC Portal")
