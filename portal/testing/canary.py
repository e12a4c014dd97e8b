"""The canary crawl (issue 8): plant a unique marker in every confidential text field,
request every page, file, feed, API operation and message as every member of the cast,
and report each marker that reaches someone who may not read it.

What may be read is written here from the rules of DESIGN.md §3 and the Memorandum
(clause 3), **not** by calling the portal's own visibility code (``restrict``,
``hidden_fields``…): a test that asked production who may see what could never fail.
Only the *declarations* of a record kind are read (``counterpart_fields`` through
``portal.disclosure.record_parts``), to know which side a field's information came from.

New code is covered without writing anything:

- record kinds: every concrete subclass of ``portal.models.SharedRecord`` of every
  installed app gets every situation (draft; shared; consent of the origin side; consent
  of the counterpart side; an expired and a withdrawn consent), created through
  ``portal.services`` (an app may register a :class:`RecordFactory` to use its own
  services and fill its required fields; without one, required fields get defaults);
- URLs: every pattern of ``get_resolver()``, path arguments filled from the ids of the
  objects created (the view's ``model`` where it names one, else a model named like the
  argument or the path segment before it, else every id created);
- API: every GET operation of the OpenAPI schema, also as the browsable API;
- other kinds of data (not shared records, e.g. the register of sending agencies) come
  with their own rules in an app's ``<app>.testing`` module: ``register_scenario``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import importlib
import itertools
import re
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone

# --- Markers and audiences ------------------------------------------------------------

MARKER_PREFIX = "zqx"
#: Markers are matched case-insensitively (a template or a PDF may change the case).
MARKER_PATTERN = re.compile(MARKER_PREFIX + r"[0-9]{5}")


@dataclass(frozen=True)
class Audience:
    """Who may read a marker, written from the rules: members of ``organizations``,
    users of organizations of ``sides``, or anyone when ``public``. A superuser may
    read everything."""

    organizations: frozenset[int] = frozenset()
    sides: frozenset[int] = frozenset()
    public: bool = False
    label: str = ""

    def admits(self, reader: Reader) -> bool:
        if reader.is_superuser or self.public:
            return True
        if reader.organization_id is None:
            return False
        return reader.organization_id in self.organizations or reader.side_id in self.sides


@dataclass(frozen=True)
class Reader:
    """Whoever reads a response or a message: a cast member, an organization's inbox,
    an e-mail's recipient, or the anonymous visitor."""

    name: str
    organization_id: int | None = None
    side_id: int | None = None
    is_superuser: bool = False
    is_staff: bool = False

    @classmethod
    def of_user(cls, name: str, user) -> Reader:
        if user is None:
            return cls(name)
        organization = user.organization
        return cls(
            name,
            organization_id=organization.pk if organization else None,
            side_id=organization.side_id if organization else None,
            is_superuser=user.is_superuser,
            is_staff=user.is_staff,
        )

    @classmethod
    def of_organization(cls, organization) -> Reader:
        return cls(f"org:{organization.code}", organization.pk, organization.side_id)


@dataclass(frozen=True)
class Marker:
    token: str
    kind: str  # "agencies.Investigation"
    field: str  # "findings", "screening result note"…
    record: str  # "agencies.Investigation#12"
    situation: str  # "japan: shared + consent of the origin side"
    audience: Audience


@dataclass(frozen=True)
class Leak:
    marker: Marker
    where: str  # a URL, "inbox of org:…", "e-mail to …"
    reader: str


#: What a record is, not what it says (the same list as ``portal.disclosure.METADATA``).
METADATA = frozenset(
    {"id", "memorandum", "origin", "status", "created_at", "updated_at", "shared_at", "reference"}
)
ORIGIN, COUNTERPART = "origin", "counterpart"


