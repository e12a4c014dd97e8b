"""Admin of the checks part: the checks, read only (they are what was entered and
answered, kept for the audit and the rate limit)."""

from django.contrib import admin

from ..models import CertificateCheck


@admin.register(CertificateCheck)
class CertificateCheckAdmin(admin.ModelAdmin):
    list_display = ["checked_at", "exam", "certificate_number", "outcome", "organization", "user"]
    list_filter = ["outcome", "exam"]
    search_fields = ["certificate_number"]
    readonly_fields = [f.name for f in CertificateCheck._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
