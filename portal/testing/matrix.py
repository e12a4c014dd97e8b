"""The permission-matrix harness (STYLE.md §9), for reads and for writes.

**Reads**: every role × every view and API endpoint × whose object it is.

An app describes, for one model, the *situations* an object can be in (a draft of
Japan's contact point, shared by Tajikistan, disclosed to the Embassy with written
consent…) and who of the cast sees an object in each. The harness creates one object
per situation and, for each member of the cast and the anonymous visitor, asserts:

- the HTML list and the API list show exactly the objects that member may see;
- each object's HTML detail page and API detail answer 200 when visible, 404 when not
  (never 403: a refusal must not confirm that the object exists);
- an anonymous visitor is sent to sign in (HTML) or refused (API).

Use it from a test module::

    class TestCorrespondence(MatrixTests):
        matrix = CorrespondenceMatrix()

**Writes** (issue 9): every write action × every role key (``ROLE_KEYS``: each role of
each side, both third-party viewers, the superuser, the anonymous visitor) → the
expected answer, and what the answer must mean:

- a success (a 2xx/3xx in the table) writes the declared audit entry (or entries),
  enqueues exactly the declared outbox topics, and changes the declared ``row``;
- a refusal (403, 404, 409, 400, the sign-in redirect, or an HTML form or redirect that
  shows the refusal: ``Refused(200)``, ``Refused(302)``) writes no audit entry of the
  action, enqueues nothing and leaves the ``row`` as it was.

An app declares its write actions in its ``<app>/testing.py`` (the core's are in
``portal/testing/core_matrix.py``); ``tests/test_permission_matrix.py`` runs each one
for every role key, with ids such as ``agency.certify[jp-officer]->404``. Adding an
action is one call::

    from portal.testing import matrix

    matrix.register(
        matrix.Action(
            "agency.certify",                        # api.… for an API action
            "post",                                  # or "patch"
            url=lambda f: f"/agencies/{f.agency.pk}/certify/",
            data=lambda f: {"certification_number": "C-1", ...},
            setup=lambda w: {"agency": under_screening(w.users["tj-officer"])},
            expected={
                **matrix.each(matrix.TJ_WRITERS, 302),
                "superuser": matrix.Refused(200),   # the form shows the service's refusal
                "anonymous": matrix.LOGIN,
                "*": 404,                           # every other role key
            },
            audit="agency.transition",              # required: a write is audited
            outbox={"publication.publish", "notify"},  # exactly these topics, on success
            row=matrix.row_of("agency"),            # what the write changes
        )
    )

``setup(w)`` builds the state in which the action is allowed (an agency under screening
with every mandatory criterion met, a shared letter…) and returns a dict; it runs once
per action and every role key's attempt is rolled back to it, so each role meets the
same fresh state. ``url``, ``data`` and ``row`` receive a :class:`Case`: the setup's
values as attributes (``f.agency``), ``f.user`` and ``f.role`` (the role key trying),
``f.users`` (role key → user) and ``f.org(code)``. ``w`` has ``users`` and ``org``.
For the 409 of a wrong state, register the action again under another name with a
setup in the wrong state and the writers' status 409 (``Refused(200)`` on a page).

Expected values: an ``int`` below 400 is a success, 400 and above a refusal;
``Refused(n)`` a refusal answered with ``n``; ``LOGIN`` the redirect to sign in;
``"*"`` gives every role key not named. The table is written from the rules (DESIGN.md
§2-3, the Memorandum), not from what the views happen to do. An API action that
uploads a file sets ``multipart=True`` (its ``data`` holds a fresh ``SimpleUploadedFile``
each time it is called).

Besides the table, for each action some role may carry out: the same request without
its CSRF token is a 403 that writes nothing, and a GET of its URL writes nothing. And
``test_every_write_endpoint_is_in_the_matrix`` fails while a view or API action that
accepts a write (POST, PATCH, PUT, DELETE) has no registered action, unless it is not
about a shared record (``OUTSIDE_THE_MATRIX``: one's own account).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

CAST = [
    "jp_contact",
    "jp_officer",
    "jp_analyst",
    "tj_contact",
    "tj_officer",
    "tj_analyst",
    "embassy_viewer",
    "maff_viewer",
    "admin",
]
JAPAN = {"jp_contact", "jp_officer", "jp_analyst"}
TAJIKISTAN = {"tj_contact", "tj_officer", "tj_analyst"}
BOTH_SIDES = JAPAN | TAJIKISTAN
ADMIN = {"admin"}  # superuser: sees everything, and each read is audited


class PermissionMatrix:
    """Describe one model. Subclasses set the URLs and ``situations`` and implement
    ``make``."""

    #: situation name -> the cast members who may see an object in that situation
    situations: dict[str, set[str]] = {}
    html_list_url: str | None = None
    html_detail_url: Callable[[Any], str] | None = None
    api_list_url: str | None = None
    api_detail_url: Callable[[Any], str] | None = None

    def make(self, situation: str, cast: dict) -> Any:
        raise NotImplementedError


def _api_ids(response) -> set[int]:
    data = response.json()
    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    return {row["id"] for row in rows}


class MatrixTests:
    matrix: PermissionMatrix

    @pytest.fixture
    def objects(self, cast):
        return {situation: self.matrix.make(situation, cast) for situation in self.matrix.situations}

    def expected(self, username: str, objects: dict) -> set[int]:
        return {obj.pk for situation, obj in objects.items() if username in self.matrix.situations[situation]}

    @pytest.mark.parametrize("username", CAST)
    def test_html_list_and_detail(self, username, objects, client_for):
        matrix = self.matrix
        client = client_for(username)
        if matrix.html_list_url:
            page = client.get(matrix.html_list_url)
            assert page.status_code == 200
            html = page.content.decode()
            shown = {obj.pk for obj in objects.values() if f'href="{matrix.html_detail_url(obj)}"' in html}
            assert shown == self.expected(username, objects)
        if matrix.html_detail_url:
            for situation, obj in objects.items():
                status = client.get(matrix.html_detail_url(obj)).status_code
                want = 200 if username in matrix.situations[situation] else 404
                assert status == want, f"{username} on {situation}: {status} != {want}"

    @pytest.mark.parametrize("username", CAST)
    def test_api_list_and_detail(self, username, objects, client_for):
        matrix = self.matrix
        client = client_for(username)
        if matrix.api_list_url:
            response = client.get(matrix.api_list_url)
            assert response.status_code == 200
            assert _api_ids(response) == self.expected(username, objects)
        if matrix.api_detail_url:
            for situation, obj in objects.items():
                status = client.get(matrix.api_detail_url(obj)).status_code
                want = 200 if username in matrix.situations[situation] else 404
                assert status == want, f"{username} on {situation}: {status} != {want}"

    def test_anonymous(self, objects, client_for):
        matrix = self.matrix
        client = client_for(None)
        obj = next(iter(objects.values()))
        for url in filter(
            None, [matrix.html_list_url, matrix.html_detail_url and matrix.html_detail_url(obj)]
        ):
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        for url in filter(None, [matrix.api_list_url, matrix.api_detail_url and matrix.api_detail_url(obj)]):
            assert client.get(url).status_code in (401, 403)


# --- Writes: every action × every role key ----------------------------------------------

#: Who tries each write: each role of each side, both third parties, the superuser and
#: the anonymous visitor. The side administrators (``Role.ADMINISTRATOR`` in a side's
#: contact point, not superusers) are not demo accounts: :func:`build_users` adds them.
ROLE_KEYS = [
    "jp-contact",
    "jp-officer",
    "jp-analyst",
    "jp-administrator",
    "tj-contact",
    "tj-officer",
    "tj-analyst",
    "tj-administrator",
    "embassy-viewer",
    "maff-viewer",
    "superuser",
    "anonymous",
]
JP_WRITERS = frozenset({"jp-contact", "jp-officer"})
TJ_WRITERS = frozenset({"tj-contact", "tj-officer"})
WRITERS = JP_WRITERS | TJ_WRITERS
JP_READERS = frozenset({"jp-analyst", "jp-administrator"})
TJ_READERS = frozenset({"tj-analyst", "tj-administrator"})
THIRD_PARTIES = frozenset({"embassy-viewer", "maff-viewer"})

#: Role key -> (demo username, or the side administrator's contact point).
_DEMO_NAMES = {
    "jp-contact": "jp-contact",
    "jp-officer": "jp-officer",
    "jp-analyst": "jp-analyst",
    "tj-contact": "tj-contact",
    "tj-officer": "tj-officer",
    "tj-analyst": "tj-analyst",
    "embassy-viewer": "embassy-viewer",
    "maff-viewer": "maff-viewer",
    "superuser": "admin",
}
_SIDE_ADMINISTRATORS = {"jp-administrator": "jp-isa-rmd", "tj-administrator": "tj-ms-lpsa"}


@dataclass(frozen=True)
class Outcome:
    """What one role key's attempt answers: a status, and whether it is a success."""

    status: int
    ok: bool
    login: bool = False

    @property
    def label(self) -> str:
        if self.login:
            return "login"
        return str(self.status) if self.ok or self.status >= 400 else f"refused-{self.status}"


