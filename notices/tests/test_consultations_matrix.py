"""Who may change consultations: each write of ``notices.consultations.testing`` (pages
and API, the kit's actions on a consultation included) × every role key, with what a
success writes and a refusal leaves untouched (``portal.testing.matrix``). One test an
action, every role key in it: the states are built once for the module."""

import contextlib

import pytest

from notices.consultations import testing as consultations_testing
from portal.testing import matrix

NAMES = sorted(name for name in matrix.ACTIONS if name.startswith(("api.consultation.", "consultation.")))
assert consultations_testing.facts and NAMES, "notices.consultations.testing registers the actions"


@contextlib.contextmanager
def consultations_world():
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
    with django_db_blocker.unblock(), consultations_world() as built:
        yield built


@pytest.mark.django_db
@pytest.mark.parametrize("action", NAMES)
def test_write(world, action):
    """Every role key; then the same request without its CSRF token, and a GET."""
    failures = []
    for role in matrix.ROLE_KEYS:
        try:
            matrix.run(world, action, role)
        except AssertionError as exc:
            failures.append(f"{role}: {exc}")
    assert not failures, "\n".join(failures)
    if matrix.writer_of(matrix.ACTIONS[action]):
        matrix.run_forged(world, action)
        matrix.run_get(world, action)


@pytest.mark.django_db
def test_every_write_endpoint_of_the_consultations_is_in_the_matrix(world):
    from django.urls import resolve

    ours = {
        (name, method)
        for name, method in matrix.write_endpoints()
        if name.startswith(("notices:consultation", "api:consultation"))
    }
    covered = set()
    for name in NAMES:
        action = matrix.ACTIONS[name]
        match = resolve(action.url(matrix.Case(world, action, "superuser")).split("?")[0])
        covered.add((f"{match.namespace}:{match.url_name}", action.method))
    assert ours and not ours - covered, f"write endpoints no action covers: {sorted(ours - covered)}"
