"""What an app adds to the portal, registered from its ``AppConfig.ready()`` (as
Wagtail's hooks and Django's admin autodiscovery do), so that ``portal/`` imports no
app and ``portal/settings.py`` names none but in ``INSTALLED_APPS`` (DESIGN.md
principle 9; ``tests/test_layering.py`` holds it to that): URLs, API routes, the public
index, beat entries and task routes, OpenAPI enum names, menu entries, home cards and
demo seeders.

An app calls these at start-up; the portal's URL configuration, API router, public
index, menu, home page, schema and ``seed_demo`` read them when they are first used,
which is after every app is ready."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .kept import KeptUntilChange

#: (prefix, module) of officer URLs, included at ``/<prefix>``.
URLS: list[tuple[str, str]] = []
#: (prefix, module) of public URLs, included at ``/public/<prefix>`` in the ``public`` namespace.
PUBLIC_URLS: list[tuple[str, str]] = []
#: (prefix, viewset, basename) on the ``/api/v1/`` router.
API_ROUTES: list[tuple] = []
#: context name -> a function giving what the public index shows of an app.
PUBLIC_INDEX: dict[str, Callable[[], object]] = {}


def register_urls(prefix: str, module: str, *, public: bool = False) -> None:
    target = PUBLIC_URLS if public else URLS
    if (prefix, module) not in target:
        target.append((prefix, module))


def register_api_routes(routes) -> None:
    for route in routes:
        if route not in API_ROUTES:
            API_ROUTES.append(route)


def register_public_index(name: str, provider: Callable[[], object]) -> None:
    PUBLIC_INDEX[name] = provider


# --- Celery: beat entries and task routes ----------------------------------------------

#: name -> beat entry (``task``, ``schedule``, ``options``) of the periodic tasks apps
#: registered; the same entries are in the Celery app's ``conf.beat_schedule``.
BEAT_SCHEDULE: dict[str, dict] = {}
#: task name -> routing options (``{"queue": "documents"}``); read by
#: ``portal.celery.route_registered_tasks``, which ``CELERY_TASK_ROUTES`` names.
TASK_ROUTES: dict[str, dict] = {}


def register_beat(name: str, task: str, schedule, **options) -> None:
    """Run ``task`` (its registered name) on ``schedule`` (seconds, a ``timedelta`` or a
    ``crontab``) under the beat entry ``name``; ``options`` go to ``apply_async``
    (``queue``, ``expires``…).

    Added with Celery's own ``add_periodic_task``, which holds the entry until the app
    is configured if it is not yet, and writes it into ``conf.beat_schedule`` if it is:
    ``celery beat`` sets Django up (and so runs every ``AppConfig.ready``) before its
    scheduler reads the schedule."""
    from .celery import app  # here: portal.celery imports this module for its router

    BEAT_SCHEDULE[name] = {"task": task, "schedule": schedule, "options": options}
    app.add_periodic_task(schedule, app.signature(task), name=name, **options)


def register_task_route(task: str, **options) -> None:
    """Send ``task`` with these routing options, e.g. ``queue="documents"``."""
    TASK_ROUTES[task] = options


# --- OpenAPI ---------------------------------------------------------------------------

#: enum component name -> choices (a dotted path or a choices class), the dict that
#: ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]`` is. drf-spectacular reads it when it
#: first builds a schema, after every app is ready. The core's own enum is here from the
#: start; an app adds its own with ``register_enum_name``.
ENUM_NAME_OVERRIDES: dict[str, object] = {"RecordStatusEnum": "portal.choices.RecordStatus"}


def register_enum_name(name: str, choices) -> None:
    """Name the OpenAPI enum of ``choices`` ``name`` wherever it appears, instead of a
    name drf-spectacular derives from the first field that uses it."""
    ENUM_NAME_OVERRIDES[name] = choices


# --- Officer navigation and home page --------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """An entry of the officer menu. ``visible(user)`` says who sees it (everyone signed
    in when ``None``: say so for officer-only entries, a third party sees what the app
    lets it); ``current(resolver_match)`` whether the page shown is under it."""

    label: object
    url_name: str
    visible: Callable[[object], bool] | None = None
    current: Callable[[object], bool] | None = None
    order: int = 100


@dataclass(frozen=True)
class HomeCard:
    """A card on the officer home page: ``template`` rendered with what
    ``context(user)`` returns (and the page's own context); ``None`` leaves it out."""

    template: str
    context: Callable[[object], dict | None]
    order: int = 100
    #: ``work(user)`` -> the querysets of what this card asks ``user`` to act on (or
    #: ``None``): the menu's Home count is their number, across cards, in one query.
    work: Callable[[object], list | None] | None = None


#: The apps' menu entries, shown after the core's Home and Inbox, by ``order`` then
#: registration order.
NAVIGATION: list[NavItem] = []
#: The apps' home cards, shown after the core's, by ``order`` then registration order.
HOME_CARDS: list[HomeCard] = []


def register_nav_item(item: NavItem) -> None:
    """Add ``item`` to the officer menu; registering a URL name again replaces its entry."""
    NAVIGATION[:] = [entry for entry in NAVIGATION if entry.url_name != item.url_name]
    NAVIGATION.append(item)
    NAVIGATION.sort(key=lambda entry: entry.order)  # stable: equal orders keep registration order


def register_home_card(card: HomeCard) -> None:
    """Add ``card`` to the home page; registering a template again replaces its card."""
    HOME_CARDS[:] = [entry for entry in HOME_CARDS if entry.template != card.template]
    HOME_CARDS.append(card)
    HOME_CARDS.sort(key=lambda entry: entry.order)


def is_third_party_user(user) -> bool:
    """Whether ``user`` signs in for a third-party organization (no side)."""
    organization = getattr(user, "organization", None) if getattr(user, "organization_id", None) else None
    return organization is not None and organization.is_third_party


def officers_only(user) -> bool:
    """``NavItem.visible`` for the officers' registers: a third party's menu is what
    was disclosed to it (its home and the consents), never an officer register that
    would show it an empty list (issue 10, item 6)."""
    return not is_third_party_user(user)


#: The menu counts up to this many things to act on, then says "99+": each card's part
#: of the count stops there, so that a backlog of 50,000 costs what a short queue does
#: (bench/work_count.py).
WORK_COUNT_CAP = 99


#: How long a kept count is trusted at most, and how many are kept (``work_count``).
WORK_COUNT_SECONDS = 60
WORK_COUNT_KEPT = 4096
#: Users no card asks anything of (a third party): {(pk, date joined): when found}.
_WORKLESS: dict[tuple, float] = {}


_KEPT_COUNTS = KeptUntilChange(seconds=WORK_COUNT_SECONDS, size=WORK_COUNT_KEPT)


def forget_work_counts() -> None:
    """Drop the counts this process keeps (tests start from none)."""
    _WORKLESS.clear()
    _KEPT_COUNTS.forget()


def work_count(user) -> int:
    """How many things the home cards ask ``user`` to act on, each counted once however
    many cards list it, up to ``WORK_COUNT_CAP + 1``.

    Every officer page shows it, and building the ``UNION`` of every card's
    ``restrict()`` querysets was most of such a page's time (four cards × every record
    kind). The count is kept in this process for the user and their day until the next
    audited change (``portal.kept``), at most ``WORK_COUNT_SECONDS``."""
    import time

    from django.utils import timezone

    # A user no card asks anything of (a third party) costs no query at all.
    found = _WORKLESS.get((user.pk, user.date_joined))
    if found is not None and time.monotonic() - found < WORK_COUNT_SECONDS:
        return 0

    def count() -> int:
        parts = _work_parts(user)
        if not parts:
            _WORKLESS[(user.pk, user.date_joined)] = time.monotonic()
            return 0
        return min(parts[0].union(*parts[1:]).count(), WORK_COUNT_CAP + 1)

    return _KEPT_COUNTS.get((user.pk, user.date_joined, timezone.localdate()), count)


def _work_parts(user) -> list:
    """The parts of the count's ``UNION``: one query, whatever the number of cards and
    kinds; none when no card asks ``user`` to act."""
    from django.db import connections
    from django.db.models import CharField, Value

    parts = []
    for card in HOME_CARDS:
        for queryset in (card.work(user) or []) if card.work else []:
            label = queryset.model._meta.label_lower
            part = queryset.order_by().annotate(_kind=Value(label, CharField())).values_list("_kind", "pk")
            # SQLite (the embedded mode, a few hundred rows) cannot limit a part of a UNION.
            if connections[part.db].features.supports_slicing_ordering_in_compound:
                part = part[: WORK_COUNT_CAP + 1]
            parts.append(part)
    return parts


def nav_items_for(user) -> list[NavItem]:
    """The apps' menu entries ``user`` sees."""
    return [item for item in NAVIGATION if item.visible is None or item.visible(user)]


# --- Demo data -------------------------------------------------------------------------

#: (order, seeder): ``manage.py seed_demo`` calls each with the demo users by username.
SEEDERS: list[tuple[int, Callable[[dict], None]]] = []


def register_seeder(seeder: Callable[[dict], None], *, order: int = 100) -> None:
    """Have ``manage.py seed_demo`` call ``seeder(users)`` after the core's demo data,
    lowest ``order`` first. A seeder must be idempotent."""
    if all(existing is not seeder for _order, existing in SEEDERS):
        SEEDERS.append((order, seeder))
        SEEDERS.sort(key=lambda pair: pair[0])


def seeders() -> list[Callable[[dict], None]]:
    return [seeder for _order, seeder in SEEDERS]