def Refused(status: int) -> Outcome:  # noqa: N802 - reads as a value in the tables
    """A refusal answered with ``status``: a page showing the form again with the
    service's reason (200), or a redirect with the reason as a message (302)."""
    return Outcome(status, ok=False)


#: The redirect of a signed-out visitor to the sign-in page.
LOGIN = Outcome(302, ok=False, login=True)


def each(roles, expected) -> dict[str, Any]:
    """``{role: expected}`` for each role key of ``roles``."""
    return dict.fromkeys(sorted(roles), expected)


def _outcome(value) -> Outcome:
    if isinstance(value, Outcome):
        return value
    return Outcome(int(value), ok=int(value) < 400)


@dataclass
class Action:
    """One write a role may attempt, and what each role key gets (module doc)."""

    name: str
    method: str
    url: Callable[[Case], str]
    data: Callable[[Case], dict] | None = None
    setup: Callable[[World], dict] = lambda w: {}
    expected: dict[str, Any] = field(default_factory=dict)
    audit: str | tuple[str, ...] = ()
    outbox: frozenset[str] | set[str] = frozenset()
    row: Callable[[Case], Any] | None = None
    #: An API action that takes a multipart form (a file upload), not JSON.
    multipart: bool = False

    def __post_init__(self):
        self.method = self.method.lower()
        if self.method not in {"post", "patch", "put", "delete"}:
            raise ValueError(f"{self.name}: a write is POST, PATCH, PUT or DELETE, not {self.method}")
        default = self.expected.get("*")
        unknown = set(self.expected) - set(ROLE_KEYS) - {"*"}
        if unknown:
            raise ValueError(f"{self.name}: unknown role keys {sorted(unknown)}")
        missing = [role for role in ROLE_KEYS if role not in self.expected and default is None]
        if missing:
            raise ValueError(f"{self.name}: no expectation for {missing} (give them or '*')")
        self.outcomes = {role: _outcome(self.expected.get(role, default)) for role in ROLE_KEYS}
        self.audit = (self.audit,) if isinstance(self.audit, str) else tuple(self.audit)
        self.outbox = frozenset(self.outbox)
        if any(o.ok for o in self.outcomes.values()) and not self.audit:
            raise ValueError(f"{self.name}: a write that succeeds names its audit action")

    @property
    def api(self) -> bool:
        return self.name.startswith("api.")

    def case_id(self, role: str) -> str:
        return f"{self.name}[{role}]->{self.outcomes[role].label}"


