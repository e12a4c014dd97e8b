from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import Publication


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = [
        "list_name",
        "side",
        "version",
        "published_at",
        "content_hash",
        "pdf_sha256",
        "pdf_withheld",
    ]
    list_filter = ["list_name", "side"]
    exclude = ["rendered"]
    # Not editable, so shown only when named: why the version has no PDF yet.
    readonly_fields = ["pdf_withheld"]
