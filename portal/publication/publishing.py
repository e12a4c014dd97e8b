"""Publishing a declared list: new versions, their documents, the retention policy.

A change that a public list shows puts ``publication.publish`` in the outbox
(``request``), naming the list and the items that changed. Its handler starts one task
per publishing side; each writes, if the side's latest version differs, a new immutable
version: the content (``content``: advanced from the latest by reading the changed items
again, or built whole), the patch and diff from the previous version, the pre-rendered
public page in four languages, the Atom feed and the JSON file with its SHA-256. The
CSV, HTML and PDF files of a long list take seconds, so a second outbox entry renders
and attaches them after the version is out. Public pages read these versions, never the
live tables (DESIGN.md principle 6).
"""

from __future__ import annotations

import gzip
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from portal import audit, outbox
from portal.checks import missing_glyphs, withheld_reason
from portal.models import Memorandum, Side

from . import content as contents
from . import lists, rendering
from .models import MEDIA_FOLDER, PendingPublication, Publication, PublishedContent
from .reading import Version, documents_on_disk

logger = logging.getLogger(__name__)

#: Items changed this long before the latest version are read again with the ones a
#: task names, so that a burst of changes (the daily expiry) makes one version.
RECENT_CHANGES = timedelta(minutes=1)
#: A patch with more rows than this is not kept: readers load such a version whole.
PATCH_ROWS_LIMIT = 1000
#: Tries when another task publishes the same side between reading and writing.
RACE_ATTEMPTS = 5


def request(published_list, memorandum_id: int, item_ids=None) -> None:
    """Ask for new versions of ``published_list`` (in the caller's transaction): the
    items ``item_ids`` changed, or, with None, build the content whole."""
    outbox.enqueue(
        "publication.publish",
        {
            "list": published_list.name,
            "memorandum": memorandum_id,
            "items": None if item_ids is None else list(item_ids),
        },
    )


def request_notices(memorandum_id: int, items: dict | None = None) -> None:
    """A notice shown with every list (``lists.Notice``) changed: ask every list for new
    versions (in the caller's transaction). No row is read again, unless ``items``
    names a list's changed items (``{list name: ids}``): the content advances with the
    notices read afresh, a few milliseconds."""
    for published_list in lists.all_lists():
        request(published_list, memorandum_id, (items or {}).get(published_list.name, []))


def publish_lists(published_list, memorandum: Memorandum, side_ids=None, item_ids=None) -> list[Publication]:
    """Publish a new version for each publishing side (or each of ``side_ids``) whose
    latest differs from the register. Publishing the same content twice creates nothing.

    ``item_ids`` names the items whose change asked for this: when this process built
    the side's latest content, the new one is advanced from it by reading those items
    again (milliseconds); otherwise, and when no item is named (the periodic sweep), the
    content is built whole from the register."""
    sides = published_list.publishers(memorandum)
    if side_ids is not None:
        sides = sides.filter(pk__in=side_ids)
    whole: list[contents.Content] = []  # built at most once for all sides
    created = []
    for side_id in sides.values_list("pk", flat=True):
        publication = _publish_side(published_list, memorandum, side_id, item_ids, whole)
        if publication is not None:
            created.append(publication)
    return created


def _latest(published_list, side_id: int):
    return Publication.objects.filter(list_name=published_list.name, side_id=side_id).order_by("-version")


def _publish_side(published_list, memorandum, side_id: int, item_ids, whole: list) -> Publication | None:
    for _attempt in range(RACE_ATTEMPTS):
        latest = (
            _latest(published_list, side_id)
            .only("pk", "version", "published_at", "content_hash", "content_id")
            .first()
        )
        content, base = _next_content(published_list, memorandum, latest, item_ids, whole)
        if latest is not None and latest.content_hash == content.hash:
            return None
        # Stored in its own short transaction, before the side's lock: the other side's
        # task stores the same content at the same time and must not wait on it.
        stored = _store_content(content.hash, content.text)
        with transaction.atomic():
            # The side row serialises publishers: version numbers have no gaps or forks.
            side = Side.objects.select_for_update().get(pk=side_id)
            newest = _latest(published_list, side_id).values_list("pk", flat=True)
            if newest.first() != (latest.pk if latest else None):
                whole.clear()  # built before that version: it may miss what that one shows
                continue  # another task published this side meanwhile: start again from its version
            publication = _write_version(published_list, side, latest, content, stored, base)
            audit.log(
                "publication.published",
                obj=publication,
                username="system",
                after={"list": published_list.name, "version": publication.version, "sha256": content.hash},
            )
            outbox.enqueue("publication.render_documents", {"publication": publication.pk})
            return publication
    raise RuntimeError(
        f"{published_list.name} side {side_id}: the latest version kept changing; the outbox will retry"
    )