#: Every registered write action, by name.
ACTIONS: dict[str, Action] = {}


def register(action: Action) -> Action:
    """Declare a write action; registering the same name again replaces it (a module
    imported twice)."""
    ACTIONS[action.name] = action
    return action


def load_actions() -> dict[str, Action]:
    """Import the core's actions and every installed app's ``<app>.testing`` module."""
    import importlib

    from . import canary

    importlib.import_module("portal.testing.core_matrix")
    canary.load_app_scenarios()
    return ACTIONS


def cases() -> list:
    """``pytest.param(action, role, id=…)`` for every action and role key."""
    return [
        pytest.param(name, role, id=action.case_id(role))
        for name, action in sorted(load_actions().items())
        for role in ROLE_KEYS
    ]


def row_of(name: str, *related: str):
    """A ``row`` for the object the setup named ``name``: its columns as stored, and
    the ids of its ``related`` rows (``"events"``, ``"guidance"``…)."""

    def read(case: Case):
        obj = case.state[name]
        model = type(obj)
        values = model._default_manager.filter(pk=obj.pk).values().first()
        extra = {rel: sorted(getattr(obj, rel).values_list("pk", flat=True)) for rel in related}
        return values, extra

    return read


def count_of(model_path: str, **filters):
    """A ``row`` for a creation: the ids of the rows of ``app_label.Model``."""

    def read(case: Case):
        from django.apps import apps as django_apps

        model = django_apps.get_model(model_path)
        return sorted(model._default_manager.filter(**filters).values_list("pk", flat=True))

    return read


