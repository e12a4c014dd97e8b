"""The register's list pages and API lists cost the same number of queries for 1 row as
for 20 (tests/test_list_queries.py's guard, for the register's four lists)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notices.register.matrix import build_imports, build_organizations
from portal import hooks

pytestmark = pytest.mark.django_db

LISTS = [
    ("/notices/register/", "tj_officer", build_organizations),
    ("/notices/register/imports/", "tj_officer", build_imports),
    ("/api/v1/support-organizations/", "tj_officer", build_organizations),
    ("/api/v1/register-imports/", "tj_officer", build_imports),
]


def shown(response) -> int:
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json()["count"]
    return len(response.context["object_list"])


def queries(client, url) -> int:
    # The menu's count is kept until an audited change (portal.kept): counted afresh for
    # each measured page, both are measured alike.
    hooks.forget_work_counts()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("url", "reader", "build"), LISTS, ids=[case[0] for case in LISTS])
def test_list_queries_do_not_grow_with_rows(url, reader, build, cast, client_for):
    client = client_for(reader)
    build(cast, 1)
    client.get(url)  # warm-up
    one = queries(client, url)
    before = shown(client.get(url))
    build(cast, 19)
    twenty = queries(client, url)
    assert shown(client.get(url)) >= before + 19
    assert one == twenty, f"{url}: {one} queries with 1 row, {twenty} with 20"
