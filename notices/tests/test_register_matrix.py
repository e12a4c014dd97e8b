"""Clause 3 for the register: who reads the imports and the organizations through the
HTML list and page and the API list and detail (exact ids). Every write of the
register's pages and API × every role key (``notices.register.matrix``) runs with every
other app's in ``tests/test_permission_matrix.py`` (``-k register-import`` for these
alone)."""

from notices.register import matrix as register_matrix
from portal.testing import matrix
from portal.testing.matrix import MatrixTests


class TestRegisterImportMatrix(MatrixTests):
    matrix = register_matrix.RegisterImportMatrix()


class TestSupportOrganizationMatrix(MatrixTests):
    matrix = register_matrix.SupportOrganizationMatrix()


def test_every_write_of_the_register_is_declared():
    assert len([name for name in matrix.ACTIONS if "register-import" in name]) == 11