def record_parts(model) -> dict[str, frozenset[str]]:
    """Which fields came from which side, from the model's declarations
    (``portal.disclosure.record_parts`` where it exists: it reads only the declarations)."""
    try:
        from portal.disclosure import record_parts as declared
    except ImportError:  # before the declarations' API: everything is the origin's
        counterpart = frozenset(getattr(model, "counterpart_fields", ()))
        names = frozenset(f.name for f in model._meta.get_fields())
        return {ORIGIN: names - counterpart - METADATA, COUNTERPART: counterpart}
    return declared(model)


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """The free-text fields of a model: where a person writes confidential content.
    Fields with choices hold codes, not text; ids and metadata are not text."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.primary_key
        and f.name not in METADATA
        and not f.unique  # a unique code (certification number) is an identifier
    ]


def value_for(f: models.Field, token: str) -> str:
    """A valid value of field ``f`` that carries ``token``."""
    if isinstance(f, models.EmailField):
        return f"{token}@example.org"
    if isinstance(f, models.URLField):
        return f"https://{token}.example.org/"
    return token


# --- The registry of scenarios and record factories -----------------------------------

SCENARIOS: list[Callable[[Canary], None]] = []


def register_scenario(func: Callable[[Canary], None]) -> Callable[[Canary], None]:
    """An app adds data that is not a shared record, with its rules: ``func(canary)``
    creates objects and plants markers with :meth:`Canary.plant`."""
    if func not in SCENARIOS:
        SCENARIOS.append(func)
    return func


def load_app_scenarios() -> list[str]:
    """Import ``<app>.testing`` of every installed app that has one (it registers its
    scenarios and record factories); returns the modules imported."""
    from django.conf import settings

    loaded = []
    for config in apps.get_app_configs():
        if not str(config.path).startswith(str(settings.BASE_DIR)) or "site-packages" in str(config.path):
            continue  # Django's and libraries' apps: not the project's record kinds
        name = f"{config.name}.testing"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        loaded.append(name)
    return loaded


class RecordFactory:
    """How the canary creates records of one kind, through the services. The default
    works for any kind whose required fields can be given defaults; an app registers a
    subclass (``RECORD_FACTORIES[Model] = …``) to use its own services."""

    def required(self, canary: Canary, model, officer) -> dict:
        """Defaults for required fields that are not free text."""
        values = {}
        for f in model._meta.concrete_fields:
            if (
                f.primary_key
                or f.name in METADATA
                or f.name in {"created_by"}
                or f.has_default()
                or f.null
                or f.blank
                or not f.editable
                or f in text_fields(model)
            ):
                continue
            if f.choices:
                values[f.name] = f.choices[0][0]
            elif isinstance(f, models.ForeignKey):
                values[f.name] = f.related_model._default_manager.order_by("pk").first()
            elif isinstance(f, models.DateTimeField):
                values[f.name] = timezone.now() + dt.timedelta(days=30)
            elif isinstance(f, models.DateField):
                values[f.name] = timezone.localdate() + dt.timedelta(days=30)
            elif isinstance(f, models.BooleanField):
                values[f.name] = False
            elif isinstance(f, models.IntegerField | models.DecimalField | models.FloatField):
                values[f.name] = 1
            else:
                values[f.name] = "x"
        return values

    def create(self, canary: Canary, model, officer, values: dict, *, shared: bool):
        """A draft (or a shared record) of ``officer``'s organization with the origin's
        ``values``."""
        from portal import services

        record = services.create_record(model, officer, **self.required(canary, model, officer), **values)
        if shared:
            record = services.share_record(record, officer)
        return record

    def public_fields(self, model, officer, situation: str) -> set[str]:
        """The fields of a record ``officer`` writes that anyone may read in
        ``situation``: what a side provides for publication (an improvement order Japan
        records is published by Tajikistan, 7(5)). None by default."""
        return set()

    def add_counterpart(self, canary: Canary, record, officer, values: dict, plant) -> None:
        """The other side adds its part (``values``) to a shared record. ``plant(label)``
        gives a marker of that part for any related object the factory creates."""
        type(record).objects.filter(pk=record.pk).update(**values)


RECORD_FACTORIES: dict[type, RecordFactory] = {}


class CorrespondenceFactory(RecordFactory):
    def create(self, canary, model, officer, values, *, shared):
        from portal import services

        recipient = officer.organization.side.counterpart().contact_point()
        record = services.draft_correspondence(officer, recipient=recipient, **values)
        return services.send_correspondence(record, officer) if shared else record


def _register_portal_factories() -> None:
    from portal.models import Correspondence

    RECORD_FACTORIES.setdefault(Correspondence, CorrespondenceFactory())


def shared_record_kinds() -> list[type[models.Model]]:
    from portal.models import SharedRecord

    return [
        model
        for model in apps.get_models()
        if issubclass(model, SharedRecord) and not model._meta.abstract and not model._meta.proxy
    ]


# --- The canary: planted markers and created objects ----------------------------------


@dataclass
class Canary:
    cast: dict  # name -> user
    markers: dict[str, Marker] = field(default_factory=dict)
    #: model -> ids of the objects the canary created (path arguments are filled from these)
    created: dict[type, list] = field(default_factory=lambda: defaultdict(list))
    #: path argument name -> values an app knows (side codes, file kinds, list keys…)
    kwarg_values: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    #: URLs an app wants requested besides the patterns (query strings the schema omits)
    extra_urls: list[str] = field(default_factory=list)
    #: shared state between scenarios and factories of one app
    state: dict = field(default_factory=dict)
    #: called once the test is over (caches an app keeps per process)
    cleanups: list[Callable[[], None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _numbers: Iterable[int] = field(default_factory=lambda: itertools.count(1))

    # Audiences -------------------------------------------------------------------
    def all_sides(self) -> frozenset[int]:
        from portal.models import Side

        return frozenset(Side.objects.values_list("pk", flat=True))

    def audience(self, *, organizations=(), sides=(), public=False, label="") -> Audience:
        return Audience(frozenset(organizations), frozenset(sides), public, label)

    # Markers ---------------------------------------------------------------------
    def plant(self, *, kind: str, field: str, record: str, situation: str, audience: Audience) -> str:
        token = f"{MARKER_PREFIX}{next(self._numbers):05d}"
        self.markers[token] = Marker(token, kind, field, record, situation, audience)
        return token

    def rename_record(self, tokens: Iterable[str], record: str) -> None:
        """Markers are planted before the object exists; name it once it does."""
        for token in tokens:
            marker = self.markers[token]
            self.markers[token] = Marker(
                marker.token, marker.kind, marker.field, record, marker.situation, marker.audience
            )

    def add(self, *objects) -> None:
        for obj in objects:
            if obj.pk not in self.created[type(obj)]:
                self.created[type(obj)].append(obj.pk)

    def find(self, text: str) -> set[str]:
        return set(MARKER_PATTERN.findall(text.lower()))

    def leaks_in(self, text: str, reader: Reader, where: str) -> list[Leak]:
        found = []
        for token in sorted(self.find(text)):
            marker = self.markers.get(token)
            if marker is not None and not marker.audience.admits(reader):
                found.append(Leak(marker, where, reader.name))
        return found


# --- Shared records: every kind, every situation --------------------------------------

SITUATIONS = [
    "draft",
    "shared",
    "shared + live consent of the origin side",
    "shared + live consent of the counterpart side only",
    "shared + consent expired",
    "shared + consent withdrawn",
]


def plant_shared_records(canary: Canary, third_party, officers: dict[str, object]) -> int:
    """Create every situation of every shared-record kind for each originating side
    (``officers``: side code -> the officer who writes the record); returns how many
    records were made."""
    from portal import services
    from portal.models import DisclosureConsent

    _register_portal_factories()
    sides = canary.all_sides()
    made = 0
    for model in shared_record_kinds():
        factory = RECORD_FACTORIES.get(model, RecordFactory())
        parts = record_parts(model)
        kind = model._meta.label
        for origin_code, officer in officers.items():
            counterpart_officer = next(o for code, o in officers.items() if code != origin_code)
            for situation in SITUATIONS:
                if situation.endswith("counterpart side only") and not parts[COUNTERPART]:
                    continue
                name = f"{origin_code}: {situation}"
                draft = situation == "draft"
                # Who may read each part, from the rules (module doc).
                readers = {ORIGIN: set(), COUNTERPART: set()}
                if situation == "shared + live consent of the origin side":
                    readers[ORIGIN].add(third_party.pk)
                if situation == "shared + live consent of the counterpart side only":
                    readers[COUNTERPART].add(third_party.pk)

                published = factory.public_fields(model, officer, situation)

                def audience(
                    part, field=None, draft=draft, readers=readers, officer=officer, published=published
                ):
                    if field in published:
                        return canary.audience(public=True, label="anyone (published)")
                    if draft:
                        return canary.audience(
                            organizations={officer.organization_id},
                            label=f"members of {officer.organization.code} (draft)",
                        )
                    extra = readers[part]
                    return canary.audience(
                        organizations=extra,
                        sides=sides,
                        label="both sides" + (" + the consented third party" if extra else ""),
                    )

                origin_values, tokens = {}, []
                counterpart_values = {}
                for f in text_fields(model):
                    part = COUNTERPART if f.name in parts[COUNTERPART] else ORIGIN
                    if part == COUNTERPART and draft:
                        continue  # the other side adds its part once the record is shared
                    token = canary.plant(
                        kind=kind, field=f.name, record="?", situation=name, audience=audience(part, f.name)
                    )
                    tokens.append(token)
                    (counterpart_values if part == COUNTERPART else origin_values)[f.name] = value_for(
                        f, token
                    )
                try:
                    record = factory.create(canary, model, officer, origin_values, shared=not draft)
                except Exception as exc:
                    raise RuntimeError(
                        f"canary: could not create {kind} [{name}] with {type(factory).__name__}"
                        f" ({type(exc).__name__}: {exc}); register a RecordFactory for it in"
                        f" {model._meta.app_label}/testing.py (canary.RECORD_FACTORIES)"
                    ) from exc
                label = f"{kind}#{record.pk}"

                def plant_counterpart(field_label, kind=kind, label=label, name=name, audience=audience):
                    token = canary.plant(
                        kind=kind,
                        field=field_label,
                        record=label,
                        situation=name,
                        audience=audience(COUNTERPART),
                    )
                    return token

                if counterpart_values:
                    factory.add_counterpart(
                        canary, record, counterpart_officer, counterpart_values, plant_counterpart
                    )
                canary.rename_record(tokens, label)
                canary.add(record)
                made += 1
                if draft or situation == "shared":
                    continue
                writer = counterpart_officer if "counterpart" in situation else officer
                # Consent is the side's: its contact point gives and withdraws it.
                consenting = (
                    type(writer)
                    .objects.filter(
                        organization__side_id=writer.organization.side_id,
                        organization__is_contact_point=True,
                        role="contact_point_officer",
                        is_active=True,
                    )
                    .first()
                    or writer
                )
                try:
                    consent = services.grant_consent(
                        record,
                        consenting,
                        third_party=third_party,
                        document_reference="Canary letter 1/2026",
                        expires_at=timezone.now() + dt.timedelta(days=30),
                    )
                except Exception as exc:  # noqa: BLE001 - said in the figures, then made directly
                    canary.notes.append(
                        f"{label} [{name}]: grant_consent refused ({exc}); consent made directly"
                    )
                    from django.contrib.contenttypes.models import ContentType

                    fields = {
                        "content_type": ContentType.objects.get_for_model(record),
                        "object_id": record.pk,
                        "third_party": third_party,
                        "document_reference": "Canary letter 1/2026",
                        "granted_by": consenting,
                        "expires_at": timezone.now() + dt.timedelta(days=30),
                    }
                    if any(f.name == "side" for f in DisclosureConsent._meta.fields):
                        fields["side"] = consenting.organization.side
                    consent = DisclosureConsent.objects.create(**fields)
                    services.grant(record, third_party, "view")
                canary.add(consent)
                if situation == "shared + consent expired":
                    # Expired now, and the periodic job has not run: reads must check.
                    DisclosureConsent.objects.filter(pk=consent.pk).update(
                        expires_at=timezone.now() - dt.timedelta(days=1)
                    )
                elif situation == "shared + consent withdrawn":
                    services.withdraw_consent(consent, consenting)
    return made


# --- Inbox and e-mail -------------------------------------------------------------------


def message_leaks(canary: Canary) -> tuple[list[Leak], int]:
    """Every inbox item, rendered, against its organization's rules; every e-mail sent
    against its recipients'. Returns the leaks and the number of messages read."""
    from django.core import mail

    from portal.models import Notification, User

    leaks, read = [], 0
    for notification in Notification.objects.select_related("organization", "sender"):
        reader = Reader.of_organization(notification.organization)
        text = f"{notification.message}\n{notification.url}"
        leaks += canary.leaks_in(text, reader, f"inbox item #{notification.pk} ({notification.kind})")
        read += 1
    by_email = {user.email: user for user in User.objects.exclude(email="").select_related("organization")}
    for message in getattr(mail, "outbox", []):
        body = "\n".join(
            [
                message.subject,
                message.body,
                *(str(content) for content, _type in getattr(message, "alternatives", [])),
            ]
        )
        read += 1
        for address in [*message.to, *message.cc, *message.bcc]:
            user = by_email.get(address)
            reader = Reader.of_user(f"e-mail to {address}", user) if user else Reader(f"e-mail to {address}")
            leaks += canary.leaks_in(body, reader, f"e-mail “{message.subject[:60]}”")
    return leaks, read


