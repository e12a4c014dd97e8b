"""pytest fixtures shared by every app: the cast of users (one per role and side),
clients signed in as each, eager Celery for unit tests, and the service checks."""

from __future__ import annotations

import pytest

from . import services


def pytest_runtest_setup(item):
    services.skip_or_fail(item)


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Unit tests run Celery tasks in-process; integration tests talk to a real worker."""
    from portal.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


#: Data migrations whose ``seed(apps, schema_editor)`` is idempotent, in dependency order.
REFERENCE_DATA_MIGRATIONS = [
    "portal.migrations.0002_seed_memorandum_sides_organizations",
    "agencies.migrations.0002_seed_sectors_and_criteria",
    "portal.places.migrations.0002_seed_places",
    "exams.migrations.0001_reference",
]


def _reference_data_present() -> bool:
    """Whether every row the data migrations seed is there: they are, but after a
    transactional test, whose end truncates every table. Six counts, where seeding
    again is ~150 queries — and nearly every test asks (the ``cast`` fixture)."""
    import importlib

    from django.apps import apps

    portal = importlib.import_module(REFERENCE_DATA_MIGRATIONS[0])
    agencies = importlib.import_module(REFERENCE_DATA_MIGRATIONS[1])
    places = importlib.import_module(REFERENCE_DATA_MIGRATIONS[2])
    exams = importlib.import_module(REFERENCE_DATA_MIGRATIONS[3])
    expected = [
        ("portal.Memorandum", 1),
        ("portal.Organization", len(portal.ORGANIZATIONS)),
        ("agencies.Sector", len(agencies.SECTORS)),
        ("agencies.ScreeningCriterion", len(agencies.CRITERIA)),
        ("places.Place", len(places.PLACES)),
        ("exams.Exam", len(agencies.SECTORS) + len(exams.JAPANESE_TESTS)),
    ]
    return all(apps.get_model(label).objects.count() >= count for label, count in expected)


def ensure_reference_data() -> None:
    """Re-seed what the data migrations seeded, when a transactional test (live server,
    real worker) truncated it."""
    import importlib

    from django.apps import apps

    if _reference_data_present():
        return
    for module in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)


@pytest.fixture
def cast(db):
    """The demo users: jp-contact, jp-officer, jp-analyst, tj-contact, tj-officer,
    tj-analyst, embassy-viewer, maff-viewer, admin — keyed with underscores."""
    from portal.demo import create_demo_users

    ensure_reference_data()
    return {name.replace("-", "_"): user for name, user in create_demo_users().items()}


@pytest.fixture
def client_for(client, cast):
    """``client_for("tj_contact")``: a test client signed in as that cast member."""
    from django.test import Client

    def make(name: str | None) -> Client:
        new = Client()
        if name is not None:
            new.force_login(cast[name])
        return new

    return make


@pytest.fixture
def org(db):
    from portal.models import Organization

    return lambda code: Organization.objects.get(code=code)


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_temporary_directory(tmp_path_factory):
    """Uploaded and published files go to a directory of the run, not to the
    developer's media/; the environment passes it to the worker processes of the
    integration tests."""
    import os

    from django.test.utils import override_settings

    media = str(tmp_path_factory.mktemp("media"))
    private = str(tmp_path_factory.mktemp("private"))
    previous = {name: os.environ.get(name) for name in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")}
    os.environ["MEDIA_ROOT"], os.environ["PRIVATE_MEDIA_ROOT"] = media, private
    with override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=private):
        yield media
    for name, value in previous.items():
        if value is None:
            del os.environ[name]
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True, scope="session")
def _a_cache_of_its_own_per_worker(request):
    """``make test`` runs the suite in two processes (pytest-xdist) against one Redis:
    each keeps its cache keys apart (a user's cached figures are another user's in the
    other process's database). Set before the cache is first used."""
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if worker:
        from django.conf import settings

        default = settings.CACHES["default"]
        default["KEY_PREFIX"] = f"{default.get('KEY_PREFIX', '')}-{worker}"
    yield


@pytest.fixture(autouse=True)
def _no_work_count_kept():
    """The menu's work count and other values are kept per process until the next
    audited change (``portal.kept``): a test starts with none kept by the one before,
    whose rows were rolled back."""
    from portal import hooks
    from portal.kept import KeptUntilChange

    hooks.forget_work_counts()
    KeptUntilChange.forget_all()


@pytest.fixture(autouse=True)
def _no_language_left_behind():
    """A view that activates a language (``?lang=`` on the public pages) leaves it active
    in the thread after the request: the next test would read its strings in it."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """PBKDF2 at production strength costs ~0.4 s a password; the cast has nine."""
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    yield


@pytest.fixture
def reported_investigation(cast, django_capture_on_commit_callbacks):
    """Japan's report on a certified agency, shared with Tajikistan, with Japan's
    statement as a real small PDF (``statement.pdf``)."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from agencies import services as agency_services
    from agencies.testing import certified

    from .files import PDF

    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(cast["tj_officer"])
    return agency_services.report_for_investigation(
        cast["jp_officer"],
        agency,
        facts="Workers report a deposit of USD 2,000.",
        due_on=timezone.localdate() + dt.timedelta(days=30),
        attachments=[SimpleUploadedFile("statement.pdf", PDF)],
    )
