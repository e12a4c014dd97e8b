"""Publication of the certified-agency list (7(2) by the partner, 6(1)/(2) by Japan).

Each change that the public list shows (a certification, a revocation, an expiry, a
change to a published field) puts ``agencies.publish`` in the outbox, naming the agency.
Its handler starts one task per side; each writes, if the side's latest version differs,
a new immutable version: the content (``snapshots``: advanced from the latest by reading
the changed agencies again, or built whole), the patch and diff from the previous
version, the pre-rendered public page in four languages, the Atom feed and the JSON file
with its SHA-256. The CSV, HTML and PDF files of a long list take seconds, so a second
outbox entry renders and attaches them after the version is out. Public pages read these
versions, never the live tables (DESIGN.md principle 6).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import threading
import time
from collections import OrderedDict
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal import audit, outbox
from portal.checks import missing_glyphs, withheld_reason
from portal.i18n import pick
from portal.models import Memorandum, Side
from portal.validators import xml_safe

from . import snapshots
from .choices import AgencyStatus
from .models import PendingPublication, Publication, PublishedContent, SendingAgency
from .snapshots import PUBLIC_EVENT_STATUSES, sha256

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
FEED_ENTRIES = 50
#: Agencies named per change kind in one feed entry; the version page has them all.
FEED_ROWS = 20
LANGUAGES = [code for code, _name in settings.LANGUAGES]


# --- Renderings -----------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell that starts with
    = + - @ (or a tab/return) is prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


CSV_COLUMNS = [
    "section",
    "certification_number",
    "status",
    "status_on",
    "reason",
    "certified_on",
    "valid_until",
    "name_tg",
    "name_ru",
    "name_en",
    "name_ja",
    "registration_number",
    "region",
    "city",
    "address",
    "phone",
    "email",
    "website",
    "representative",
    "sectors",
]


def render_csv(snapshot: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in snapshot["agencies"]:
        values = dict(row, sectors=" ".join(row["sectors"]))
        writer.writerow([csv_cell(values.get(column)) for column in CSV_COLUMNS])
    # A BOM so that spreadsheet programs read Cyrillic and Japanese as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_json(meta: dict, canonical_content: bytes) -> bytes:
    """The version's JSON file: its metadata and, byte for byte, the canonical content
    whose SHA-256 is ``content_sha256`` (no second encoding of 10,000 agencies)."""
    head = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))[:-1]
    return head.encode() + b',"content":' + canonical_content + b"}"


def document_language(side: Side) -> str:
    return settings.PUBLICATION_LANGUAGES.get(side.country, "en")


def sections(agencies: list[dict]) -> tuple[list[dict], list[dict]]:
    certified = [row for row in agencies if row["section"] == "certified"]
    withdrawn = [row for row in agencies if row["section"] != "certified"]
    return certified, withdrawn


def regions(publication) -> list[str]:
    """The regions a version's filter offers; computed once per version and process."""
    cached = getattr(publication, "_regions", None)
    if cached is None:
        cached = publication._regions = sorted({row["region"] for row in publication.snapshot["agencies"]})
    return cached


def page_context(
    publication, rows: list[dict], *, language: str, query: dict | None = None, page: int = 1
) -> dict:
    """Context of the public list page for a set of snapshot rows (already filtered)."""
    certified, withdrawn = sections(rows)
    start = (page - 1) * PAGE_SIZE
    sectors = publication.snapshot.get("sectors", {})
    return {
        "publication": publication,
        "side": publication.side,
        "sector_names": {code: pick(names, language) for code, names in sectors.items()},
        "regions": regions(publication),
        "certified": certified[start : start + PAGE_SIZE],
        "withdrawn": withdrawn[start : start + PAGE_SIZE],
        "certified_total": len(certified),
        "withdrawn_total": len(withdrawn),
        "page": page,
        "has_next": len(certified) > start + PAGE_SIZE or len(withdrawn) > start + PAGE_SIZE,
        "query": query or {},
        "language": language,
        "LANGUAGES": settings.LANGUAGES,
        "statuses": [(code, AgencyStatus(code).label) for code in PUBLIC_EVENT_STATUSES],
    }


