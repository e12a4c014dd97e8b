"""The versions of the published lists (DESIGN.md principle 6), whatever app declares
the list (``portal.publication.lists``)."""

from __future__ import annotations

import json

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.models import Side

#: Where the versions' files live: ``publications/<list>/<side>/<version>/<file>``.
MEDIA_FOLDER = "publications"


def version_path(instance, filename: str) -> str:
    return f"{MEDIA_FOLDER}/{instance.list_name}/{instance.side.code}/{instance.version:05d}/{filename}"


class PublishedContent(models.Model):
    """The content of a published list, stored once however many sides publish it: the
    canonical JSON whose SHA-256 is the versions' ``content_hash``, kept as the exact
    text that was hashed so anyone can re-check it."""

    content_hash = models.CharField(max_length=64, unique=True)
    canonical_json = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("published content")
        verbose_name_plural = _("published contents")

    def __str__(self) -> str:
        return self.content_hash


class Publication(models.Model):
    """An immutable, numbered, hashed version of a list published by one side: its
    content, the diff with the previous version, and the renderings of that content."""

    #: The declared list (``PublishedList.name``): "agencies", "improvement-orders"…
    list_name = models.CharField(_("list"), max_length=40)
    side = models.ForeignKey(Side, on_delete=models.PROTECT, related_name="publications")
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"))
    content = models.ForeignKey(PublishedContent, on_delete=models.PROTECT, related_name="publications")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON content")
    diff = models.JSONField(default=dict)
    #: From the side's previous content to this one: {"base": its hash, <meta keys>…,
    #: "rows": rows that changed, "removed": keys that left}. Lets a process holding the
    #: previous version advance to this one without decoding the whole content; empty
    #: for a first version or a change too large to be worth it.
    patch = models.JSONField(default=dict, blank=True)
    #: Pre-rendered first page of the public list, per language, and the Atom feed.
    rendered = models.JSONField(default=dict)
    json_file = models.FileField(upload_to=version_path, max_length=200)
    json_sha256 = models.CharField(max_length=64)
    # The CSV, HTML and PDF files of a long list take seconds: they are rendered after
    # the version is out (``publication.render_documents``) and attached with their hashes.
    csv_file = models.FileField(upload_to=version_path, blank=True, max_length=200)
    csv_sha256 = models.CharField(max_length=64, blank=True)
    html_file = models.FileField(upload_to=version_path, blank=True, max_length=200)
    html_sha256 = models.CharField(max_length=64, blank=True)
    pdf_file = models.FileField(upload_to=version_path, blank=True, max_length=200)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    #: Why the PDF is not attached yet (glyphs no installed font has); empty once it is.
    pdf_withheld = models.CharField(_("PDF withheld"), max_length=300, blank=True, editable=False)
    #: Storage names of gzip copies of the text files, by kind ("json", "csv", "html"),
    #: served to clients that accept gzip; the hashes above are of the files themselves.
    gzip_files = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("published list version")
        verbose_name_plural = _("published list versions")
        ordering = ["list_name", "side", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(
                fields=["list_name", "side", "version"], name="one_version_number_per_list_and_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.list_name} {self.side.code} v{self.version}"

    @cached_property
    def snapshot(self) -> dict:
        """The decoded content (readers decode it once per process: ``reading``)."""
        return json.loads(self.content.canonical_json)

    @property
    def documents_ready(self) -> bool:
        return bool(self.csv_sha256 and self.html_sha256 and self.pdf_sha256)


class PendingPublication(models.Model):
    """A side's list owes a new version: written by the ``publication.publish`` outbox
    handler in the transaction that marks its entry processed, deleted by the publisher
    once a version (or the finding that nothing changed) covers it. A publish task lost
    with its worker (late acks: Redis re-delivers it only after the two-hour visibility
    timeout) leaves its row behind, and ``publication.tasks.publish_overdue`` publishes
    it within a minute instead."""

    list_name = models.CharField(max_length=40)
    side = models.ForeignKey(Side, on_delete=models.CASCADE, related_name="pending_publications")
    #: The items whose change asked for it; null: the content is built whole.
    item_ids = models.JSONField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("pending publication")
        verbose_name_plural = _("pending publications")

    def __str__(self) -> str:
        return f"{self.list_name} {self.side_id} since {self.requested_at:%Y-%m-%d %H:%M:%S}"
