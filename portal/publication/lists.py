"""What a published list declares, and the registry of the lists.

An app declares a list by subclassing ``PublishedList`` and registering an instance
from its ``AppConfig.ready()`` (``register``): its name, the rows it publishes and how
they are read, compared and searched, its sections, filters and CSV columns, its
templates and which sides publish it. The component (``portal.publication``) does the
rest: numbered immutable versions per side, content stored once with its SHA-256, patch
and diff from the previous version, pre-rendered pages, CSV/JSON/HTML/PDF files on the
documents queue, Atom, ETag and the per-process caches of the public pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise

#: Row keys the component itself gives meaning to.
RESERVED_META = {"memorandum", "base", "rows", "removed"}


@dataclass(frozen=True)
class Section:
    """A part of the list page (e.g. certified / revoked): the rows whose
    ``row["section"]`` is ``name``. The page context holds, for each section, its rows
    on the page as ``<name>`` and their number as ``<name>_total``."""

    name: str
    label: str | Promise


@dataclass(frozen=True)
class Filter:
    """A filter of the public list page, asked as ``?<name>=``. ``field`` is the row's
    field; ``contains`` when the field is a list (a row matches if the value is in it)."""

    name: str
    field: str
    contains: bool = False


@dataclass(frozen=True)
class Templates:
    page: str
    document: str
    pdf: str
    feed: str
    versions: str
    version: str
    detail: str


@dataclass(frozen=True)
class UrlNames:
    """The list's public URL names in the ``public`` namespace, from its prefix
    (``agency`` → ``public:agency-list``, ``public:agency-file``…)."""

    prefix: str
    list: str = field(init=False)
    feed: str = field(init=False)
    current_file: str = field(init=False)
    versions: str = field(init=False)
    version: str = field(init=False)
    file: str = field(init=False)
    detail: str = field(init=False)

    def __post_init__(self):
        for name in ("list", "feed", "current_file", "versions", "version", "file", "detail"):
            object.__setattr__(self, name, f"public:{self.prefix}-{name.replace('_', '-')}")


class PublishedList:
    """A list published in numbered versions. Subclass and set or override:

    - ``name``: stored on each version, in media folders and task arguments; never change it;
    - ``rows_key`` and ``meta_keys``: the content's keys (rows, and what goes beside them);
    - ``url_prefix``, ``url_path``: the public URLs (``/public/<url_path>/<side>/…``);
    - ``file_stem``: the downloaded files' names (``tj-<file_stem>-v3.csv``);
    - ``title``; ``sections``; ``filters``; ``search_fields``; ``csv_columns``; ``templates``;
    - ``read_rows`` (required), ``read_meta``, ``former_keys``, ``changed_since``,
      ``diff``, ``publishers``, ``page_context``, ``csv_row``.

    Each row is a dict with a unique ``key`` and a ``section``, in a fixed key order
    (the canonical text encodes it as built)."""

    name: str = ""
    title: str | Promise = ""
    rows_key: str = "rows"
    meta_keys: tuple[str, ...] = ()
    url_prefix: str = ""
    url_path: str = ""
    #: The path segment of a row's page: ``/public/<url_path>/<side>/<detail_path>/<key>/``.
    detail_path: str = "item"
    file_stem: str = ""
    sections: tuple[Section, ...] = ()
    filters: tuple[Filter, ...] = ()
    search_fields: tuple[str, ...] = ()
    csv_columns: tuple[str, ...] = ()
    #: The field a diff names a row by.
    label_field: str = "key"
    #: The fields a diff compares (the default diff).
    diff_fields: tuple[str, ...] = ()
    templates: Templates
    page_size: int = 50
    feed_entries: int = 50
    #: Rows named per change kind in one feed entry; the version page has them all.
    feed_rows: int = 20

    @property
    def urls(self) -> UrlNames:
        return UrlNames(self.url_prefix)

    # --- what the app provides --------------------------------------------------------

    def read_rows(self, memorandum, ids=None) -> list[dict]:
        """The public rows of the list (of the items ``ids`` only, if given)."""
        raise NotImplementedError

    def read_meta(self, memorandum) -> dict:
        """What the content holds beside the rows, keyed by ``meta_keys`` in order."""
        return {}

    def content_meta(self, memorandum) -> dict:
        """What the content holds beside the rows: the list's own meta, then each
        notice shown with every list (``Notice``) that has entries."""
        return {**self.read_meta(memorandum), **read_notices(memorandum)}

    def former_keys(self, memorandum, ids) -> set[str]:
        """The keys the items ``ids`` may have had in the previous content: a row whose
        item no longer gives it (the item left the list, or its key changed) is removed
        when its item is read again. Required for a list whose rows can leave."""
        return set()

    def changed_since(self, memorandum, moment) -> list[int]:
        """The items changed since ``moment``: published with the ones a request names,
        so that a burst of changes makes one version. None by default."""
        return []

    def publishers(self, memorandum):
        """The sides that publish this list (a queryset of ``Side``)."""
        return memorandum.sides.order_by("pk")

    def document_language(self, side) -> str:
        """The language of the files (CSV headers, HTML, PDF, Atom) a side publishes."""
        return settings.PUBLICATION_LANGUAGES.get(side.country, "en")

    def diff(self, before: dict, rows: list[dict], removed) -> dict:
        """What changed: ``before`` holds the previous rows of the keys concerned,
        ``rows`` the rows now (only changed ones, or all), ``removed`` the keys that
        left. Default: added, changed (with the fields), removed."""
        diff = {"added": [], "changed": [], "removed": []}
        for row in rows:
            old = before.get(row["key"])
            if old is None:
                diff["added"].append({"key": row["key"], "name": row.get(self.label_field, "")})
                continue
            fields = {
                name: [old.get(name), row.get(name)]
                for name in self.diff_fields
                if old.get(name) != row.get(name)
            }
            if fields:
                diff["changed"].append(
                    {"key": row["key"], "name": row.get(self.label_field, ""), "fields": fields}
                )
        for key in removed:
            old = before.get(key, {})
            diff["removed"].append({"key": key, "name": old.get(self.label_field, "")})
        return {kind: entries for kind, entries in diff.items() if entries}

    def page_context(self, version, language: str) -> dict:
        """What the list's templates need beyond the rows (filter choices, names)."""
        return {}

    def csv_row(self, row: dict) -> dict:
        """A row's CSV values by column: lists of texts joined by spaces."""
        return {
            key: " ".join(value)
            if isinstance(value, list) and all(isinstance(v, str) for v in value)
            else value
            for key, value in row.items()
        }

    def __repr__(self) -> str:
        return f"<PublishedList {self.name}>"


