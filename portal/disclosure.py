"""Who sees which part of a record: decided here once, used by pages, the API, exports
and PDFs (DESIGN.md §3).

Information has an origin. A shared record holds the originating side's part (an
investigation: Japan's report) and may hold a part the other side adds (Tajikistan's
findings and measures). A written consent discloses to its third party **only the parts
that come from the side that gave it**; the other side's parts stay withheld until that
side consents too. A consent opens anything only while it is live at the moment of
reading (``DisclosureConsent.objects.active()``): an expired or withdrawn consent opens
nothing, whether the periodic job has tidied its permission away or not.

A model may also withhold single fields from some readers of its own side's records
(``hidden_fields_for``: the Tajik taxpayer number is the partner ministry's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType

if TYPE_CHECKING:
    from django.db import models

    from .models import Organization, User

ORIGIN = "origin"
COUNTERPART = "counterpart"

#: Fields every reader of a record sees: what the record is, not what it says.
METADATA = frozenset(
    {"id", "memorandum", "origin", "status", "created_at", "updated_at", "shared_at", "reference"}
)
#: What the receiving side adds to every shared record (``portal.records``): its part.
KIT_COUNTERPART = frozenset({"acknowledged_at", "acknowledged_by", "assigned_to", "last_reminded_on"})
#: Relations whose rows each belong to one side (a file, a step of the timeline): a
#: third party reads them row by row (``visible_attachments``, ``visible_events``),
#: never through the record, where they always read as withheld.
PER_ROW = frozenset({"attachments", "events"})


def record_parts(model: type[models.Model]) -> dict[str, frozenset[str]]:
    """``{"origin": names, "counterpart": names}`` of a shared record kind.

    The counterpart's part is declared on the model (``counterpart_fields``); the
    record's ``subject_fields`` (what it is about, e.g. the agency investigated) are
    metadata; everything else the model has (its fields and reverse relations such as
    attachments) is the originating side's.
    """
    counterpart = frozenset(getattr(model, "counterpart_fields", ())) | KIT_COUNTERPART
    subject = frozenset(getattr(model, "subject_fields", ()))
    names = {field.name for field in model._meta.get_fields()}
    names |= {field.attname for field in model._meta.concrete_fields}
    origin = frozenset(names) - METADATA - subject - counterpart - PER_ROW

    def with_ids(part: frozenset[str]) -> frozenset[str]:  # ``assigned_to`` withholds ``assigned_to_id``
        return part | {f"{name}_id" for name in part}

    return {ORIGIN: with_ids(origin), COUNTERPART: with_ids(counterpart)}


def withholdable_fields(model: type[models.Model]) -> frozenset[str]:
    """Every field some reader of ``model`` may have withheld: what the API schema must
    not promise as always present."""
    from .models import SharedRecord

    names = set(getattr(model, "PARTNER_ONLY_FIELDS", ()))
    if issubclass(model, SharedRecord):
        for part in record_parts(model).values():
            names |= part
        names |= PER_ROW
    return frozenset(names)


def consenting_side_ids(organization: Organization, record) -> set[int]:
    """The sides whose live written consent lets ``organization`` read ``record`` now
    (read once per record and reader; ``disclose_all`` reads a whole page at once)."""
    cached = getattr(record, "_consenting_side_ids", None)
    if cached is not None and cached[0] == organization.pk:
        return cached[1]
    return _consenting_side_ids(organization, [record])[record.pk]


def _consenting_side_ids(organization: Organization, records) -> dict[int, set[int]]:
    from .models import DisclosureConsent

    found: dict[int, set[int]] = {record.pk: set() for record in records}
    rows = (
        DisclosureConsent.objects.active()
        .filter(
            content_type=ContentType.objects.get_for_model(records[0]),
            object_id__in=list(found),
            third_party=organization,
        )
        .values_list("object_id", "side_id")
    )
    for object_id, side_id in rows:
        found[object_id].add(side_id)
    for record in records:
        record._consenting_side_ids = (organization.pk, found[record.pk])
    return found


def shared_record_hidden_fields(user: User, record) -> frozenset[str]:
    """A third party sees the parts of the sides that consented; the sides see all."""
    if user.is_superuser:
        return frozenset()
    organization = getattr(user, "organization", None)
    if organization is None:
        return frozenset(METADATA)  # nobody: callers reach this only through restrict()
    if not organization.is_third_party:
        return frozenset()
    consented = consenting_side_ids(organization, record)
    parts = record_parts(type(record))
    origin_side_id = record.origin.side_id
    hidden: set[str] = set(PER_ROW)
    if origin_side_id not in consented:
        hidden |= parts[ORIGIN]
    if not consented - {origin_side_id}:
        hidden |= parts[COUNTERPART]
    return frozenset(hidden)


def readable_side_ids(user: User, record) -> set[int] | None:
    """The sides whose rows of ``record`` (files, timeline steps) ``user`` may read:
    ``None`` for all of them (either side, a superuser), else the sides whose live
    written consent names the user's organization."""
    organization = getattr(user, "organization", None)
    if user.is_superuser or (organization is not None and not organization.is_third_party):
        return None
    if organization is None:
        return set()
    return consenting_side_ids(organization, record)


