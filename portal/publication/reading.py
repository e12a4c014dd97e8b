"""Reading the published versions, for the public pages: a per-process cache.

A version never changes once written (only its documents are attached later), so a
process keeps what it derived from one — the decoded content, the encoded pages, the
search index, the filter choices — with it, in a ``Version``; when the row is read
again (its documents attached), the ``Version`` keeps all that and takes the new row.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import threading
import time
from collections import OrderedDict

from . import content as contents
from .models import Publication


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


class SearchIndex:
    """Each row's searchable text, case-folded, in one string, a line per row: a search
    is a scan of that string in C (~0.1 ms at 10,000 rows, where testing each row's
    text in turn took ~2 ms), then a bisection per row found."""

    def __init__(self, rows: list[dict], fields: tuple[str, ...]):
        texts = [
            " ".join(_text(row.get(field)) for field in fields).casefold().replace("\n", " ") for row in rows
        ]
        self.text = "\n".join(texts)
        #: Where each row's line starts, and one past the end.
        self.starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))

    def matches(self, needle: str) -> list[int]:
        """The positions, ascending, of the rows whose text contains ``needle``."""
        if not needle or "\n" in needle:
            return []
        found = []
        position = self.text.find(needle)
        while position != -1:
            index = bisect.bisect_right(self.starts, position) - 1
            found.append(index)
            position = self.text.find(needle, self.starts[index + 1])  # on to the next row
        return found


def _text(value) -> str:
    if not value:
        return ""
    return " ".join(value) if isinstance(value, list) else str(value)


class Version:
    """A published version as this process holds it: its row (``publication``) and what
    was derived from its content. ``snapshot`` is decoded on first use, unless the
    previous version's patch led here."""

    def __init__(self, published_list, publication: Publication, snapshot: dict | None = None):
        self.list = published_list
        self.publication = publication
        self._snapshot = snapshot
        self.pages: dict[str, Page] = {}
        self._derived: dict[str, object] = {}

    @property
    def snapshot(self) -> dict:
        if self._snapshot is None:
            self._snapshot = self.publication.snapshot
        return self._snapshot

    @property
    def decoded(self) -> bool:
        return self._snapshot is not None

    @property
    def rows(self) -> list[dict]:
        return self.snapshot[self.list.rows_key]

    def derived(self, name: str, compute):
        """A value computed once per version and process (``compute(self)``)."""
        value = self._derived.get(name)
        if value is None:
            value = self._derived[name] = compute(self)
        return value

    @property
    def search_index(self) -> SearchIndex:
        return self.derived("search", lambda version: SearchIndex(version.rows, version.list.search_fields))

    def page(self, language: str) -> Page:
        """The version's pre-rendered first page in ``language``, encoded once per
        process (encoding 35 kB on each request was a third of the view's time)."""
        page = self.pages.get(language)
        if page is None:
            page = self.pages[language] = Page(self.publication.rendered[language])
        return page

    def filtered_rows(self, query: dict) -> list[dict]:
        rows = self.rows
        text = query.get("q", "").strip().casefold()
        if text:
            rows = [rows[index] for index in self.search_index.matches(text)]
        for declared in self.list.filters:
            value = query.get(declared.name)
            if not value:
                continue
            if declared.contains:
                rows = [row for row in rows if value in (row.get(declared.field) or ())]
            else:
                rows = [row for row in rows if row.get(declared.field) == value]
        return rows

    def row(self, key: str) -> dict | None:
        index = self.derived("keys", lambda version: {row["key"]: i for i, row in enumerate(version.rows)})
        position = index.get(key)
        return None if position is None else self.rows[position]


def documents_on_disk(publication: Publication) -> bool:
    """Rendered, and not pruned by the retention policy (the hashes stay, the files go)."""
    return publication.documents_ready and all(
        getattr(publication, f"{kind}_file") for kind in ("json", "csv", "html", "pdf")
    )


class PublishedLists:
    """A per-process cache of published versions of every list. A version is kept by id;
    which version is current is re-read at most every ``ttl`` seconds. The public pages
    thus serve what was rendered at publication time without touching the register."""

    def __init__(self, ttl: float = 0.5, size: int = 16, pages: int = 256):
        self.ttl = ttl
        self.size = size
        self.pages = pages
        self._current: dict[tuple[str, str], tuple[float, int | None]] = {}
        self._versions: OrderedDict[int, tuple[Version, float]] = OrderedDict()
        self._pages: OrderedDict[tuple, Page] = OrderedDict()
        self._lock = threading.Lock()

    def current(self, published_list, side_code: str) -> Version | None:
        now = time.monotonic()
        key = (published_list.name, side_code)
        checked = self._current.get(key)
        if checked is None or now - checked[0] > self.ttl:
            publication_id = (
                Publication.objects.filter(list_name=published_list.name, side__code=side_code)
                .order_by("-version")
                .values_list("pk", flat=True)
                .first()
            )
            checked = (now, publication_id)
            self._current[key] = checked
        return self.get(published_list, checked[1]) if checked[1] else None

    def version(self, published_list, side_code: str, number: int) -> Version | None:
        publication_id = (
            Publication.objects.filter(list_name=published_list.name, side__code=side_code, version=number)
            .values_list("pk", flat=True)
            .first()
        )
        return self.get(published_list, publication_id) if publication_id else None

    def get(self, published_list, publication_id: int) -> Version:
        now = time.monotonic()
        with self._lock:
            cached = self._versions.get(publication_id)
            if cached is not None:
                self._versions.move_to_end(publication_id)
        # Read a version's row again only while its documents are being rendered (or
        # rendered again after a prune), and then at most once per ttl.
        if cached is None:
            cached = self._load(published_list, publication_id), now
        elif not documents_on_disk(cached[0].publication) and now - cached[1] > self.ttl:
            version = cached[0]
            fresh = Publication.objects.select_related("side").defer("rendered").get(pk=publication_id)
            fresh.rendered = version.publication.rendered
            version.publication = fresh  # what was derived from the content stays
            cached = version, now
        else:
            return cached[0]
        with self._lock:
            self._versions[publication_id] = cached
            while len(self._versions) > self.size:
                self._versions.popitem(last=False)
        return cached[0]

    def _load(self, published_list, publication_id: int) -> Version:
        publication = Publication.objects.select_related("side").get(pk=publication_id)
        # The content (5 MB at 10,000 agencies) is decoded only when a page needs the
        # snapshot (the unfiltered list and the feed are served from ``rendered``), and
        # not at all when the previous version is at hand: its patch leads here.
        base = self._decoded(publication.patch.get("base"))
        snapshot = contents.apply_patch(published_list, base.snapshot, publication.patch) if base else None
        return Version(published_list, publication, snapshot)

    def _decoded(self, content_hash: str | None) -> Version | None:
        """A cached version with this content whose snapshot is already decoded."""
        if not content_hash:
            return None
        with self._lock:
            for cached, _checked in reversed(self._versions.values()):
                if cached.publication.content_hash == content_hash and cached.decoded:
                    return cached
        return None

    def searched_page(self, version: Version, key: tuple, render) -> Page:
        """A searched or filtered page of a version, rendered by ``render()`` the first
        time it is asked for in this process. A version never changes and the public
        pages do not depend on the visitor, so the page is kept as it is (the last
        ``pages`` of them): a search costs ~7 ms at 10,000 rows, its repetition as
        little as the unfiltered list."""
        key = (version.publication.pk, *key)
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

    def held(self) -> list[Version]:
        with self._lock:
            return [version for version, _checked in self._versions.values()]

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