def render_public_page(publication, language: str) -> str:
    with translation.override(language):
        context = page_context(publication, publication.snapshot["agencies"], language=language)
        return render_to_string("agencies/public/list.html", context)


def render_document(publication, template: str) -> str:
    language = document_language(publication.side)
    with translation.override(language):
        certified, withdrawn = sections(publication.snapshot["agencies"])
        sectors = publication.snapshot.get("sectors", {})
        return render_to_string(
            template,
            {
                "publication": publication,
                "side": publication.side,
                "certified": certified,
                "withdrawn": withdrawn,
                "sector_names": {code: pick(names, language) for code, names in sectors.items()},
                "language": language,
            },
        )


def render_feed(side: Side, latest: Publication) -> str:
    versions = list(
        Publication.objects.filter(side=side)
        .order_by("-version")
        .only("version", "published_at", "diff", "side")[:FEED_ENTRIES]
    )
    if latest not in versions:
        versions.insert(0, latest)
    with translation.override(document_language(side)):
        feed = render_to_string(
            "agencies/public/feed.atom",
            {
                "side": side,
                "versions": versions,
                "base_url": settings.PORTAL_BASE_URL,
                "feed_rows": f":{FEED_ROWS}",
            },
        )
    # The diffs of the last versions hold names as they were stored: one control
    # character entered before input refused them would make every feed until it leaves
    # the window invalid XML, which readers drop whole.
    return xml_safe(feed)


def render_pdf(publication: Publication) -> bytes:
    from weasyprint import HTML

    html = render_document(publication, "agencies/pdf/list.html")
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# --- Publishing -----------------------------------------------------------------------

#: Agencies changed this long before the latest version are read again with the ones a
#: task names, so that a burst of changes (the daily expiry) makes one version.
RECENT_CHANGES = timedelta(minutes=1)
#: A patch with more rows than this is not kept: readers load such a version whole.
PATCH_ROWS_LIMIT = 1000
#: Tries when another task publishes the same side between reading and writing.
RACE_ATTEMPTS = 5


def publish_lists(memorandum: Memorandum, side_ids=None, agency_ids=None) -> list[Publication]:
    """Publish a new version for each side (or each of ``side_ids``) whose latest
    differs from the register. Publishing the same content twice creates nothing.

    ``agency_ids`` names the agencies whose change asked for this: when this process
    built the side's latest content, the new one is advanced from it by reading those
    agencies again (milliseconds); otherwise, and when no agency is named (the periodic
    sweep), the content is built whole from the register."""
    sides = memorandum.sides.order_by("pk")
    if side_ids is not None:
        sides = sides.filter(pk__in=side_ids)
    whole: list[snapshots.Content] = []  # built at most once for all sides
    created = []
    for side_id in sides.values_list("pk", flat=True):
        publication = _publish_side(memorandum, side_id, agency_ids, whole)
        if publication is not None:
            created.append(publication)
    return created


def _publish_side(memorandum: Memorandum, side_id: int, agency_ids, whole: list) -> Publication | None:
    for _attempt in range(RACE_ATTEMPTS):
        latest = (
            Publication.objects.filter(side_id=side_id)
            .order_by("-version")
            .only("pk", "version", "published_at", "content_hash", "content_id")
            .first()
        )
        content, base = _next_content(memorandum, latest, agency_ids, whole)
        if latest is not None and latest.content_hash == content.hash:
            return None
        # Stored in its own short transaction, before the side's lock: the other side's
        # task stores the same content at the same time and must not wait on it.
        stored = _store_content(content.hash, content.text)
        with transaction.atomic():
            # The side row serialises publishers: version numbers have no gaps or forks.
            side = Side.objects.select_for_update().get(pk=side_id)
            newest = Publication.objects.filter(side=side).order_by("-version").values_list("pk", flat=True)
            if newest.first() != (latest.pk if latest else None):
                whole.clear()  # built before that version: it may miss what that one shows
                continue  # another task published this side meanwhile: start again from its version
            publication = _write_version(side, latest, content, stored, base)
            audit.log(
                "publication.published",
                obj=publication,
                username="system",
                after={"version": publication.version, "sha256": content.hash},
            )
            outbox.enqueue("agencies.render_documents", {"publication": publication.pk})
            return publication
    raise RuntimeError(f"side {side_id}: the latest version kept changing; the outbox will retry")