#: What the API answers a role that may write nothing of a record kind: its readers and
#: the third parties 403, the superuser 403 (it belongs to no side), anonymous 401.
API_NO = {**each(JP_READERS | TJ_READERS | THIRD_PARTIES, 403), "superuser": 403, "anonymous": 401}


def kit_actions(
    kind: str,
    *,
    url: Callable[[str], Callable],
    setup: Callable | dict[str, Callable],
    receiving: str,
    origin: str,
    consenting: dict,
    row: Callable,
    third_party: str = "tj-embassy-jp",
) -> list[Action]:
    """The kit's five API actions on a record of ``kind`` (``SharedRecordActionsMixin``:
    acknowledge, assign, attachments, consent requests, consent), registered as
    ``api.<kind>.<action>``, with what each role gets.

    ``url(path)``: the record's API URL for ``path`` (``"acknowledge/"``); ``setup``: the
    record's setup, or one per action name; ``receiving``: the side (``"jp"``/``"tj"``)
    whose writers acknowledge and are assigned it, the other side's writers 403;
    ``origin``: the side asked to consent; ``consenting``: the consent's outcomes by
    role (the consenting contact point 201); ``row``: the record's row; ``third_party``:
    the one a consent is asked for."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from portal.testing.files import PDF

    writers = {"jp": JP_WRITERS, "tj": TJ_WRITERS}
    receivers = {**API_NO, **each(writers[receiving], 200), **each(WRITERS - writers[receiving], 403)}
    everyone = {**API_NO, **each(WRITERS, 201)}

    def setup_of(name: str) -> Callable:
        return setup[name] if isinstance(setup, dict) else setup

    def pdf(f):
        return SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf")

    def later(days: int) -> str:
        return (timezone.localdate() + dt.timedelta(days=days)).isoformat()

    actions = [
        Action(
            f"api.{kind}.acknowledge",
            "post",
            url=url("acknowledge/"),
            setup=setup_of("acknowledge"),
            expected=receivers,
            audit="record.acknowledged",
            outbox={"notify"},
            row=row,
        ),
        Action(
            f"api.{kind}.assign",
            "post",
            url=url("assign/"),
            data=lambda f: {"assignee": f.users[f"{receiving}-officer"].pk},
            setup=setup_of("assign"),
            expected=receivers,
            audit="record.assigned",
            outbox={"notify"},
            row=row,
        ),
        Action(
            f"api.{kind}.attach",
            "post",
            url=url("attachments/"),
            data=lambda f: {"file": pdf(f), "description": "A document"},
            setup=setup_of("attach"),
            expected=everyone,
            audit="record.attached",
            outbox={"notify"},
            row=count_of("records.Attachment"),
            multipart=True,
        ),
        Action(
            f"api.{kind}.request-consent",
            "post",
            url=url("consent-requests/"),
            data=lambda f: {
                "third_party": third_party,
                "side": f.users[f"{origin}-contact"].organization.side.code,
                "purpose": "The third party assists the workers concerned.",
                "requested_until": later(30),
            },
            setup=setup_of("request-consent"),
            expected=everyone,
            audit="consent.requested",
            outbox={"notify"},
            row=count_of("records.ConsentRequest"),
        ),
        Action(
            f"api.{kind}.consent",
            "post",
            url=url("consent/"),
            data=lambda f: {
                "third_party": "jp-maff",
                "document_reference": "No. 7/26",
                "expires_at": (timezone.now() + dt.timedelta(days=30)).isoformat(),
            },
            setup=setup_of("consent"),
            expected={**API_NO, **consenting},
            audit="consent.granted",
            outbox={"notify", "records.consent_letter"},
            row=count_of("portal.DisclosureConsent"),
        ),
    ]
    return actions


def build_users() -> dict[str, Any]:
    """Role key -> user (``None`` for the anonymous visitor): the demo accounts and a
    side administrator in each side's contact point."""
    from portal.choices import Role
    from portal.demo import create_demo_users
    from portal.models import Organization, User
    from portal.testing.fixtures import ensure_reference_data

    ensure_reference_data()
    demo = create_demo_users()
    users: dict[str, Any] = {key: demo[name] for key, name in _DEMO_NAMES.items()}
    for key, code in _SIDE_ADMINISTRATORS.items():
        user, created = User.objects.get_or_create(
            username=key,
            defaults={"organization": Organization.objects.get(code=code), "role": Role.ADMINISTRATOR},
        )
        if created:
            user.set_unusable_password()
            user.save()
        users[key] = user
    users["anonymous"] = None
    return users


