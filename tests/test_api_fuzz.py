"""Schemathesis over the published OpenAPI schema (issue 8): every operation of
``/api/schema/`` fuzzed in-process through the WSGI application, as a read-write token,
a read-only token and anonymously. No response may be a server error, and every
response must be one the schema documents: its status code, its content type, its body.

Bounded so that CI stays fast and reproducible: a fixed seed, a few examples per
operation and identity, no example database. Run one operation and identity with
``pytest tests/test_api_fuzz.py -k "agencies/ and certify and read-write"``."""

import os

import pytest
import schemathesis
from django.db import transaction
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.security import tokens
from portal.testing import fuzz
from portal.wsgi import application

# The fuzzing behaves as in production only on PostgreSQL (NUL bytes, integer ranges).
pytestmark = pytest.mark.postgres

#: Examples drawn per operation and identity in the fuzzing phase; the examples and
#: coverage phases add their own, a fixed set derived from the schema (boundary values,
#: wrong types, unexpected methods). Schemathesis runs Hypothesis without a deadline.
#: 15 until issue 14, when six more routes made the module ~10 minutes of CI's time (of
#: a 20-minute budget); the coverage phase's fixed cases (boundaries, wrong types) still
#: run in full. A deeper run: ``FUZZ_EXAMPLES=50 pytest tests/test_api_fuzz.py``.
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 5))

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261129,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            # Same cases on every run and machine (the seed above, derived per operation),
            # and no replay of earlier local failures.
            "database": "none",
            # The identities below send their own credentials (or none).
            "with-security-parameters": False,
        },
    }
)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """About half the path parameters name a record that exists (``fuzz.populate``), so
    detail and action endpoints get past their 404."""
    existing = fuzz.existing_path_parameters(context.operation.path)
    if not existing:
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters), st.sampled_from(existing))


@pytest.fixture(scope="module")
def credentials(django_db_setup, django_db_blocker):
    """The records of ``fuzz.populate`` and the headers of each identity, made once for
    the module inside a transaction rolled back at its end, as Django's
    ``setUpTestData``: each test runs in a savepoint, so what one operation's requests
    change is undone before the next. The tokens belong to Tajikistan's contact point,
    the side that can write most of the API."""
    from portal.celery import app
    from portal.demo import create_demo_users
    from portal.testing.fixtures import ensure_reference_data

    with django_db_blocker.unblock(), transaction.atomic():
        eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            ensure_reference_data()
            cast = {name.replace("-", "_"): user for name, user in create_demo_users().items()}
            fuzz.current.update(fuzz.populate(cast))
            _token, read_write = tokens.create(cast["tj_contact"], name="Fuzzing", read_only=False, days=1)
            _token, read_only = tokens.create(
                cast["tj_contact"], name="Fuzzing (read-only)", read_only=True, days=1
            )
        finally:
            app.conf.task_always_eager = eager
        with fuzz.connection_kept_across_requests():
            yield {
                "read-write": {"Authorization": f"Token {read_write}"},
                "read-only": {"Authorization": f"Token {read_only}"},
                "anonymous": {},
            }
        fuzz.current.clear()
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("identity", ["read-write", "read-only", "anonymous"])
@schema.parametrize()
def test_api(case, identity, credentials):
    case.call_and_validate(headers=credentials[identity], checks=CHECKS)