def _next_content(memorandum: Memorandum, latest: Publication | None, agency_ids, whole: list):
    """The content to publish after ``latest``, and the base it is compared with: a
    (content, patch) pair for ``latest``, or None for a first version."""
    base = snapshots.recent.get(latest.content_hash) if latest is not None else None
    if base is not None and agency_ids is not None:
        recently_changed = SendingAgency.objects.filter(
            memorandum=memorandum, updated_at__gte=latest.published_at - RECENT_CHANGES
        ).values_list("pk", flat=True)
        content, patch = snapshots.advance(base, memorandum, {*agency_ids, *recently_changed})
        snapshots.recent.remember(content)
        return content, (base.data, patch)
    if not whole:
        whole.append(snapshots.build(memorandum))
    content = whole[0]
    snapshots.recent.remember(content)
    if latest is None or latest.content_hash == content.hash:
        return content, None
    previous = base.data if base is not None else latest.snapshot
    return content, (previous, snapshots.patch_between(latest.content_hash, previous, content.data))


def _store_content(content_hash: str, text: bytes) -> PublishedContent:
    existing = PublishedContent.objects.filter(content_hash=content_hash).only("pk", "content_hash").first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return PublishedContent.objects.create(content_hash=content_hash, canonical_json=text.decode())
    except IntegrityError:  # the other side's task stored it first
        return PublishedContent.objects.only("pk", "content_hash").get(content_hash=content_hash)


def _write_version(
    side: Side, latest: Publication | None, content: snapshots.Content, stored: PublishedContent, base
) -> Publication:
    """Render what the public pages need first; only then create the row. A failed
    render raises before anything is visible (the outbox retries it); the files of a
    rolled-back version are never referenced. The CSV, HTML and PDF documents of the
    whole list take seconds at 10,000 agencies: ``agencies.render_documents`` attaches
    them once the version is out."""
    if base is None:
        diff, patch = snapshots.compute_diff(None, content.data), {}
    else:
        previous, patch = base
        diff = snapshots.diff_of_patch(previous, patch)
        if len(patch["rows"]) > PATCH_ROWS_LIMIT:
            patch = {}
    publication = Publication(
        side=side,
        version=(latest.version + 1) if latest else 1,
        published_at=timezone.now(),
        content=stored,
        content_hash=content.hash,
        diff=diff,
        patch=patch,
    )
    publication.snapshot = content.data  # already decoded: spare the cached property
    publication.rendered = {language: render_public_page(publication, language) for language in LANGUAGES}
    publication.rendered["atom"] = render_feed(side, publication)
    _attach(publication, "json", render_json(json_meta(publication), content.text))
    publication.save()
    return publication


def json_meta(publication: Publication) -> dict:
    """The JSON file's metadata: from the row alone, so that a pruned file is written
    again to the same bytes."""
    return {
        "publisher": publication.side.code,
        "version": publication.version,
        "published_at": publication.published_at.isoformat(),
        "content_sha256": publication.content_hash,
    }


def _attach(publication: Publication, kind: str, content: bytes) -> None:
    stem = f"{publication.side.code}-agencies-v{publication.version:05d}"
    getattr(publication, f"{kind}_file").save(f"{stem}.{kind}", ContentFile(content), save=False)
    setattr(publication, f"{kind}_sha256", sha256(content))


