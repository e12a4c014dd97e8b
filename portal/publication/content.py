"""The content of a published list: what the public may know of it, as one canonical
JSON text whose SHA-256 identifies it.

A content is built whole (``build``: the list's ``read_rows`` over the register) or
advanced from the previous one (``advance``: the rows of the items that changed are read
again and spliced in, a few milliseconds). Both give the same bytes for the same
register: rows are sorted by key in Python (not by the database's collation) and each
row is encoded on its own, so the canonical text is the previous rows' bytes joined with
the new ones. The periodic full rebuild catches any change that was never signalled.

A version carries a *patch* from its side's previous content (the rows that changed and
the keys that left), so that a process holding the previous version advances to the new
one without decoding the whole content again (``apply_patch``); the same patch gives
the version's diff.

The text is ``{"memorandum": …, <the list's meta keys>…, "<rows key>": [rows]}``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable

from . import lists


def encode(value) -> bytes:
    """The canonical encoding of a value: compact, UTF-8, keys in insertion order. Every
    dict is built in a fixed key order, so no ``sort_keys`` is needed (it costs ~0.25 s
    at 10,000 rows)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Content:
    """A content with its canonical text and each row's encoding (kept to advance it)."""

    __slots__ = ("data", "encoded", "text", "hash")

    def __init__(self, published_list, memorandum: str, meta: dict, rows: list[dict], encoded: list[bytes]):
        self.data = {"memorandum": memorandum, **meta, published_list.rows_key: rows}
        self.encoded = encoded
        # Byte for byte what encode(self.data) gives, without encoding the rows again.
        parts = [b'{"memorandum":', encode(memorandum)]
        for key, value in meta.items():
            parts += [b',"', key.encode(), b'":', encode(value)]
        parts += [b',"', published_list.rows_key.encode(), b'":[', b",".join(encoded), b"]}"]
        self.text = b"".join(parts)
        self.hash = sha256(self.text)


def build(published_list, memorandum) -> Content:
    """The whole content, from the register."""
    rows = published_list.read_rows(memorandum)
    rows.sort(key=_key)
    return Content(
        published_list,
        memorandum.partner_country,
        published_list.content_meta(memorandum),
        rows,
        [encode(row) for row in rows],
    )


def advance(published_list, base: Content, memorandum, item_ids: Iterable[int]) -> tuple[Content, dict]:
    """``base`` with the rows of ``item_ids`` read again; returns the new content and
    the patch from ``base`` to it. Equal, byte for byte, to ``build`` when every item
    that changed since ``base`` is in ``item_ids``."""
    item_ids = set(item_ids)
    fresh = published_list.read_rows(memorandum, item_ids)
    fresh_keys = {row["key"] for row in fresh}
    rows = base.data[published_list.rows_key]
    entries = {row["key"]: (row, encoded) for row, encoded in zip(rows, base.encoded, strict=True)}
    former = published_list.former_keys(memorandum, item_ids)
    removed = sorted(key for key in former - fresh_keys if key in entries)
    changed = [row for row in fresh if row["key"] not in entries or entries[row["key"]][0] != row]
    changed.sort(key=_key)
    ordered = _splice(entries, removed, {row["key"]: (row, encode(row)) for row in changed})
    meta = published_list.content_meta(memorandum)
    content = Content(
        published_list,
        memorandum.partner_country,
        meta,
        [row for row, _encoded in ordered],
        [encoded for _row, encoded in ordered],
    )
    return content, {"base": base.hash, **meta, "rows": changed, "removed": removed}


def patch_between(published_list, base_hash: str, previous: dict, current: dict) -> dict:
    """The patch from one content to another, by comparing their rows (~10 ms at
    10,000 rows): what a full rebuild records for the readers."""
    key = published_list.rows_key
    before = {row["key"]: row for row in previous[key]}
    rows = [row for row in current[key] if before.get(row["key"]) != row]
    keys = {row["key"] for row in current[key]}
    return {
        "base": base_hash,
        **{name: current[name] for name in published_list.meta_keys},
        **lists.notices_of(current),
        "rows": rows,
        "removed": sorted(key for key in before if key not in keys),
    }


def apply_patch(published_list, base: dict, patch: dict) -> dict:
    """The content that ``patch`` leads to from ``base`` (decoded). Rows that did not
    change are shared with ``base``, not copied."""
    entries = {row["key"]: row for row in base[published_list.rows_key]}
    rows = _splice(entries, patch["removed"], {row["key"]: row for row in patch["rows"]})
    return {
        "memorandum": base["memorandum"],
        **{name: patch[name] for name in published_list.meta_keys},
        **lists.notices_of(patch),
        published_list.rows_key: rows,
    }


def _key(row: dict) -> str:
    return row["key"]


def _splice(entries: dict, removed: Iterable[str], upserted: dict) -> list:
    """``entries`` (by key) without the ``removed`` keys, with ``upserted``, in key
    order: the one splice of the publisher (rows with their bytes) and the readers."""
    for key in removed:
        entries.pop(key, None)
    entries.update(upserted)
    return [entries[key] for key in sorted(entries)]


def diff_of_patch(published_list, base: dict | None, patch: dict) -> dict:
    """The version's diff from the rows of its patch and their previous rows: rows equal
    on both sides add nothing to a diff, so this is the diff of the whole contents."""
    if base is None:
        return published_list.diff({}, patch["rows"], ())
    keys = {row["key"] for row in patch["rows"]} | set(patch["removed"])
    before = {row["key"]: row for row in base[published_list.rows_key] if row["key"] in keys}
    return published_list.diff(before, patch["rows"], patch["removed"])


def whole_diff(published_list, previous: dict | None, current: dict) -> dict:
    key = published_list.rows_key
    before = {row["key"]: row for row in (previous or {}).get(key, [])}
    keys = {row["key"] for row in current[key]}
    return published_list.diff(before, current[key], sorted(k for k in before if k not in keys))


class Recent:
    """The contents this process built last, by hash: the base of the next ``advance``.
    A content is identified by its hash, so a hit is the published content itself.
    Each costs ~30-50 MB at 10,000 rows, hence only the last two of each list."""

    def __init__(self, size: int = 2):
        self.size = size
        self._contents: dict[str, OrderedDict[str, Content]] = {}
        self._lock = threading.Lock()  # for a threaded worker pool

    def get(self, content_hash: str) -> Content | None:
        with self._lock:
            for contents in self._contents.values():
                if content_hash in contents:
                    return contents[content_hash]
        return None

    def remember(self, published_list, content: Content) -> None:
        with self._lock:
            contents = self._contents.setdefault(published_list.name, OrderedDict())
            contents[content.hash] = content
            contents.move_to_end(content.hash)
            while len(contents) > self.size:
                contents.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._contents.clear()


recent = Recent()
