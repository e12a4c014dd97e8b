"""The consent letter (clause 3): a PDF naming the record, the part of it disclosed,
the third party, the validity and both organizations, kept with the consent and its
SHA-256. Rendered on the documents queue (a render takes about a second); a sweep
renders any letter a lost task left unrendered."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from portal import outbox
from portal.checks import missing_glyphs, withheld_reason
from portal.models import DisclosureConsent

logger = logging.getLogger(__name__)


@outbox.handler("records.consent_letter")
def queue_letter(entry) -> None:
    from .tasks import render_consent_letter

    consent_id = entry.payload["consent"]
    transaction.on_commit(
        lambda: render_consent_letter.apply_async(args=[consent_id], queue="documents", retry=False),
        robust=True,
    )


def letter_languages(consent) -> list[str]:
    """The consenting side's language, then English for the third party."""
    language = settings.PUBLICATION_LANGUAGES.get(consent.side.country, "en")
    return [language] if language == "en" else [language, "en"]


def letter_pdf(consent) -> bytes:
    from weasyprint import HTML

    record = consent.record
    sections = []
    for language in letter_languages(consent):
        with translation.override(language):
            sections.append(
                render_to_string(
                    "records/consent_letter_section.html",
                    {
                        "consent": consent,
                        "record": record,
                        "kind": record._meta.verbose_name,
                        "language": language,
                    },
                )
            )
    html = render_to_string("records/consent_letter.html", {"sections": sections, "consent": consent})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_letter(consent_id: int) -> bool:
    """Render and keep the letter of one consent; idempotent."""
    with transaction.atomic():
        consent = (
            DisclosureConsent.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("side", "third_party", "granted_by__organization")
            .filter(pk=consent_id, letter="")
            .first()
        )
        if consent is None or consent.record is None:
            return False
        # A letter drawn with empty boxes (glyphs no installed font has) is not kept: it
        # stays missing, and the sweep renders it again once the fonts are installed.
        with missing_glyphs() as missing:
            pdf = letter_pdf(consent)
        if missing:
            logger.error("documents: consent letter %s: %s", consent.pk, withheld_reason(missing))
            return False
        consent.letter_sha256 = hashlib.sha256(pdf).hexdigest()
        consent.letter.save(f"consent-{consent.pk}.pdf", ContentFile(pdf), save=False)
        try:
            consent.save(update_fields=["letter", "letter_sha256"])
        except Exception:
            consent.letter.delete(save=False)
            raise
    return True


def render_missing() -> int:
    return sum(
        render_letter(consent_id)
        for consent_id in DisclosureConsent.objects.filter(letter="").values_list("pk", flat=True)[:50]
    )
