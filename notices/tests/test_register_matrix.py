"""Clause 3 for the register: who reads the imports and the organizations through the
HTML list and page and the API list and detail (exact ids), and every write of the
register's pages and API × every role key (``notices.register.matrix``)."""

import pytest

from notices.register import matrix as register_matrix
from portal.testing import matrix
from portal.testing.matrix import MatrixTests


class TestRegisterImportMatrix(MatrixTests):
    matrix = register_matrix.RegisterImportMatrix()


class TestSupportOrganizationMatrix(MatrixTests):
    matrix = register_matrix.SupportOrganizationMatrix()


#: The register's write actions (registered by importing ``notices.register.matrix``).
NAMES = sorted(name for name in matrix.ACTIONS if "register-import" in name)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast and the states of the register's actions alone, built once for the
    module in a transaction rolled back at its end."""
    from django.db import connection, transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = matrix.World({name: matrix.ACTIONS[name] for name in NAMES})
            connection.check_constraints()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_every_write_of_the_register_is_declared():
    assert len(NAMES) == 11


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


@pytest.mark.django_db
@pytest.mark.parametrize("action", [name for name in NAMES if matrix.writer_of(matrix.ACTIONS[name])])
def test_a_write_without_the_csrf_token_is_refused(world, action):
    matrix.run_forged(world, action)


@pytest.mark.django_db
@pytest.mark.parametrize("action", [name for name in NAMES if matrix.writer_of(matrix.ACTIONS[name])])
def test_a_get_writes_nothing(world, action):
    matrix.run_get(world, action)