@outbox.handler("agencies.publish")
def _publish_handler(entry) -> None:
    """One task per side, so that two workers publish both lists at once. The entry
    names the agencies that changed (entries written before it did rebuild whole).

    Each side's request is also recorded (``PendingPublication``) in the transaction
    that marks this entry processed, and the task is sent only once that commits: a
    task lost with its worker, or never sent because the broker was down, leaves the
    row behind for ``publish_overdue`` (every 30 s) instead of waiting for Redis to
    re-deliver it after the two-hour visibility timeout."""
    from .tasks import publish_side

    memorandum = Memorandum.objects.get(pk=entry.payload["memorandum"])
    agency_ids = entry.payload.get("agencies")
    for side_id in memorandum.sides.order_by("pk").values_list("pk", flat=True):
        PendingPublication.objects.create(side_id=side_id, agency_ids=agency_ids)
        send = _sender(publish_side, memorandum.pk, side_id, agency_ids)
        if publish_side.app.conf.task_always_eager:
            # Embedded mode: the task runs here, in this transaction (it sees and
            # deletes its row); a failure leaves the entry to the outbox's retry.
            send()
        else:
            # A task sent before the commit could start without seeing its row, and
            # leave it for the sweep to publish again. A broker error after the commit
            # is logged: the row is there for the sweep.
            transaction.on_commit(send, robust=True)


def _sender(task, *args):
    def send_publish_side():
        task.delay(*args)

    return send_publish_side


def publish_side(memorandum: Memorandum, side_id: int, agency_ids=()) -> Publication | None:
    """Publish one side for the change that asked (``agency_ids``; None: whole) and for
    every request of that side still pending, then forget those requests. The rows are
    read before the register, and each was committed with (after) its change: the
    version read next shows every change they stand for."""
    pending = list(PendingPublication.objects.filter(side_id=side_id).values_list("pk", "agency_ids"))
    if agency_ids is None or any(ids is None for _pk, ids in pending):
        named = None
    else:
        named = {*agency_ids, *(agency_id for _pk, ids in pending for agency_id in ids)}
    created = publish_lists(memorandum, side_ids=[side_id], agency_ids=named)
    PendingPublication.objects.filter(pk__in=[pk for pk, _ids in pending]).delete()
    return created[0] if created else None


def publish_overdue(older_than_seconds: int | None = None) -> int:
    """Periodic: publish each side with a request older than ``older_than_seconds``
    (its task was lost with a worker, or the broker refused it). Runs inline, not as
    new tasks: this beat message is fresh each time, where a re-sent task would sit
    behind the same two-hour visibility timeout if this worker died too. One indexed
    query when nothing is pending."""
    if older_than_seconds is None:
        older_than_seconds = settings.AGENCIES_PUBLISH_OVERDUE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    overdue = (
        PendingPublication.objects.filter(requested_at__lt=cutoff)
        .values_list("side_id", "side__memorandum_id")
        .distinct()
        .order_by("side_id")
    )
    count = 0
    for side_id, memorandum_id in list(overdue):
        count += publish_side(Memorandum.objects.get(pk=memorandum_id), side_id) is not None
    return count


@outbox.handler("agencies.render_documents")
def _render_documents_handler(entry) -> None:
    """Hand the slow documents to the ``documents`` queue, so that a long PDF never
    holds up the outbox (a publication or a notice waiting behind it). If the broker
    is down this raises and the outbox retries; the periodic sweep re-sends what a
    Redis restart may have dropped."""
    from .tasks import render_documents

    render_documents.delay(entry.payload["publication"])


#: Versions whose CSV, HTML or PDF is not attached yet (``Publication.documents_ready``).
DOCUMENTS_MISSING = Q(csv_sha256="") | Q(html_sha256="") | Q(pdf_sha256="")


