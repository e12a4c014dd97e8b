"""The content of a published list: what the public may know of the register, as one
canonical JSON text whose SHA-256 identifies it.

A content is built whole (``build``: three queries over the register, ~0.4 s at 10,000
agencies) or advanced from the previous one (``advance``: the rows of the agencies that
changed are read again and spliced in, a few milliseconds). Both give the same bytes for
the same register: rows are sorted by key in Python (not by the database's collation)
and each row is encoded on its own, so the canonical text is the previous rows' bytes
joined with the new ones. The periodic full rebuild (``publish_if_changed``) catches any
change that was never signalled.

A version carries a *patch* from its side's previous content (the rows that changed and
the keys that left), so that a process holding the previous version advances to the new
one without decoding 5 MB again (``apply_patch``); the same patch gives the version's
diff.
"""

from __future__ import annotations

import gc
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date

from .choices import AgencyStatus
from .models import PUBLISHED_FIELDS, AgencyEvent, Sector, SendingAgency

PUBLIC_EVENT_STATUSES = (AgencyStatus.CERTIFIED, AgencyStatus.REVOKED, AgencyStatus.EXPIRED)


def encode(value) -> bytes:
    """The canonical encoding of a value: compact, UTF-8, keys in insertion order. Every
    dict is built in a fixed key order, so no ``sort_keys`` is needed (it costs ~0.25 s
    at 10,000 agencies)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(text: str) -> dict:
    """Decode a content that the process keeps (a version the public pages read).

    Its ~100,000 objects (10,000 agencies) would otherwise be scanned by every full pass
    of the cyclic garbage collector, ~50 ms each: the p99 of every request the process
    serves. Decoded content holds no reference cycles and is freed by reference counting
    once dropped, so it is moved out of the collector's reach (``gc.freeze``), after one
    collection so that no garbage cycle is frozen with it. (Objects of the request in
    hand are frozen too: any cycle among them is then never collected. A process
    freezes once per version it decodes whole; versions advanced by patch are not.)"""
    data = json.loads(text)
    gc.collect()
    gc.freeze()
    return data


class Content:
    """A content with its canonical text and each row's encoding (kept to advance it)."""

    __slots__ = ("data", "encoded", "text", "hash")

    def __init__(self, memorandum: str, sectors: dict, rows: list[dict], encoded: list[bytes]):
        self.data = {"memorandum": memorandum, "sectors": sectors, "agencies": rows}
        self.encoded = encoded
        # Byte for byte what encode(self.data) gives, without encoding the rows again.
        self.text = b"".join(
            [
                b'{"memorandum":',
                encode(memorandum),
                b',"sectors":',
                encode(sectors),
                b',"agencies":[',
                b",".join(encoded),
                b"]}",
            ]
        )
        self.hash = sha256(self.text)


# --- Reading the register -------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def read_rows(memorandum, agency_ids: Iterable[int] | None = None) -> list[dict]:
    """The public rows of the agencies ever certified (of ``agency_ids`` only, if given),
    sorted by key. Read with ``values()``: three queries, no model instances."""
    fields = ["pk", "status", "certification_number", "certified_on", "valid_until", *PUBLISHED_FIELDS]
    published = SendingAgency.objects.filter(memorandum=memorandum).published()
    if agency_ids is not None:
        published = published.filter(pk__in=list(agency_ids))
    agencies = list(published.values(*fields))
    ids = published.values("pk")  # subqueries, not 10,000 ids sent back to the server
    sectors_by_agency: dict[int, list[str]] = {}
    through = SendingAgency.sectors.through
    for agency_id, code in (
        through.objects.filter(sendingagency_id__in=ids)
        .values_list("sendingagency_id", "sector__code")
        .iterator()
    ):
        sectors_by_agency.setdefault(agency_id, []).append(code)
    history_by_agency: dict[int, list[dict]] = {}
    events = (
        AgencyEvent.objects.filter(agency_id__in=ids, to_status__in=PUBLIC_EVENT_STATUSES)
        .order_by("at", "id")
        .values_list("agency_id", "effective_on", "to_status", "public_reason", "certification_number")
    )
    for agency_id, effective_on, status, reason, number in events.iterator():
        history_by_agency.setdefault(agency_id, []).append(
            {"on": effective_on.isoformat(), "status": status, "reason": reason, "number": number}
        )
    rows = []
    for agency in agencies:
        history = history_by_agency.get(agency["pk"], [])
        last = history[-1] if history else {}
        status = agency["status"]
        rows.append(
            {
                "key": agency["certification_number"],
                "certification_number": agency["certification_number"],
                "section": "certified" if status == AgencyStatus.CERTIFIED else "withdrawn",
                "status": status if status in PUBLIC_EVENT_STATUSES else last.get("status", status),
                "status_on": last.get("on"),
                "reason": last.get("reason", ""),
                "certified_on": _iso(agency["certified_on"]),
                "valid_until": _iso(agency["valid_until"]),
                **{name: agency[name] for name in PUBLISHED_FIELDS},
                "sectors": sorted(sectors_by_agency.get(agency["pk"], [])),
                "history": history,
            }
        )
    rows.sort(key=_key)
    return rows


def _key(row: dict) -> str:
    return row["key"]


def read_sectors() -> dict:
    return {
        sector.code: {"ja": sector.name_ja, "en": sector.name_en, "ru": sector.name_ru, "tg": sector.name_tg}
        for sector in Sector.objects.order_by("code")
    }


# --- Building and advancing -----------------------------------------------------------


def build(memorandum) -> Content:
    """The whole content, from the register."""
    rows = read_rows(memorandum)
    return Content(memorandum.partner_country, read_sectors(), rows, [encode(row) for row in rows])