# --- URL enumeration --------------------------------------------------------------------


@dataclass
class Endpoint:
    """One URL pattern: how to reverse it, its path arguments and its view."""

    name: str | None  # namespaced name, for reverse()
    route: str  # readable
    kwargs: list[str]
    converters: dict
    callback: Callable

    @property
    def view_model(self):
        callback = self.callback
        for owner in (
            getattr(callback, "view_class", None),
            getattr(callback, "cls", None),
            getattr(callback, "model_admin", None),
        ):
            if owner is None:
                continue
            model = getattr(owner, "model", None)
            if model is None and getattr(owner, "queryset", None) is not None:
                model = owner.queryset.model
            if model is not None:
                return model
        return None

    @property
    def is_api(self) -> bool:
        from rest_framework.views import APIView

        cls = getattr(self.callback, "cls", None)
        return isinstance(cls, type) and issubclass(cls, APIView)

    @property
    def answers_get(self) -> bool:
        """Whether the view answers GET at all (a POST-only view's 405 says nothing)."""
        actions = getattr(self.callback, "actions", None)
        if actions is not None:
            return "get" in actions
        view_class = getattr(self.callback, "view_class", None)
        if view_class is not None:
            return "get" in view_class.http_method_names
        return True

    @property
    def is_admin(self) -> bool:
        return hasattr(self.callback, "model_admin") or (self.name or "").startswith("admin:")