def render_documents(publication_id: int) -> bool:
    """Attach the CSV, HTML and PDF files of a version, and a gzip copy of each text
    file for the clients that accept it; idempotent. Returns whether this version's
    were rendered here.

    The documents of 10,000 agencies take ~25 s, so after a burst of changes the queue
    holds one task per version, oldest first. Each task first renders the side's newest
    version still without documents (the one visitors download), then its own: the
    newest files are out after one render, not after the whole backlog."""
    publication = Publication.objects.only("side_id", "version").get(pk=publication_id)
    newest = (
        Publication.objects.filter(side_id=publication.side_id, version__gt=publication.version)
        .filter(DOCUMENTS_MISSING)
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )
    if newest is not None:
        _render_documents(newest)
    return _render_documents(publication_id)


def _render_documents(publication_id: int) -> bool:
    with transaction.atomic():
        # Locked while rendering: a second documents worker skips a version in hand.
        publication = (
            Publication.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("side", "content")
            .filter(pk=publication_id)
            .first()
        )
        if publication is None or documents_on_disk(publication):
            return False
        _attach_documents(publication)
    return True


#: The documents rendered after a version is out; those of old versions may be pruned.
DOCUMENT_KINDS = ("csv", "html", "pdf")


#: The files the retention policy deletes from old versions (their hashes stay).
PRUNED_KINDS = ("json", *DOCUMENT_KINDS)


def documents_on_disk(publication: Publication) -> bool:
    """Rendered, and not pruned by the retention policy (the hashes stay, the files go)."""
    return publication.documents_ready and all(getattr(publication, f"{kind}_file") for kind in PRUNED_KINDS)


def _attach_documents(publication: Publication) -> None:
    """Render and attach the documents. A version rendered again after its files were
    pruned must give the bytes it was published with: a different SHA-256 is an
    error, not a new file. A render that fails removes what it wrote; one killed
    mid-way leaves files that no row names, which ``remove_orphan_files`` deletes."""
    published = {kind: getattr(publication, f"{kind}_sha256") for kind in PRUNED_KINDS}
    storage = publication.json_file.storage
    written: list[str] = []
    try:
        if not publication.json_file:  # pruned: the content is in the database
            canonical = publication.content.canonical_json.encode()
            _attach(publication, "json", render_json(json_meta(publication), canonical))
            written.append(publication.json_file.name)
        renderers = {
            "csv": lambda: render_csv(publication.snapshot),
            "html": lambda: render_document(publication, "agencies/public/document.html").encode(),
        }
        # A version whose PDF was withheld kept its CSV and HTML: not rendered twice.
        texts = {
            kind: render()
            for kind, render in renderers.items()
            if not (getattr(publication, f"{kind}_file") and getattr(publication, f"{kind}_sha256"))
        }
        for kind, content in texts.items():
            _attach(publication, kind, content)
            written.append(getattr(publication, f"{kind}_file").name)
        # A PDF drawn with empty boxes for glyphs no installed font has would be kept
        # as this version's for ever: it stays missing (the sweep renders it again once
        # the fonts are installed) and the reason is shown in admin.
        with missing_glyphs() as missing:
            pdf = render_pdf(publication)
        if missing:
            publication.pdf_withheld = withheld_reason(missing)
            logger.error("documents: %s: %s", publication, publication.pdf_withheld)
        else:
            publication.pdf_withheld = ""
            _attach(publication, "pdf", pdf)
            written.append(publication.pdf_file.name)
        for kind, digest in published.items():
            if digest and getattr(publication, f"{kind}_sha256") != digest:
                raise RuntimeError(f"{publication}: its {kind} rendered again is not the published one")
        if "json" not in publication.gzip_files:
            with publication.json_file.open("rb") as json_file:
                texts["json"] = json_file.read()
        for kind, content in texts.items():
            _attach_gzip(publication, kind, content)
            written.append(publication.gzip_files[kind])
        Publication.objects.filter(pk=publication.pk).update(
            gzip_files=publication.gzip_files,
            pdf_withheld=publication.pdf_withheld,
            **{
                field: getattr(publication, field)
                if field.endswith("sha256")
                else getattr(publication, field).name
                for kind in PRUNED_KINDS
                for field in (f"{kind}_file", f"{kind}_sha256")
            },
        )
    except BaseException:
        for name in written:
            storage.delete(name)
        raise