def _next_content(published_list, memorandum, latest: Publication | None, item_ids, whole: list):
    """The content to publish after ``latest``, and the base it is compared with: a
    (content, patch) pair for ``latest``, or None for a first version."""
    base = contents.recent.get(latest.content_hash) if latest is not None else None
    if base is not None and item_ids is not None:
        recently_changed = published_list.changed_since(memorandum, latest.published_at - RECENT_CHANGES)
        content, patch = contents.advance(published_list, base, memorandum, {*item_ids, *recently_changed})
        contents.recent.remember(published_list, content)
        return content, (base.data, patch)
    if not whole:
        whole.append(contents.build(published_list, memorandum))
    content = whole[0]
    contents.recent.remember(published_list, content)
    if latest is None or latest.content_hash == content.hash:
        return content, None
    previous = base.data if base is not None else latest.snapshot
    return content, (
        previous,
        contents.patch_between(published_list, latest.content_hash, previous, content.data),
    )


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
    published_list, side: Side, latest, content: contents.Content, stored, base
) -> Publication:
    """Render what the public pages need first; only then create the row. A failed
    render raises before anything is visible (the outbox retries it); the files of a
    rolled-back version are never referenced. The CSV, HTML and PDF documents of a
    whole list take seconds at 10,000 rows: ``publication.render_documents`` attaches
    them once the version is out."""
    if base is None:
        previous, patch = None, {}
        diff = contents.whole_diff(published_list, None, content.data)
    else:
        previous, patch = base
        diff = contents.diff_of_patch(published_list, previous, patch)
        if len(patch["rows"]) > PATCH_ROWS_LIMIT:
            patch = {}
    notices = lists.notices_diff(previous, content.data)
    if notices:  # a notice shown with every list started, ended or changed
        diff = {**diff, "notices": notices}
    publication = Publication(
        list_name=published_list.name,
        side=side,
        version=(latest.version + 1) if latest else 1,
        published_at=timezone.now(),
        content=stored,
        content_hash=content.hash,
        diff=diff,
        patch=patch,
    )
    version = Version(published_list, publication, content.data)  # already decoded
    publication.rendered = {
        language: rendering.render_public_page(published_list, version, language)
        for language in rendering.LANGUAGES
    }
    publication.rendered["atom"] = rendering.render_feed(
        published_list, side, _feed_versions(published_list, side, publication)
    )
    _attach(
        published_list,
        publication,
        "json",
        rendering.render_json(rendering.json_meta(publication), content.text),
    )
    publication.save()
    return publication


def _feed_versions(published_list, side, latest: Publication) -> list[Publication]:
    versions = list(
        _latest(published_list, side.pk).only("version", "published_at", "diff", "side")[
            : published_list.feed_entries
        ]
    )
    if latest not in versions:
        versions.insert(0, latest)
    return versions


def _attach(published_list, publication: Publication, kind: str, content: bytes) -> None:
    stem = f"{publication.side.code}-{published_list.name}-v{publication.version:05d}"
    getattr(publication, f"{kind}_file").save(f"{stem}.{kind}", ContentFile(content), save=False)
    setattr(publication, f"{kind}_sha256", contents.sha256(content))


# --- Tasks and sweeps -------------------------------------------------------------------


@outbox.handler("publication.publish")
def _publish_handler(entry) -> None:
    """One task per side, so that two workers publish both lists at once.

    Each side's request is also recorded (``PendingPublication``) in the transaction
    that marks this entry processed, and the task is sent only once that commits: a
    task lost with its worker, or never sent because the broker was down, leaves the
    row behind for ``publish_overdue`` (every 30 s) instead of waiting for Redis to
    re-deliver it after the two-hour visibility timeout."""
    published_list = lists.get(entry.payload["list"])
    request_sides(published_list, entry.payload["memorandum"], entry.payload.get("items"))