def _route_text(pattern) -> str:
    return (
        str(pattern.pattern) if isinstance(pattern.pattern, RoutePattern) else pattern.pattern.regex.pattern
    )


def enumerate_endpoints(
    resolver=None, prefix: str = "", namespace: str = "", converters=None
) -> list[Endpoint]:
    """Every pattern of the URLconf, with its namespaced name and path arguments."""
    resolver = resolver or get_resolver()
    converters = dict(converters or {})
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + _route_text(pattern)
        own = dict(converters)
        own.update(getattr(pattern.pattern, "converters", {}) or {})
        if isinstance(pattern, URLResolver):
            space = namespace
            if pattern.namespace:
                space = f"{namespace}{pattern.namespace}:"
            found += enumerate_endpoints(pattern, route, space, own)
        elif isinstance(pattern, URLPattern):
            names = list(pattern.pattern.regex.groupindex)
            kwargs = [*re.findall(r"<(?:\w+:)?(\w+)>", prefix), *names]
            kwargs = list(dict.fromkeys(kwargs))
            found.append(
                Endpoint(
                    name=f"{namespace}{pattern.name}" if pattern.name else None,
                    route=route,
                    kwargs=kwargs,
                    converters=own,
                    callback=pattern.callback,
                )
            )
    return found