@dataclass(frozen=True)
class Notice:
    """Something published with every list of every side while it holds (an acceptance
    suspension in force, clause 8), declared once by the app that owns it
    (``register_notice``) instead of by each list.

    ``read(memorandum)`` gives its entries, each a dict with a unique ``key``, a
    ``label`` (a name in each language, ``{"ja": …, "en": …}``) and ``on`` (its date);
    they go into every list's content under ``key`` (after the list's own meta), and
    only when there are some, so a list's content is unchanged while none holds. A
    version's diff names the entries that ``started``, ``ended`` or ``changed``
    (``diff["notices"]``: ``{"notice", "change", "key", "on", "text"}``, the text in
    each language from the messages ``started``…, given ``%(label)s`` and
    ``%(on)s``); the pages
    show them with ``template`` (given ``entries`` and the reader's ``language``).
    When the entries change, call ``publishing.request_notices``."""

    key: str
    read: Callable
    template: str
    started: str
    ended: str
    changed: str

    def message(self, change: str):
        return {"started": self.started, "ended": self.ended, "changed": self.changed}[change]


_NOTICES: dict[str, Notice] = {}


def register_notice(notice: Notice) -> Notice:
    """Declare a notice shown with every list (from the app's ``AppConfig.ready()``)."""
    if notice.key in RESERVED_META or any(
        notice.key in (*pl.meta_keys, pl.rows_key) for pl in _LISTS.values()
    ):
        raise ValueError(f"{notice.key}: already a key of the contents")
    _NOTICES[notice.key] = notice
    return notice


def notices() -> list[Notice]:
    return list(_NOTICES.values())


def read_notices(memorandum) -> dict:
    """The notices that hold, by key, in a fixed order (the canonical text encodes it)."""
    read = {notice.key: notice.read(memorandum) for notice in _NOTICES.values()}
    return {key: entries for key, entries in read.items() if entries}


def notices_of(data: dict) -> dict:
    """The notices a content (or a patch) holds, by key."""
    return {key: data[key] for key in _NOTICES if key in data}


def notices_diff(previous: dict | None, current: dict) -> list[dict]:
    """What the notices of ``current`` say started, ended or changed since ``previous``."""
    entries = []
    for notice in _NOTICES.values():
        before = {entry["key"]: entry for entry in (previous or {}).get(notice.key, [])}
        after = {entry["key"]: entry for entry in current.get(notice.key, [])}
        for key, entry in after.items():
            change = "started" if key not in before else ("changed" if before[key] != entry else None)
            if change:
                entries.append(_notice_change(notice, change, entry))
        for key, entry in before.items():
            if key not in after:
                entries.append(_notice_change(notice, "ended", entry))
    return entries


def _notice_change(notice: Notice, change: str, entry: dict) -> dict:
    """A diff's line about a notice, worded in each language when the version is
    published (a version and its diff never change afterwards)."""
    from django.utils import translation

    label = entry.get("label", {})
    text = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            text[language] = str(notice.message(change)) % {
                "label": label.get(language) or label.get("en", entry["key"]),
                "on": entry.get("on") or "",
            }
    return {"notice": notice.key, "change": change, "key": entry["key"], "on": entry.get("on"), "text": text}


_LISTS: dict[str, PublishedList] = {}


def register(published_list: PublishedList) -> PublishedList:
    """Declare a list (from the app's ``AppConfig.ready()``): its public URLs are
    included under ``/public/<url_path>/``."""
    from portal import hooks

    from . import urls

    reserved = (RESERVED_META | set(_NOTICES)) & {*published_list.meta_keys, published_list.rows_key}
    if reserved:
        raise ValueError(f"{published_list.name}: {sorted(reserved)} are the component's keys")
    if published_list.name in _LISTS:
        raise ValueError(f"{published_list.name}: declared twice")
    _LISTS[published_list.name] = published_list
    hooks.register_urls(f"{published_list.url_path}/", urls.patterns(published_list), public=True)
    return published_list


def get(name: str) -> PublishedList:
    return _LISTS[name]


def all_lists() -> list[PublishedList]:
    return list(_LISTS.values())