def advance(base: Content, memorandum, agency_ids: Iterable[int]) -> tuple[Content, dict]:
    """``base`` with the rows of ``agency_ids`` read again; returns the new content and
    the patch from ``base`` to it. Equal, byte for byte, to ``build`` when every agency
    that changed since ``base`` is in ``agency_ids``."""
    agency_ids = set(agency_ids)
    fresh = read_rows(memorandum, agency_ids)
    fresh_keys = {row["key"] for row in fresh}
    # The keys these agencies had in ``base``: every number they were ever certified
    # under is on their events; a key now held by another agency is that agency's row.
    former = set(
        AgencyEvent.objects.filter(agency_id__in=agency_ids)
        .exclude(certification_number="")
        .values_list("certification_number", flat=True)
    )
    taken = set(
        SendingAgency.objects.filter(certification_number__in=former)
        .exclude(pk__in=agency_ids)
        .values_list("certification_number", flat=True)
    )
    rows = base.data["agencies"]
    entries = {row["key"]: (row, encoded) for row, encoded in zip(rows, base.encoded, strict=True)}
    removed = sorted(key for key in former - fresh_keys - taken if key in entries)
    changed = [row for row in fresh if row["key"] not in entries or entries[row["key"]][0] != row]
    ordered = _splice(entries, removed, {row["key"]: (row, encode(row)) for row in changed})
    sectors = read_sectors()
    content = Content(
        memorandum.partner_country,
        sectors,
        [row for row, _encoded in ordered],
        [encoded for _row, encoded in ordered],
    )
    return content, {"base": base.hash, "sectors": sectors, "rows": changed, "removed": removed}


def patch_between(base_hash: str, previous: dict, current: dict) -> dict:
    """The patch from one content to another, by comparing their rows (~10 ms at
    10,000 agencies): what a full rebuild records for the readers."""
    before = {row["key"]: row for row in previous["agencies"]}
    rows = [row for row in current["agencies"] if before.get(row["key"]) != row]
    keys = {row["key"] for row in current["agencies"]}
    return {
        "base": base_hash,
        "sectors": current["sectors"],
        "rows": rows,
        "removed": sorted(key for key in before if key not in keys),
    }


def apply_patch(base: dict, patch: dict) -> dict:
    """The content that ``patch`` leads to from ``base`` (decoded). Rows that did not
    change are shared with ``base``, not copied."""
    entries = {row["key"]: row for row in base["agencies"]}
    rows = _splice(entries, patch["removed"], {row["key"]: row for row in patch["rows"]})
    return {"memorandum": base["memorandum"], "sectors": patch["sectors"], "agencies": rows}


def _splice(entries: dict, removed: Iterable[str], upserted: dict) -> list:
    """``entries`` (by key) without the ``removed`` keys, with ``upserted``, in key
    order: the one splice of the publisher (rows with their bytes) and the readers."""
    for key in removed:
        entries.pop(key, None)
    entries.update(upserted)
    return [entries[key] for key in sorted(entries)]


# --- What a diff shows ----------------------------------------------------------------

#: What a diff compares: the published fields, the sectors and the validity.
DIFF_FIELDS = (*PUBLISHED_FIELDS, "sectors", "valid_until")


def compute_diff(previous: dict | None, current: dict) -> dict:
    """Added, revoked, expired, reinstated and changed agencies between two contents.
    Rows equal on both sides add nothing, so the rows of a patch and their previous
    rows give the same diff as the whole contents (``diff_of_patch``)."""
    before = {row["key"]: row for row in (previous or {}).get("agencies", [])}
    diff = {"added": [], "revoked": [], "expired": [], "reinstated": [], "changed": []}
    for row in current["agencies"]:
        old = before.get(row["key"])
        summary = {"key": row["key"], "name": row["name_tg"], "on": row["status_on"], "reason": row["reason"]}
        if old is None:
            diff["added" if row["section"] == "certified" else row["status"]].append(summary)
            continue
        if old["status"] != row["status"]:
            if row["status"] == AgencyStatus.REVOKED:
                diff["revoked"].append(summary)
            elif row["status"] == AgencyStatus.EXPIRED:
                diff["expired"].append(summary)
            elif row["status"] == AgencyStatus.CERTIFIED:
                diff["reinstated"].append(summary)
        fields = {
            name: [old.get(name), row.get(name)] for name in DIFF_FIELDS if old.get(name) != row.get(name)
        }
        if fields:
            diff["changed"].append({"key": row["key"], "name": row["name_tg"], "fields": fields})
    return {key: value for key, value in diff.items() if value}


def diff_of_patch(base: dict | None, patch: dict) -> dict:
    if base is None:
        return compute_diff(None, {"agencies": patch["rows"]})
    keys = {row["key"] for row in patch["rows"]}
    return compute_diff(
        {"agencies": [row for row in base["agencies"] if row["key"] in keys]}, {"agencies": patch["rows"]}
    )


# --- The publisher's memory -----------------------------------------------------------


class Recent:
    """The contents this process built last, by hash: the base of the next ``advance``.
    A content is identified by its hash, so a hit is the published content itself.
    Each costs ~30-50 MB at 10,000 agencies, hence only the last two."""

    def __init__(self, size: int = 2):
        self.size = size
        self._contents: OrderedDict[str, Content] = OrderedDict()
        self._lock = threading.Lock()  # for a threaded worker pool

    def get(self, content_hash: str) -> Content | None:
        with self._lock:
            return self._contents.get(content_hash)

    def remember(self, content: Content) -> None:
        with self._lock:
            self._contents[content.hash] = content
            self._contents.move_to_end(content.hash)
            while len(self._contents) > self.size:
                self._contents.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._contents.clear()


recent = Recent()