def _model_by_name(name: str) -> list[type]:
    """Models an argument or a path segment names: ``screening_id`` → Screening,
    ``event_id`` → AgencyEvent, ``investigations`` → Investigation."""
    stem = name[:-3] if name.endswith("_id") else name
    stem = stem.lower().replace("-", "").replace("_", "")
    if not stem or stem in {"pk", "id"}:
        return []
    exact, suffix = [], []
    for model in apps.get_models():
        model_name = model._meta.model_name
        plural = str(model._meta.verbose_name_plural).lower().split(" ")[-1]
        if stem in {model_name, f"{model_name}s", plural}:
            exact.append(model)
        elif model_name.endswith(stem) or model_name.endswith(stem.rstrip("s")):
            suffix.append(model)
    return exact or suffix


def _spread(items: list, count: int) -> list:
    """``count`` of ``items`` spread from the first to the last (all of them if fewer):
    the objects of a pattern come in the order their situations were planted."""
    if len(items) <= count:
        return list(items)
    return [items[round(i * (len(items) - 1) / (count - 1))] for i in range(count)]


@dataclass
class Crawl:
    """The URLs to request, built from the patterns and the schema."""

    canary: Canary
    with_kwargs: list[str] = field(default_factory=list)
    without_kwargs: list[str] = field(default_factory=list)
    unfilled: list[str] = field(default_factory=list)
    post_only: list[str] = field(default_factory=list)
    #: URLs of the admin site: crawled as its staff; as anyone else, one per pattern
    #: (the admin site sends a user who is not staff to its login before any lookup)
    admin: set[str] = field(default_factory=set)
    admin_sample: set[str] = field(default_factory=set)
    api_operations: int = 0
    api_operations_unfilled: list[str] = field(default_factory=list)
    #: admin object pages per model (the admin site is for staff; the cast's only
    #: staff member is the superuser, who may read everything)
    admin_ids_per_model: int = 2
    ids_per_model: int = 200
    #: path-argument combinations tried per pattern when no model ties them together
    max_combinations: int = 2000
    #: URLs of an API pattern also read as the browsable API (``?format=api``): a few,
    #: spread over the objects. The JSON of every object is read; the browsable page
    #: adds to it what depends on the reader, not on the object (its forms and their
    #: choices, the breadcrumbs), and reading it for every object doubled the crawl's
    #: slowest half as record kinds were added (issue 11: 12 minutes a run).
    browsable_per_pattern: int = 3
    #: URLs a superuser reads: a few per pattern, spread over its objects. Every marker
    #: admits a superuser (``Audience.admits``), so no response to one can leak; it is
    #: crawled for the server errors of the views only it reaches (the admin site's),
    #: and every object of every pattern read as a superuser was a fifth of the crawl.
    superuser_per_pattern: int = 3
    superuser_sample: set[str] = field(default_factory=set)
    capped: list[str] = field(default_factory=list)

    def ids_of(self, model, limit=None) -> list:
        limit = limit or self.ids_per_model
        created = self.canary.created.get(model)
        if created:
            return list(created)[:limit]
        return list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:limit])

    def any_ids(self) -> list:
        return sorted({pk for ids in self.canary.created.values() for pk in ids if isinstance(pk, int)})

    def string_pool(self) -> list[str]:
        from portal.models import Side

        return sorted(
            {config.label for config in apps.get_app_configs()}
            | {m._meta.model_name for m in apps.get_models()}
            | set(Side.objects.values_list("code", flat=True))
        )

    def _segment_before(self, endpoint: Endpoint, name: str) -> str:
        match = re.search(r"([\w-]+)/(?:\^)?(?:<[^>]*\b" + name + r">|\(\?P<" + name + r">)", endpoint.route)
        return match.group(1) if match else ""

    def candidates(self, endpoint: Endpoint, name: str) -> tuple[type | None, list]:
        """The model an argument names (or None) and the values to try."""
        if name in self.canary.kwarg_values:
            values = self.canary.kwarg_values[name]
            return None, list(values() if callable(values) else values)
        limit = self.admin_ids_per_model if endpoint.is_admin else None
        model = None
        if name in {"pk", "id", "object_id"} or name == getattr(
            getattr(endpoint.callback, "cls", None), "lookup_url_kwarg", None
        ):
            model = endpoint.view_model
        if model is None:
            named = _model_by_name(name) or _model_by_name(self._segment_before(endpoint, name))
            if len(named) == 1:
                model = named[0]
        if model is not None:
            lookup = getattr(getattr(endpoint.callback, "cls", None), "lookup_field", "pk")
            if lookup not in ("pk", "id") and name == lookup:
                return model, list(
                    dict.fromkeys(model._default_manager.values_list(lookup, flat=True)[: self.ids_per_model])
                )
            return model, self.ids_of(model, limit)
        converter = endpoint.converters.get(name)
        if converter is not None and type(converter).__name__ == "IntConverter":
            return None, self.any_ids()
        if converter is not None and type(converter).__name__ in {"StringConverter", "SlugConverter"}:
            return None, [*self.string_pool(), *self.any_ids()]
        return None, [*self.any_ids(), *self.string_pool()]

    def fill(self, endpoint: Endpoint) -> list[dict]:
        names = [n for n in endpoint.kwargs if n != "format"]
        if not names:
            return [{}]
        if {"app_label", "model_name"} <= set(names):
            # A generic view over any model: every model the canary created objects of.
            rest = [n for n in names if n not in {"app_label", "model_name"}]
            combos = []
            kinds = set(shared_record_kinds())
            for model, ids in self.canary.created.items():
                base = {"app_label": model._meta.app_label, "model_name": model._meta.model_name}
                ids = ids if model in kinds else ids[: self.admin_ids_per_model]
                if len(rest) == 1:
                    combos += [{**base, rest[0]: pk} for pk in ids]
                elif not rest:
                    combos.append(base)
            return combos
        resolved = {name: self.candidates(endpoint, name) for name in names}
        if len(names) == 2:
            (a, (model_a, _)), (b, (model_b, _)) = resolved.items()
            # A child under its parent (/agencies/<pk>/screenings/<screening_id>/): the pairs that exist.
            for parent, child, parent_name, child_name in (
                (model_a, model_b, a, b),
                (model_b, model_a, b, a),
            ):
                if parent is None or child is None:
                    continue
                links = [
                    f
                    for f in child._meta.concrete_fields
                    if isinstance(f, models.ForeignKey) and f.related_model is parent
                ]
                if links:
                    ids = self.ids_of(child, self.admin_ids_per_model if endpoint.is_admin else None)
                    pairs = child._default_manager.filter(pk__in=ids).values_list(links[0].attname, "pk")
                    return [{parent_name: p, child_name: c} for p, c in pairs]
        values = [resolved[name][1] for name in names]
        combos = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)]
        if len(combos) > self.max_combinations:
            self.capped.append(f"{endpoint.name or endpoint.route}: {len(combos)}")
        return combos[: self.max_combinations]

    def url_for(self, endpoint: Endpoint, kwargs: dict) -> str | None:
        if endpoint.name:
            try:
                return reverse(endpoint.name, kwargs=kwargs or None)
            except NoReverseMatch:
                return None
        if isinstance(kwargs, dict) and "(?P<" not in endpoint.route:
            url = "/" + endpoint.route
            for name, value in kwargs.items():
                url = re.sub(r"<(?:\w+:)?" + name + ">", str(value), url)
            try:
                resolve(url)
            except Exception:  # noqa: BLE001 - a value the converter refuses
                return None
            return url
        return None

    def build(self) -> Crawl:
        seen = set()
        for endpoint in enumerate_endpoints():
            if "format" in endpoint.kwargs:
                continue  # the same views as ``?format=…``, requested below
            if not endpoint.answers_get:
                self.post_only.append(endpoint.name or endpoint.route)
                continue
            if endpoint.name is None and "(?P<" in endpoint.route:
                self.unfilled.append(endpoint.route)
                continue
            urls = [u for u in (self.url_for(endpoint, k) for k in self.fill(endpoint)) if u]
            if not urls:
                self.unfilled.append(endpoint.name or endpoint.route)
            if endpoint.is_admin:
                self.admin.update(urls)
                self.admin_sample.update(urls[:1])
            self.superuser_sample.update(_spread(urls, self.superuser_per_pattern))
            browsable = set(_spread(urls, self.browsable_per_pattern)) if endpoint.is_api else set()
            for url in urls:
                variants = [url, f"{url}?format=api"] if url in browsable else [url]
                for variant in variants:
                    if variant in seen:
                        continue
                    seen.add(variant)
                    (self.with_kwargs if endpoint.kwargs else self.without_kwargs).append(variant)
        operations = self.openapi_urls()
        by_path: dict[str, list[str]] = {}
        for url in operations:
            by_path.setdefault(pattern_of(url), []).append(url)
        browsable = {url for urls in by_path.values() for url in _spread(urls, self.browsable_per_pattern)}
        self.superuser_sample |= {
            url for urls in by_path.values() for url in _spread(urls, self.superuser_per_pattern)
        }
        for url in operations:
            for variant in (url, f"{url}?format=api") if url in browsable else (url,):
                if variant not in seen:
                    seen.add(variant)
                    (
                        self.with_kwargs
                        if "{" in url or url.rstrip("/").split("/")[-1].isdigit()
                        else self.without_kwargs
                    ).append(variant)
        extra = [u for item in self.canary.extra_urls for u in (item() if callable(item) else [item])]
        for url in extra:
            if url not in seen:
                seen.add(url)
                self.with_kwargs.append(url)
        return self

    def openapi_urls(self) -> list[str]:
        """Every GET operation of the OpenAPI schema, path parameters filled from the
        ids of the objects created (the operation's view tells the model)."""
        from drf_spectacular.generators import SchemaGenerator

        schema = SchemaGenerator().get_schema(request=None, public=True)
        urls = []
        for path, operations in schema["paths"].items():
            if "get" not in operations:
                continue
            self.api_operations += 1
            names = re.findall(r"{(\w+)}", path)
            if not names:
                urls.append(path)
                continue
            probe = re.sub(r"{\w+}", "1", path)
            try:
                match = resolve(probe)
            except Exception:  # noqa: BLE001
                self.api_operations_unfilled.append(path)
                continue
            endpoint = Endpoint(None, path, names, {}, match.func)
            made = 0
            for kwargs in self.fill(endpoint):
                url = path
                for name, value in kwargs.items():
                    url = url.replace("{" + name + "}", str(value))
                if "{" not in url:
                    urls.append(url)
                    made += 1
            if not made:
                self.api_operations_unfilled.append(path)
        return urls


