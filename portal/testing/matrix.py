"""The permission-matrix harness (STYLE.md §9): every role × every view and API
endpoint × whose object it is.

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
"""

from __future__ import annotations

from collections.abc import Callable
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