def _attach_gzip(publication: Publication, kind: str, content: bytes) -> None:
    """A gzip copy beside the file (the 6 MB JSON of 10,000 agencies is ~20 times
    smaller), compressed once here instead of on every download. ``mtime=0`` keeps the
    bytes the same for the same content."""
    field = getattr(publication, f"{kind}_file")
    name = field.storage.save(
        f"{field.name}.gz", ContentFile(gzip.compress(content, compresslevel=9, mtime=0))
    )
    publication.gzip_files = {**publication.gzip_files, kind: name}


def resend_missing_documents(older_than_seconds: int = 600) -> int:
    """Periodic: versions still without their documents after a while (the task was
    lost with a Redis restart, or kept failing) are sent to the documents queue again."""
    from .tasks import render_documents as task

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending = Publication.objects.filter(published_at__lt=cutoff).filter(DOCUMENTS_MISSING)
    count = 0
    for publication_id in pending.values_list("pk", flat=True):
        task.delay(publication_id)
        count += 1
    return count


def render_missing_documents() -> int:
    """Periodic, on the ``documents`` queue: render the documents of every version
    still without them, newest first, skipping any whose render holds its row (another
    documents worker has it in hand). A render lost with its worker is found here
    within a minute of a documents worker being back, not after the two-hour
    visibility timeout; a render still queued finds the work done and returns."""
    missing = Publication.objects.filter(DOCUMENTS_MISSING).order_by("-published_at", "-pk")
    return sum(_render_documents(publication_id) for publication_id in missing.values_list("pk", flat=True))


def request_documents(publication: Publication) -> None:
    """A visitor asked for a document whose file is gone (pruned by the retention
    policy): ask the documents queue to render it again, at most once a minute per
    version and process. A version not rendered yet needs no asking: its render is
    queued, and ``render_missing_documents`` re-sends a lost one."""
    from django.core.cache import cache

    from .tasks import render_documents as task

    # On the request path: one attempt, bounded by the Redis timeouts, as the outbox's
    # kick (portal.outbox.kick). A Redis that fails or is silent leaves the visitor a
    # 503 to retry, never a 500 or a hung request.
    try:
        if cache.add(f"agencies:documents-requested:{publication.pk}", True, timeout=60):
            task.apply_async((publication.pk,), retry=True, retry_policy={"max_retries": 0})
    except Exception:  # noqa: BLE001 - any cache or broker error means "ask again later"
        logger.warning("documents: could not ask for version %s to be rendered again", publication.pk)


#: Where the versions' files live (``models.publication_path``).
MEDIA_FOLDER = "publications/agencies"


def prune_superseded_documents(keep_versions: int | None = None, keep_days: int | None = None) -> int:
    """Periodic: delete the JSON, CSV, HTML and PDF files (and their gzip copies) of
    each side's versions older than its latest ``keep_versions`` and than ``keep_days``
    (~13 MB a version at 10,000 agencies). Their hashes, and the content in the
    database, stay; a request for one renders it again, to the same bytes
    (``request_documents``). Returns how many versions were pruned."""
    keep_versions = settings.AGENCIES_DOCUMENTS_KEEP_VERSIONS if keep_versions is None else keep_versions
    keep_days = settings.AGENCIES_DOCUMENTS_KEEP_DAYS if keep_days is None else keep_days
    cutoff = timezone.now() - timedelta(days=keep_days)
    on_disk = Q(json_file__gt="") | Q(csv_file__gt="") | Q(html_file__gt="") | Q(pdf_file__gt="")
    pruned = 0
    for side_id in Publication.objects.order_by().values_list("side_id", flat=True).distinct():
        kept = list(
            Publication.objects.filter(side_id=side_id)
            .order_by("-version")
            .values_list("version", flat=True)[: max(keep_versions, 1)]  # the latest always
        )
        old = Publication.objects.filter(side_id=side_id, published_at__lt=cutoff).filter(on_disk)
        if kept:
            old = old.filter(version__lt=min(kept))
        for publication_id in old.values_list("pk", flat=True):
            pruned += _prune(publication_id)
    return pruned