# --- Requests -------------------------------------------------------------------------


def body_text(response) -> str:
    """What a response says, as text: headers, the body (streamed, gzipped or PDF)."""
    # A streamed response is closed by the test client once consumed (closing it here
    # would fire request_finished, which closes the test's database connection).
    raw = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if response.get("Content-Encoding") == "gzip" or raw[:2] == b"\x1f\x8b":
        with contextlib.suppress(OSError):
            raw = gzip.decompress(raw)
    if raw[:5] == b"%PDF-" or response.get("Content-Type", "").startswith("application/pdf"):
        # pdftotext (poppler-utils) gives the words a reader sees; a PDF it cannot read
        # is reported as such rather than searched as bytes.
        result = subprocess.run(["pdftotext", "-q", "-", "-"], input=raw, capture_output=True, check=False)
        text = result.stdout.decode("utf-8", "replace") if result.returncode == 0 else "(unreadable PDF)"
    else:
        text = raw.decode("utf-8", "replace")
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    return f"{headers}\n{text}"


#: A link to another page of a list: an HTML link or DRF's "next"/"previous".
PAGE_LINK = re.compile(r"(?:href=|\"(?:next|previous)\":\s*)\"[^\"]*[?&](?:amp;)?page=(\d+)")


@dataclass
class Result:
    requests: int = 0
    by_role: dict = field(default_factory=lambda: defaultdict(int))
    leaks: list[Leak] = field(default_factory=list)
    server_errors: list[tuple[str, str, int, str]] = field(default_factory=list)
    seen_by_allowed: set = field(default_factory=set)
    pdfs: int = 0
    pages_followed: int = 0
    seconds: dict = field(default_factory=lambda: defaultdict(float))