class World:
    """The users, their signed-in clients and every action's state, built in one
    transaction that the module rolls back at its end (``open_world``)."""

    def __init__(self, actions: dict[str, Action]):
        from django.test import Client

        self.users = build_users()
        self.clients = {}
        for role, user in self.users.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            self.clients[role] = client
        # Every state now, outside any case's transaction: built inside a case, it would
        # be rolled back with the case's attempt.
        self._states = {name: action.setup(self) or {} for name, action in actions.items()}

    def org(self, code: str):
        from portal.models import Organization

        return Organization.objects.get(code=code)

    def state(self, action: Action) -> dict:
        """The action's state, shared by every role key; each attempt is rolled back to it."""
        return self._states[action.name]


@contextlib.contextmanager
def open_world():
    """A :class:`World` for every registered action, inside a transaction rolled back
    on leaving: the states are built once per test module, not once per case. Use from
    a module-scoped fixture under ``django_db_blocker.unblock()``, with the cases marked
    ``django_db`` (each then runs in a savepoint of that transaction)."""
    from django.db import connection, transaction

    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        world = World(load_actions())
        # Check the world's deferred foreign keys now, in the outer transaction: checked
        # by a case (Django's TestCase checks them before its rollback), they would be
        # checked again by every case, as a rollback to a savepoint un-fires them.
        connection.check_constraints()
        yield world
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


class Case:
    """What ``url``, ``data`` and ``row`` see: the setup's values as attributes, and
    who is trying."""

    def __init__(self, world: World, action: Action, role: str):
        self.world, self.action, self.role = world, action, role
        self.state = world.state(action)
        self.user = world.users[role]
        self.users = world.users

    def org(self, code: str):
        return self.world.org(code)

    def __getattr__(self, name: str):
        try:
            return self.__dict__["state"][name]
        except KeyError:
            raise AttributeError(name) from None


class _RollBack(Exception):
    pass


def _audit_actions_since(last_id: int) -> list[str]:
    from portal.models import AuditEntry

    return list(AuditEntry.objects.filter(pk__gt=last_id).order_by("pk").values_list("action", flat=True))


def run(world: World, name: str, role: str) -> None:
    """Attempt ``name`` as ``role`` and assert the outcome; the attempt is rolled back."""
    action = ACTIONS[name]
    _attempt(
        world, action, role, world.clients[role], action.method, action.outcomes[role], action.case_id(role)
    )


def writer_of(action: Action) -> str | None:
    """The first role key that may carry out ``action`` (``None`` if none may)."""
    return next((role for role in ROLE_KEYS if action.outcomes[role].ok), None)


def run_forged(world: World, name: str) -> None:
    """Attempt ``name`` as a role that may, from a page of another site: the same
    request without the CSRF token is refused (403) and writes nothing."""
    from django.test import Client

    action = ACTIONS[name]
    role = writer_of(action)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[role])
    refused = Refused(403)
    _attempt(world, action, role, client, action.method, refused, f"{name}[{role}, no CSRF token]->403")


def run_get(world: World, name: str) -> None:
    """GET the action's URL as a role that may write: whatever it answers (the form, a
    405), nothing is written."""
    action = ACTIONS[name]
    role = writer_of(action)
    _attempt(world, action, role, world.clients[role], "get", None, f"{name}[{role}, GET]")


def _attempt(world, action, role, client, method, expected, case_id) -> None:
    from django.db import transaction
    from django.db.models import Max

    from portal.models import AuditEntry, OutboxEntry

    case = Case(world, action, role)
    try:
        with transaction.atomic():
            last_audit = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
            outbox_before = set(OutboxEntry.objects.values_list("pk", flat=True))
            row_before = action.row(case) if action.row else None
            url = action.url(case)
            send = getattr(client, method)
            if method == "get":
                response = send(url)
            elif (action.api and not action.multipart) or method != "post":
                response = send(
                    url, action.data(case) if action.data else {}, content_type="application/json"
                )
            else:
                response = send(url, action.data(case) if action.data else {})
            audited = _audit_actions_since(last_audit)
            topics = sorted(OutboxEntry.objects.exclude(pk__in=outbox_before).values_list("topic", flat=True))
            row_after = action.row(case) if action.row else None
            _check(case_id, action, expected, response, audited, topics, row_before, row_after)
            raise _RollBack
    except _RollBack:
        pass