def _prune(publication_id: int) -> bool:
    with transaction.atomic():
        # SKIP LOCKED: never under a render in progress (it holds the row).
        publication = (
            Publication.objects.select_for_update(skip_locked=True)
            .filter(pk=publication_id)
            .only("pk", "json_file", "csv_file", "html_file", "pdf_file", "gzip_files", *HASH_FIELDS)
            .first()
        )
        if publication is None or not publication.documents_ready:
            return False  # a version's hashes are what makes a later render checkable
        names = [getattr(publication, f"{kind}_file").name for kind in PRUNED_KINDS]
        names += publication.gzip_files.values()
        Publication.objects.filter(pk=publication_id).update(
            json_file="", csv_file="", html_file="", pdf_file="", gzip_files={}
        )
        storage = publication.csv_file.storage
        # After the commit: a rollback must not leave a row naming deleted files.
        transaction.on_commit(lambda: [storage.delete(name) for name in names if name])
    return True


HASH_FIELDS = tuple(f"{kind}_sha256" for kind in DOCUMENT_KINDS)


def referenced_files() -> set[str]:
    names: set[str] = set()
    for *files, gzip_files in Publication.objects.values_list(
        "json_file", "csv_file", "html_file", "pdf_file", "gzip_files"
    ).iterator():
        names.update(name for name in files if name)
        names.update(gzip_files.values())
    return names


def remove_orphan_files(older_than_minutes: int | None = None) -> int:
    """Periodic: delete the files under the publications folder that no version names
    (a render killed mid-way, a version rolled back after its JSON was written, a
    prune whose deletion failed), once older than ``older_than_minutes``: a render in
    progress names its files only when it commits, within the task time limit."""
    minutes = settings.AGENCIES_ORPHAN_MINUTES if older_than_minutes is None else older_than_minutes
    storage = Publication._meta.get_field("json_file").storage
    if not storage.exists(MEDIA_FOLDER):
        return 0
    cutoff = timezone.now() - timedelta(minutes=minutes)
    referenced = referenced_files()  # read before the walk: a file named later is fresh
    removed = 0
    for name in _walk(storage, MEDIA_FOLDER):
        if name not in referenced and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
            removed += 1
    return removed


def _walk(storage, folder: str):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for name in folders:
        yield from _walk(storage, f"{folder}/{name}")


# --- Reading the published versions (public pages) ------------------------------------


class Page:
    """A public page as sent: its UTF-8 bytes, and their gzip copy for the clients that
    accept it (browsers do), compressed on first demand and kept with it."""

    __slots__ = ("body", "_gzipped")

    def __init__(self, text: str):
        self.body = text.encode()
        self._gzipped: bytes | None = None

    @property
    def gzipped(self) -> bytes:
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


