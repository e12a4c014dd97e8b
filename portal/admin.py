"""Django admin for administrators: users, organizations and reference data.

Confidential records are read-only here (services are the only writers, STYLE.md §4)
and every record an administrator opens is audited like anyone's read (DESIGN.md §3).
"""

from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import (
    Amendment,
    ApiToken,
    AuditEntry,
    AuditHead,
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
    """Amendments are recorded by a contact point (``services.record_amendment``: both
    written consents, audited, the other side told); here they are shown, not written."""

    model = Amendment
    extra = 0
    can_delete = False
    readonly_fields = [
        "agreed_on",
        "summary_ja",
        "summary_en",
        "summary_ru",
        "summary_tg",
        "japan_consent_reference",
        "partner_consent_reference",
    ]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Memorandum)
class MemorandumAdmin(admin.ModelAdmin):
    """The termination notice is recorded by a contact point (``services.notify_termination``:
    once, audited, the other side told); here it is shown, not written."""

    list_display = ["title_en", "partner_country", "commenced_on", "termination_notified_on"]
    readonly_fields = ["termination_notified_on", "termination_notified_by", "ends_on"]
    inlines = [AmendmentInline]

    @admin.display(description=_("ends on"))
    def ends_on(self, obj):
        return obj.ends_on


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
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset two-factor devices (lost phone) and end their sessions"))
    def reset_second_factor(self, request, queryset):
        from .security import twofactor

        for user in queryset:
            twofactor.reset(user, request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "%(count)d user must enrol an authenticator again at the next sign-in.",
                "%(count)d users must enrol an authenticator again at the next sign-in.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
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
    list_display = ["id", "at", "actor_username", "organization", "action", "object_repr", "ip", "request_id"]
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


@admin.register(AuditHead)
class AuditHeadAdmin(ReadOnlyAdmin):
    list_display = ["last_id", "hash", "recipient", "sent_at", "received_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are created by their owners (shown once); an administrator can revoke."""

    list_display = [
        "name",
        "user",
        "prefix",
        "read_only",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["read_only"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "prefix"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        # Needed for the action to be offered; every field stays read-only.
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        from .security import tokens

        for token in queryset:
            tokens.revoke(token, request.user)


class LockoutAdmin(admin.ModelAdmin):
    """django-axes' failed sign-in counters. Unlocking deletes the counter, through an
    audited service; nothing else can be changed here."""

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    search_fields = ["username", "ip_address"]
    actions = ["unlock"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # only the audited unlock removes counters
        return actions

    @admin.action(description=_("Unlock: allow sign-in again"))
    def unlock(self, request, queryset):
        from .security import lockout

        count = lockout.unlock(queryset, request.user)
        self.message_user(
            request,
            ngettext("%(count)d lockout lifted.", "%(count)d lockouts lifted.", count) % {"count": count},
            messages.SUCCESS,
        )

    def delete_model(self, request, obj):
        from .security import lockout

        lockout.unlock([obj], request.user)


admin.site.register(AccessAttempt, LockoutAdmin)
# Devices change only through the audited services (enrolment by their owner, a reset
# by an administrator), not through django-otp's own admin pages.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

admin.site.site_header = _("MOC Portal administration")
admin.site.site_title = _("MOC Portal")