def request_sides(published_list, memorandum_id: int, item_ids) -> None:
    from .tasks import publish_side

    memorandum = Memorandum.objects.get(pk=memorandum_id)
    for side_id in published_list.publishers(memorandum).values_list("pk", flat=True):
        PendingPublication.objects.create(list_name=published_list.name, side_id=side_id, item_ids=item_ids)
        send = _sender(publish_side, published_list.name, memorandum.pk, side_id, item_ids)
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


def publish_side(published_list, memorandum: Memorandum, side_id: int, item_ids=()) -> Publication | None:
    """Publish one side for the change that asked (``item_ids``; None: whole) and for
    every request of that side still pending, then forget those requests. The rows are
    read before the register, and each was committed with (after) its change: the
    version read next shows every change they stand for."""
    pending = list(
        PendingPublication.objects.filter(list_name=published_list.name, side_id=side_id).values_list(
            "pk", "item_ids"
        )
    )
    if item_ids is None or any(ids is None for _pk, ids in pending):
        named = None
    else:
        named = {*item_ids, *(item_id for _pk, ids in pending for item_id in ids)}
    created = publish_lists(published_list, memorandum, side_ids=[side_id], item_ids=named)
    PendingPublication.objects.filter(pk__in=[pk for pk, _ids in pending]).delete()
    return created[0] if created else None


def publish_overdue(older_than_seconds: int | None = None) -> int:
    """Periodic: publish each list and side with a request older than
    ``older_than_seconds`` (its task was lost with a worker, or the broker refused it).
    Runs inline, not as new tasks: this beat message is fresh each time, where a re-sent
    task would sit behind the same two-hour visibility timeout if this worker died too.
    One indexed query when nothing is pending."""
    if older_than_seconds is None:
        older_than_seconds = settings.PUBLICATION_OVERDUE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    overdue = (
        PendingPublication.objects.filter(requested_at__lt=cutoff)
        .values_list("list_name", "side_id", "side__memorandum_id")
        .distinct()
        .order_by("list_name", "side_id")
    )
    count = 0
    for list_name, side_id, memorandum_id in list(overdue):
        memorandum = Memorandum.objects.get(pk=memorandum_id)
        count += publish_side(lists.get(list_name), memorandum, side_id) is not None
    return count


def publish_if_changed() -> int:
    """Periodic safety net: publish any list and side behind the register (a publish
    task lost with a Redis restart). Costs one content per list when nothing changed."""
    return sum(
        len(publish_lists(published_list, memorandum))
        for published_list in lists.all_lists()
        for memorandum in Memorandum.objects.all()
    )


@outbox.handler("publication.render_documents")
def _render_documents_handler(entry) -> None:
    """Hand the slow documents to the ``documents`` queue, so that a long PDF never
    holds up the outbox (a publication or a notice waiting behind it). If the broker
    is down this raises and the outbox retries; the periodic sweep re-sends what a
    Redis restart may have dropped."""
    from .tasks import render_documents

    render_documents.delay(entry.payload["publication"])


#: Versions whose CSV, HTML or PDF is not attached yet (``Publication.documents_ready``).
DOCUMENTS_MISSING = Q(csv_sha256="") | Q(html_sha256="") | Q(pdf_sha256="")
#: The documents rendered after a version is out; those of old versions may be pruned.
DOCUMENT_KINDS = ("csv", "html", "pdf")
#: The files the retention policy deletes from old versions (their hashes stay).
PRUNED_KINDS = ("json", *DOCUMENT_KINDS)
HASH_FIELDS = tuple(f"{kind}_sha256" for kind in DOCUMENT_KINDS)