class PublishedLists:
    """A per-process cache of published versions. A version never changes once written
    (only its PDF is attached later), so it is kept by id; which version is current is
    re-read at most every ``ttl`` seconds. The public pages thus serve what was
    rendered at publication time without touching the register."""

    def __init__(self, ttl: float = 0.5, size: int = 16, pages: int = 256):
        self.ttl = ttl
        self.size = size
        self.pages = pages
        self._current: dict[str, tuple[float, int | None]] = {}
        self._versions: OrderedDict[int, tuple[Publication, float]] = OrderedDict()
        self._pages: OrderedDict[tuple, Page] = OrderedDict()
        self._lock = threading.Lock()

    def current(self, side_code: str) -> Publication | None:
        now = time.monotonic()
        checked = self._current.get(side_code)
        if checked is None or now - checked[0] > self.ttl:
            publication_id = (
                Publication.objects.filter(side__code=side_code)
                .order_by("-version")
                .values_list("pk", flat=True)
                .first()
            )
            checked = (now, publication_id)
            self._current[side_code] = checked
        return self.get(checked[1]) if checked[1] else None

    @staticmethod
    def page(publication: Publication, language: str) -> Page:
        """The version's pre-rendered first page in ``language``, encoded once per
        process (encoding 35 kB on each request was a third of the view's time)."""
        pages = publication.__dict__.setdefault("_pages", {})
        page = pages.get(language)
        if page is None:
            page = pages[language] = Page(publication.rendered[language])
        return page

    def version(self, side_code: str, number: int) -> Publication | None:
        publication_id = (
            Publication.objects.filter(side__code=side_code, version=number)
            .values_list("pk", flat=True)
            .first()
        )
        return self.get(publication_id) if publication_id else None

    def get(self, publication_id: int) -> Publication:
        now = time.monotonic()
        with self._lock:
            cached = self._versions.get(publication_id)
            if cached is not None:
                self._versions.move_to_end(publication_id)
        # Reload a version only while its documents are being rendered (or rendered
        # again after a prune), and then at most once per ttl: the rest never changes.
        if cached is None or (not documents_on_disk(cached[0]) and now - cached[1] > self.ttl):
            cached = self._load(publication_id, cached[0] if cached else None), now
            with self._lock:
                self._versions[publication_id] = cached
                while len(self._versions) > self.size:
                    self._versions.popitem(last=False)
        return cached[0]

    def _load(self, publication_id: int, stale: Publication | None) -> Publication:
        """Load a version; when only its documents changed, keep the decoded content."""
        if stale is not None:
            fresh = Publication.objects.select_related("side").defer("rendered").get(pk=publication_id)
            fresh.rendered = stale.rendered
            # What this process derived from the content: the decoded snapshot and the
            # pages, regions and search index made from it.
            for name in ("snapshot", "_pages", "_regions", "_search_index"):
                if name in stale.__dict__:
                    fresh.__dict__[name] = stale.__dict__[name]
            return fresh
        publication = Publication.objects.select_related("side").get(pk=publication_id)
        # The content (5 MB at 10,000 agencies) is decoded only when a page needs the
        # snapshot (the unfiltered list and the feed are served from ``rendered``), and
        # not at all when the previous version is at hand: its patch leads here.
        base = self._decoded(publication.patch.get("base"))
        if base is not None:
            publication.snapshot = snapshots.apply_patch(base.snapshot, publication.patch)
        return publication

    def _decoded(self, content_hash: str | None) -> Publication | None:
        """A cached version with this content whose snapshot is already decoded."""
        if not content_hash:
            return None
        with self._lock:
            for cached, _checked in reversed(self._versions.values()):
                if cached.content_hash == content_hash and "snapshot" in cached.__dict__:
                    return cached
        return None

    def searched_page(self, publication: Publication, key: tuple, render) -> Page:
        """A searched or filtered page of a version, rendered by ``render()`` the first
        time it is asked for in this process. A version never changes and the public
        pages do not depend on the visitor, so the page is kept as it is (the last
        ``pages`` of them): a search costs ~7 ms at 10,000 agencies, its repetition as
        little as the unfiltered list."""
        key = (publication.pk, *key)
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
                return page
        page = Page(render())
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self.pages:
                self._pages.popitem(last=False)
        return page

    def forget(self, publication_id: int) -> None:
        """Drop a version read before its files were pruned."""
        with self._lock:
            self._versions.pop(publication_id, None)

    def clear(self) -> None:
        with self._lock:
            self._current.clear()
            self._versions.clear()
            self._pages.clear()


published_lists = PublishedLists()