def fetch(client, canary: Canary, reader: Reader, url: str, result: Result) -> str:
    started = time.monotonic()
    response = client.get(url)
    result.requests += 1
    result.by_role[reader.name] += 1
    if response.status_code >= 500:
        exc = getattr(response, "exc_info", None)
        detail = f"{exc[0].__name__}: {exc[1]}"[:300] if exc else ""
        result.server_errors.append((url, reader.name, response.status_code, detail))
    text = body_text(response)
    if "%PDF-" in text[:2000] or response.get("Content-Type", "").startswith("application/pdf"):
        result.pdfs += 1
    for token in canary.find(text):
        marker = canary.markers.get(token)
        if marker is None:
            continue
        if marker.audience.admits(reader):
            result.seen_by_allowed.add(token)
        else:
            result.leaks.append(Leak(marker, url, reader.name))
    result.seconds[pattern_of(url)] += time.monotonic() - started
    return text


def pattern_of(url: str) -> str:
    return re.sub(r"page=\d+", "page=<n>", re.sub(r"/\d+(?=[/.?]|$)", "/<id>", url))


def crawl(clients: dict, canary: Canary, plan: Crawl, result: Result, *, max_pages: int = 300) -> None:
    """Pass 1: every URL with path arguments (the lookups of objects a role may not
    see are made now, so their audit entries exist before pass 2). Pass 2: every URL
    without (lists, inbox, audit, exports), following its pages. A superuser, whom no
    marker can leak to, reads a sample (``Crawl.superuser_sample``) and two pages of a
    list."""
    skip = plan.admin - plan.admin_sample
    for _name, (client, reader) in clients.items():
        staff = reader.is_staff
        for url in plan.with_kwargs:
            if reader.is_superuser and url not in plan.superuser_sample:
                continue
            if staff or url not in skip:
                fetch(client, canary, reader, url, result)
    for _name, (client, reader) in clients.items():
        staff = reader.is_staff
        last_page = 2 if reader.is_superuser else max_pages
        for url in plan.without_kwargs:
            if not staff and url in skip:
                continue
            text = fetch(client, canary, reader, url, result)
            # Follow the pages (a list shows "next", not all its pages).
            separator = "&" if "?" in url else "?"
            visited, waiting = {1}, {int(n) for n in PAGE_LINK.findall(text)}
            while waiting:
                number = waiting.pop()
                if number in visited or number > last_page:
                    continue
                visited.add(number)
                text = fetch(client, canary, reader, f"{url}{separator}page={number}", result)
                waiting |= {int(n) for n in PAGE_LINK.findall(text)} - visited
            result.pages_followed += len(visited) - 1