def render_documents(publication_id: int) -> bool:
    """Attach the CSV, HTML and PDF files of a version, and a gzip copy of each text
    file for the clients that accept it; idempotent. Returns whether this version's
    were rendered here.

    The documents of 10,000 agencies take ~25 s, so after a burst of changes the queue
    holds one task per version, oldest first. Each task first renders its list's and
    side's newest version still without documents (the one visitors download), then
    its own: the newest files are out after one render, not after the whole backlog."""
    publication = Publication.objects.only("list_name", "side_id", "version").get(pk=publication_id)
    newest = (
        Publication.objects.filter(
            list_name=publication.list_name, side_id=publication.side_id, version__gt=publication.version
        )
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
        _attach_documents(lists.get(publication.list_name), publication)
    return True


def _attach_documents(published_list, publication: Publication) -> None:
    """Render and attach the documents. A version rendered again after its files were
    pruned must give the bytes it was published with: a different SHA-256 is an
    error, not a new file. A render that fails removes what it wrote; one killed
    mid-way leaves files that no row names, which ``remove_orphan_files`` deletes."""
    published = {kind: getattr(publication, f"{kind}_sha256") for kind in PRUNED_KINDS}
    storage = publication.json_file.storage
    written: list[str] = []
    version = Version(published_list, publication)
    try:
        if not publication.json_file:  # pruned: the content is in the database
            canonical = publication.content.canonical_json.encode()
            _attach(
                published_list,
                publication,
                "json",
                rendering.render_json(rendering.json_meta(publication), canonical),
            )
            written.append(publication.json_file.name)
        renderers = {
            "csv": lambda: rendering.render_csv(published_list, version.snapshot),
            "html": lambda: rendering.render_document(
                published_list, version, published_list.templates.document
            ).encode(),
        }
        # A version whose PDF was withheld kept its CSV and HTML: not rendered twice.
        texts = {
            kind: render()
            for kind, render in renderers.items()
            if not (getattr(publication, f"{kind}_file") and getattr(publication, f"{kind}_sha256"))
        }
        for kind, text in texts.items():
            _attach(published_list, publication, kind, text)
            written.append(getattr(publication, f"{kind}_file").name)
        # A PDF drawn with empty boxes for glyphs no installed font has would be kept
        # as this version's for ever: it stays missing (the sweep renders it again once
        # the fonts are installed) and the reason is shown in admin.
        with missing_glyphs() as missing:
            pdf = rendering.render_pdf(published_list, version)
        if missing:
            publication.pdf_withheld = withheld_reason(missing)
            logger.error("documents: %s: %s", publication, publication.pdf_withheld)
        else:
            publication.pdf_withheld = ""
            _attach(published_list, publication, "pdf", pdf)
            written.append(publication.pdf_file.name)
        for kind, digest in published.items():
            if digest and getattr(publication, f"{kind}_sha256") != digest:
                raise RuntimeError(f"{publication}: its {kind} rendered again is not the published one")
        if "json" not in publication.gzip_files:
            with publication.json_file.open("rb") as json_file:
                texts["json"] = json_file.read()
        for kind, text in texts.items():
            _attach_gzip(publication, kind, text)
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
        if cache.add(f"publication:documents-requested:{publication.pk}", True, timeout=60):
            task.apply_async((publication.pk,), retry=True, retry_policy={"max_retries": 0})
    except Exception:  # noqa: BLE001 - any cache or broker error means "ask again later"
        logger.warning("documents: could not ask for version %s to be rendered again", publication.pk)


def prune_superseded_documents(keep_versions: int | None = None, keep_days: int | None = None) -> int:
    """Periodic: delete the JSON, CSV, HTML and PDF files (and their gzip copies) of
    each list's and side's versions older than its latest ``keep_versions`` and than
    ``keep_days`` (~13 MB a version at 10,000 agencies). Their hashes, and the content
    in the database, stay; a request for one renders it again, to the same bytes
    (``request_documents``). Returns how many versions were pruned."""
    keep_versions = settings.PUBLICATION_KEEP_VERSIONS if keep_versions is None else keep_versions
    keep_days = settings.PUBLICATION_KEEP_DAYS if keep_days is None else keep_days
    cutoff = timezone.now() - timedelta(days=keep_days)
    on_disk = Q(json_file__gt="") | Q(csv_file__gt="") | Q(html_file__gt="") | Q(pdf_file__gt="")
    pruned = 0
    series = Publication.objects.order_by().values_list("list_name", "side_id").distinct()
    for list_name, side_id in list(series):
        versions = Publication.objects.filter(list_name=list_name, side_id=side_id)
        kept = list(
            versions.order_by("-version").values_list("version", flat=True)[
                : max(keep_versions, 1)
            ]  # the latest always
        )
        old = versions.filter(published_at__lt=cutoff).filter(on_disk)
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
    minutes = settings.PUBLICATION_ORPHAN_MINUTES if older_than_minutes is None else older_than_minutes
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