def _by_side(rows, user: User, record):
    record = getattr(record, "_obj", record)  # a Disclosed view: the record's rows
    sides = readable_side_ids(user, record)
    return rows if sides is None else rows.filter(side_id__in=sides)


def visible_attachments(record, user: User):
    """The files of ``record`` that ``user`` may open: a third party, those of the
    sides that consented. Call it on a record read through ``restrict()``."""
    record = getattr(record, "_obj", record)
    return _by_side(record.attachments.select_related("uploaded_by"), user, record)


def visible_events(record, user: User):
    """The timeline of ``record`` as ``user`` may read it (see ``visible_attachments``)."""
    record = getattr(record, "_obj", record)
    return _by_side(record.events.select_related("actor", "side"), user, record)


def visible_comments(record, user: User):
    """The comments on ``record`` that ``user`` may read (see ``visible_attachments``)."""
    record = getattr(record, "_obj", record)
    return _by_side(record.comments.select_related("author", "side"), user, record)


def hidden_fields(user: User, obj) -> frozenset[str]:
    """The names of ``obj``'s fields (and relations) that ``user`` may not read."""
    rule = getattr(obj, "hidden_fields_for", None)
    return frozenset(rule(user)) if rule is not None else frozenset()


class Withheld(str):
    """What a withheld field reads as: an empty text. Templates render nothing for it
    (``{{ x }}``, ``|date``, ``|linebreaksbr``), ``{% if %}`` finds it false, asking it
    for an attribute fails (a template then shows nothing), and as a relation it has
    no rows (``.all()``)."""

    def all(self) -> tuple:
        return ()


WITHHELD = Withheld("")


class Disclosed:
    """``obj`` as ``user`` may read it: withheld fields, their ``get_*_display`` and
    their ``_id`` read as :data:`WITHHELD`. Templates and PDFs render this, never the
    model instance, so a template written later cannot show a withheld part."""

    def __init__(self, obj, user: User):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_hidden", hidden_fields(user, obj))

    @property
    def hidden(self) -> frozenset[str]:
        return self._hidden

    def __getattr__(self, name: str) -> Any:
        hidden = self._hidden
        if name in hidden:
            return WITHHELD
        if name.startswith("get_") and name.endswith("_display") and name[4:-8] in hidden:
            return lambda: WITHHELD
        return getattr(self._obj, name)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError("a disclosed record is read-only")

    def __str__(self) -> str:
        return str(self._obj)

    def __eq__(self, other) -> bool:
        return self._obj == (other._obj if isinstance(other, Disclosed) else other)

    def __hash__(self) -> int:
        return hash(self._obj)


def disclose(obj, user: User):
    """``obj`` itself when the user may read all of it, else a :class:`Disclosed` view."""
    return Disclosed(obj, user) if hidden_fields(user, obj) else obj


def prefetch_consents(objects, user: User) -> None:
    """Read a third party's live consents for a page of records in one query, so that
    deciding each row's withheld parts costs nothing more."""
    from .models import SharedRecord

    organization = getattr(user, "organization", None)
    if objects and isinstance(objects[0], SharedRecord) and organization and organization.is_third_party:
        _consenting_side_ids(organization, objects)


def disclose_all(objects, user: User) -> list:
    """``disclose`` for a page of rows (see ``prefetch_consents``)."""
    objects = list(objects)
    prefetch_consents(objects, user)
    return [disclose(obj, user) for obj in objects]