def summarize(leaks: list[Leak]) -> list[str]:
    """One line per (kind.field, situation, URL pattern), naming the readers it reached,
    with a count and one example, so the list stays readable and names what to fix."""
    groups: dict[tuple, list[Leak]] = defaultdict(list)
    for leak in leaks:
        where = re.sub(r"#\d+", "#<id>", pattern_of(leak.where))
        groups[(leak.marker.kind, leak.marker.field, leak.marker.situation, where)].append(leak)
    lines = []
    for (kind, field_name, situation, where), items in sorted(groups.items()):
        example = items[0]
        readers = ", ".join(sorted({leak.reader for leak in items}))
        lines.append(
            f"{kind}.{field_name} [{situation}] at {where} -> {readers} ×{len(items)}"
            f" (e.g. {example.marker.token} of {example.marker.record} at {example.where};"
            f" readable by {example.marker.audience.label})"
        )
    return lines


def summarize_errors(errors: list[tuple[str, str, int, str]]) -> list[str]:
    """5xx responses, one line per (status, URL pattern, error) with the readers."""
    groups: dict[tuple, list] = defaultdict(list)
    for url, reader, status, detail in errors:
        groups[(status, pattern_of(url), detail)].append((url, reader))
    return [
        f"{status} {where} as {', '.join(sorted({r for _u, r in items}))} ×{len(items)}"
        f" (e.g. {items[0][0]}): {detail}"
        for (status, where, detail), items in sorted(groups.items())
    ]


# --- Files of shared records ------------------------------------------------------------


def canary_record_files(canary: Canary) -> None:
    """Every downloadable model (``owner_field``, served by ``portal.views.files``) whose
    owner is a shared-record kind gets one file on every record the canary made, its
    name and its text carrying a marker readable by whoever may read the part of the
    record that holds it (the owner's relation, placed by ``record_parts``). Added once
    the records exist: the URLs are built after every record kind was planted."""

    def files() -> list[str]:
        from django.core.files.base import ContentFile

        kinds = set(shared_record_kinds())
        urls = []
        for model in apps.get_models():
            path = getattr(model, "owner_field", None)
            if not isinstance(path, str) or "__" in path:
                continue
            link = model._meta.get_field(path)
            owner = link.related_model
            if owner not in kinds:
                continue
            parts = record_parts(owner)
            part = COUNTERPART if link.remote_field.get_accessor_name() in parts[COUNTERPART] else ORIGIN
            fields_of_part = {f.name for f in text_fields(owner) if f.name in parts[part]}
            required = RecordFactory().required(canary, model, None)
            for pk in list(canary.created.get(owner, [])):
                label = f"{owner._meta.label}#{pk}"
                of_part = [
                    m for m in canary.markers.values() if m.record == label and m.field in fields_of_part
                ]
                if not of_part:
                    continue
                token = canary.plant(
                    kind=model._meta.label,
                    field="file",
                    record=label,
                    situation=of_part[0].situation,
                    audience=of_part[0].audience,
                )
                values = {**required, path: owner._default_manager.get(pk=pk)}
                values["file"] = ContentFile(f"{token}\n".encode(), name=f"{token}.txt")
                obj = model._default_manager.create(**values)
                canary.add(obj)
                urls.append(obj.get_absolute_url())
        return urls

    canary.extra_urls.append(files)


register_scenario(canary_record_files)
