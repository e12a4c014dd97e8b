"""The briefing pack (4(2)): a PDF of a consultation for one requester, in their
language, with the agenda, the statistics since the previous consultation (charts and
tables), the open action items and the records on the agenda — each only as far as the
requester may read it (``notices.consultations.reading``), read again when it renders:
a consent withdrawn in between opens nothing.

Rendered by a thin task on the ``documents`` queue (``tasks.render_briefing_pack``),
asked for through the outbox so that a request is never lost between the database and
Celery; the row's ``status`` and ``progress`` are committed step by step so that the
status page (no JavaScript: it refreshes itself) shows how far it is."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notices.models import BriefingPack
from portal import outbox
from portal.checks import missing_glyphs, withheld_reason
from portal.disclosure import disclose

from . import reading
from .choices import BriefingPackStatus

logger = logging.getLogger(__name__)


@outbox.handler("notices.briefing_pack")
def queue_pack(entry) -> None:
    from .tasks import render_briefing_pack

    pack_id = entry.payload["pack"]
    transaction.on_commit(
        lambda: render_briefing_pack.apply_async(args=[pack_id], queue="documents", retry=False), robust=True
    )


def statistics_for(user, consultation, previous):
    """The statistics since the previous consultation (helper C's
    ``notices.statistics.figures.compute``), or ``None`` while that module is absent."""
    try:
        from notices.statistics import figures
    except ImportError:  # the statistics part not installed yet: the pack says so
        return None
    end = timezone.localdate(consultation.starts_at)
    # Without an earlier consultation: the twelve months before this one.
    start = timezone.localdate(previous.starts_at) if previous is not None else end - dt.timedelta(days=365)
    return figures.compute(user, memorandum=consultation.memorandum, start=min(start, end), end=end)


def _progress(pack_id: int, percent: int, status: str = BriefingPackStatus.RENDERING) -> None:
    """Committed on its own, so that the status page sees it while the render goes on."""
    BriefingPack.objects.filter(pk=pack_id).update(status=status, progress=percent)


def pack_html(pack: BriefingPack, *, on_progress=lambda percent: None) -> str:
    """The pack's HTML for its requester, in its language."""
    user, consultation = pack.requested_by, pack.consultation
    with translation.override(pack.language), timezone.override(timezone.get_default_timezone()):
        previous = reading.previous_consultation(consultation, user)
        context = {
            "pack": pack,
            "consultation": disclose(consultation, user),
            "previous": previous,
            "participants": list(reading.participants(consultation, user)),
            "agenda": reading.agenda(consultation, user),
            "action_items": reading.open_action_items(consultation, user),
            "language": pack.language,
        }
        on_progress(30)
        context["statistics"] = statistics_for(user, consultation, previous)
        context["statistics_missing"] = context["statistics"] is None
        on_progress(60)
        return render_to_string("notices/consultations/pdf/briefing_pack.html", context)


def pack_pdf(pack: BriefingPack, *, on_progress=lambda percent: None) -> bytes:
    from weasyprint import HTML

    html = pack_html(pack, on_progress=on_progress)
    on_progress(80)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_pack(pack_id: int) -> bool:
    """Render and keep one pack; claiming it first (queued → rendering) makes a second
    delivery of the task do nothing."""
    claimed = BriefingPack.objects.filter(pk=pack_id, status=BriefingPackStatus.QUEUED).update(
        status=BriefingPackStatus.RENDERING, progress=5
    )
    if not claimed:
        return False
    pack = BriefingPack.objects.select_related("consultation__memorandum", "requested_by__organization").get(
        pk=pack_id
    )
    try:
        with missing_glyphs() as missing:
            pdf = pack_pdf(pack, on_progress=lambda percent: _progress(pack_id, percent))
        if missing:
            raise RuntimeError(withheld_reason(missing))
        pack.sha256 = hashlib.sha256(pdf).hexdigest()
        pack.size = len(pdf)
        pack.file.save(f"pack-{pack.pk}-{pack.language}.pdf", ContentFile(pdf), save=False)
        pack.status, pack.progress, pack.finished_at = BriefingPackStatus.DONE, 100, timezone.now()
        try:
            pack.save(update_fields=["file", "sha256", "size", "status", "progress", "finished_at"])
        except Exception:
            pack.file.delete(save=False)
            raise
    except Exception:
        logger.exception("documents: briefing pack %s failed", pack_id)
        BriefingPack.objects.filter(pk=pack_id).update(
            status=BriefingPackStatus.FAILED, finished_at=timezone.now()
        )
        return False
    return True


def render_waiting() -> int:
    """Packs a lost task left queued for more than five minutes (a periodic sweep)."""
    since = timezone.now() - dt.timedelta(minutes=5)
    waiting = BriefingPack.objects.filter(status=BriefingPackStatus.QUEUED, requested_at__lt=since)
    return sum(render_pack(pack_id) for pack_id in waiting.values_list("pk", flat=True)[:20])