def _body(response) -> str:
    """What the answer says, short: an API's detail, a page's title and errors."""
    if response.streaming:
        return "<streaming>"
    text = response.content.decode(errors="replace")
    if "html" not in response.get("Content-Type", ""):
        return text[:300]
    found = re.findall(r"<title>(.*?)</title>", text, re.S) + re.findall(
        r'class="[^"]*(?:errorlist|message--)[^"]*"[^>]*>(.*?)</(?:ul|li)>', text, re.S
    )
    return " | ".join(re.sub(r"<[^>]+>|\s+", " ", part).strip() for part in found)[:300]


def _check(case_id, action, expected, response, audited, topics, row_before, row_after) -> None:
    where = f"{case_id}: "
    status = response.status_code
    assert status < 500, f"{where}a server error {status}: {_body(response)}"
    if expected is None:  # any answer, as long as it writes nothing
        expected = Outcome(status, ok=False)
    assert status == expected.status, (
        f"{where}answered {status}, expected {expected.status} "
        f"({'success' if expected.ok else 'refusal'}); "
        f"audited {audited}, outbox {topics}; {response.get('Location', '')} {_body(response)}"
    )
    if expected.login:
        assert "/accounts/login/" in response["Location"], f"{where}not sent to sign in"
    if expected.ok:
        missing = [name for name in action.audit if name not in audited]
        assert not missing, f"{where}succeeded without the audit entry {missing} (audited {audited})"
        assert set(topics) == set(action.outbox), (
            f"{where}outbox topics {topics}, expected {sorted(action.outbox)}"
        )
        if action.row is not None:
            assert row_after != row_before, f"{where}answered {status} but changed nothing"
    else:
        written = [name for name in audited if name in action.audit]
        assert not written, f"{where}a refusal wrote the audit entry {written}"
        assert not topics, f"{where}a refusal enqueued {topics}"
        if action.row is not None:
            assert row_after == row_before, f"{where}a refusal changed the row"


# --- Every write endpoint is in the matrix --------------------------------------------

#: Writes that are not about a shared record: a person's own account (sign-in, password,
#: second factor, sessions, API tokens), each with its own tests (tests/test_two_factor.py,
#: test_sessions.py, test_api_tokens.py, test_sign_in_throttling.py), and Django admin.
OUTSIDE_THE_MATRIX = frozenset(
    {
        ("login", "post"),
        ("logout", "post"),
        ("login-unlock", "post"),
        ("password_change", "post"),
        ("otp-setup", "post"),
        ("otp-verify", "post"),
        ("otp-recovery-codes", "post"),
        ("otp-remove", "post"),
        ("session-end", "post"),
        ("account-tokens", "post"),
        ("token-revoke", "post"),
    }
)
_WRITES = ("post", "patch", "put", "delete")


def write_endpoints() -> set[tuple[str, str]]:
    """(URL name, method) of every URL pattern whose view accepts a write: the methods
    a DRF viewset routes and allows, those a class-based view implements and allows
    (a form view's PUT, which Django treats as a POST with an empty body, is left out).
    A function view declares nothing: it counts once its action is registered."""
    from django.urls import URLResolver, get_resolver

    found: set[tuple[str, str]] = set()

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
                walk(pattern.url_patterns, inner)
                continue
            if pattern.name is None or (namespace or "").startswith("admin"):
                continue
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if name == "record-action":  # one pattern for every kit action: each counts
                from portal.records.views import ACTIONS as KIT_ACTIONS

                found.update((f"{name}:{action}", "post") for action in KIT_ACTIONS)
                continue
            callback = pattern.callback
            routed = getattr(callback, "actions", None)
            view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            if view_class is None:
                continue
            allowed = set(getattr(view_class, "http_method_names", ()))
            if routed is not None:
                methods = {method for method in routed if method in _WRITES}
            else:
                methods = {method for method in ("post", "patch", "delete") if hasattr(view_class, method)}
            found.update((name, method) for method in methods & allowed)

    walk(get_resolver().url_patterns, None)
    return found


def covered_endpoints(world: World) -> set[tuple[str, str]]:
    """(URL name, method) of every registered action, resolved from its URL."""
    from django.urls import resolve

    covered = set()
    for action in ACTIONS.values():
        match = resolve(action.url(Case(world, action, "superuser")).split("?")[0])
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        if name == "record-action":
            name = f"{name}:{match.kwargs['action']}"
        covered.add((name, action.method))
    return covered
