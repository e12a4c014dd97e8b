"""Who may change return requests: each write of ``notices.returns.testing`` (pages
and API, the kit's actions on a request included) × every role key, with what a success
writes and a refusal leaves untouched (``portal.testing.matrix``). The returns' actions
alone, so that this module runs on its own; ``tests/test_permission_matrix.py`` runs
them with every other app's once ``notices.testing`` imports ``notices.returns.testing``."""

import contextlib

import pytest

from notices.returns import testing as returns_testing
from portal.testing import matrix

NAMES = sorted(name for name in matrix.ACTIONS if name.startswith(("api.return.", "return.")))
assert returns_testing.PERSON and NAMES, "notices.returns.testing registers the returns' actions"
#: The kit's actions on a request (acknowledge, assign, attach, consent) are the kit's rules,
#: run with every kind's in ``tests/test_permission_matrix.py``: here, the returns' own.
KIT = {
    "api.return.acknowledge",
    "api.return.assign",
    "api.return.attach",
    "api.return.request-consent",
    "api.return.consent",
}
OWN = [name for name in NAMES if name not in KIT]


@contextlib.contextmanager
def returns_world():
    """``matrix.open_world`` for the returns' actions alone."""
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
    with django_db_blocker.unblock(), returns_world() as built:
        yield built


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "role"),
    [
        pytest.param(name, role, id=matrix.ACTIONS[name].case_id(role))
        for name in OWN
        for role in matrix.ROLE_KEYS
    ],
)
def test_write(world, action, role):
    matrix.run(world, action, role)


WRITES = [name for name in OWN if matrix.writer_of(matrix.ACTIONS[name])]


@pytest.mark.django_db
@pytest.mark.parametrize("action", WRITES)
def test_a_write_without_the_csrf_token_is_refused(world, action):
    matrix.run_forged(world, action)


@pytest.mark.django_db
@pytest.mark.parametrize("action", WRITES)
def test_a_get_writes_nothing(world, action):
    matrix.run_get(world, action)


@pytest.mark.django_db
def test_every_write_endpoint_of_the_returns_is_in_the_matrix(world):
    ours = {
        (name, method)
        for name, method in matrix.write_endpoints()
        if name.startswith(("notices:return", "api:return-request"))
    }
    # four pages, the API's create, persons, steps, close and 5 kit actions
    assert len(ours) == 13, sorted(ours)
    from django.urls import resolve

    covered = set()
    for name in NAMES:  # ``matrix.covered_endpoints`` reads every app's actions' states
        action = matrix.ACTIONS[name]
        match = resolve(action.url(matrix.Case(world, action, "superuser")).split("?")[0])
        url_name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        if url_name == "record-action":
            url_name = f"{url_name}:{match.kwargs['action']}"
        covered.add((url_name, action.method))
    assert not ours - covered, f"write endpoints no action of the matrix covers: {sorted(ours - covered)}"
