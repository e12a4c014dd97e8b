"""Who may change inquiries: each write of ``notices.inquiries.testing`` (pages and
API, the kit's actions and the thread's comments included) × every role key, with what
a success writes and a refusal leaves untouched (``portal.testing.matrix``). The
inquiries' actions alone, so that this module runs on its own; ``tests/
test_permission_matrix.py`` runs them with every other app's."""

import contextlib

import pytest

from notices.inquiries import testing as inquiries_testing
from portal.testing import matrix

NAMES = sorted(name for name in matrix.ACTIONS if name.startswith(("api.inquiry.", "inquiry.")))
assert inquiries_testing.SUBJECT and NAMES, "notices.inquiries.testing registers the inquiries' actions"


@contextlib.contextmanager
def inquiries_world():
    """``matrix.open_world`` for the inquiries' actions alone."""
    from django.db import connection, transaction

    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        world = matrix.World({name: matrix.ACTIONS[name] for name in NAMES})
        connection.check_constraints()
        yield world
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), inquiries_world() as built:
        yield built


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "role"),
    [
        pytest.param(name, role, id=matrix.ACTIONS[name].case_id(role))
        for name in NAMES
        for role in matrix.ROLE_KEYS
    ],
)
def test_write(world, action, role):
    matrix.run(world, action, role)


WRITES = [name for name in NAMES if matrix.writer_of(matrix.ACTIONS[name])]


@pytest.mark.django_db
@pytest.mark.parametrize("action", WRITES)
def test_a_write_without_the_csrf_token_is_refused(world, action):
    matrix.run_forged(world, action)


@pytest.mark.django_db
@pytest.mark.parametrize("action", WRITES)
def test_a_get_writes_nothing(world, action):
    matrix.run_get(world, action)


@pytest.mark.django_db
def test_every_write_endpoint_of_the_inquiries_is_in_the_matrix(world):
    ours = {
        (name, method)
        for name, method in matrix.write_endpoints()
        if name.startswith(("notices:inquir", "api:inquiry"))
    }
    # Two pages (ask, answer); the API's ask, answer, comments and the kit's 5 actions.
    assert len(ours) == 10, sorted(ours)
    from django.urls import resolve

    covered = set()
    for name in NAMES:
        action = matrix.ACTIONS[name]
        match = resolve(action.url(matrix.Case(world, action, "superuser")).split("?")[0])
        url_name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        covered.add((url_name, action.method))
    assert not ours - covered, f"write endpoints no action of the matrix covers: {sorted(ours - covered)}"
