"""Who may change temporary suspensions of acceptance: each write of
``notices.suspensions.testing`` (pages and API, the kit's actions included) × every
role key (``portal.testing.matrix``), run on their own; ``tests/test_permission_matrix.py``
runs them with every other app's."""

import contextlib

import pytest

from notices.suspensions import testing as suspensions_testing
from portal.testing import matrix

NAMES = sorted(name for name in matrix.ACTIONS if name.startswith(("api.suspension.", "suspension.")))
assert suspensions_testing.FACTS and NAMES, "notices.suspensions.testing registers the actions"


@contextlib.contextmanager
def suspensions_world():
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
    with django_db_blocker.unblock(), suspensions_world() as built:
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
