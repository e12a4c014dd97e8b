"""The public lists: served from the published versions, searchable in any script,
escaped everywhere, cache-friendly, in four languages."""

import csv
import gzip
import io
import json
import shutil
import subprocess

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from agencies import services
from agencies.choices import RevocationReason
from agencies.testing import certified
from portal.publication import content as contents
from portal.publication.models import Publication
from portal.publication.reading import published_lists
from portal.testing.services import required

EVIL = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _fresh_cache():
    published_lists.clear()
    yield
    published_lists.clear()


@pytest.fixture
def published(cast, django_capture_on_commit_callbacks):
    officer = cast["tj_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        first = certified(
            officer, number="TJ-A-1", name_tg="Ширкати «Сомон»", name_ja="ソモン", region="Sughd"
        )
        second = certified(
            officer, number="TJ-A-2", name_tg=f"Ширкат {EVIL}", name_en="=cmd|' /C calc'!A0", region="Khatlon"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(
            second, officer, reason="internal detail", public_reason=RevocationReason.FALSE_INFORMATION
        )
    return first, second


@pytest.mark.parametrize("side", ["japan", "tajikistan"])
def test_both_sides_publish_the_list_with_a_revoked_section(client, published, side):
    html = client.get(f"/public/agencies/{side}/?lang=en").content.decode()
    certified_part, withdrawn_part = html.split('id="withdrawn-heading"')
    assert "TJ-A-1" in certified_part and "TJ-A-2" not in certified_part
    assert "TJ-A-2" in withdrawn_part
    assert str(RevocationReason.FALSE_INFORMATION.label) in withdrawn_part
    assert "internal detail" not in html


def test_html_in_names_is_escaped_in_every_public_format(client, published):
    pages = [
        client.get("/public/agencies/japan/?lang=tg"),
        client.get("/public/agencies/japan/?q=Ширкат&lang=tg"),
        client.get("/public/agencies/japan/agency/TJ-A-2/"),
        client.get("/public/agencies/japan/versions/2/?lang=tg"),
        client.get("/public/agencies/japan/feed.atom"),
    ]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert EVIL not in body
        assert "&lt;script&gt;" in body
    document = b"".join(client.get("/public/agencies/japan/versions/2.html").streaming_content).decode()
    assert EVIL not in document and "&lt;script&gt;" in document


def test_csv_neutralises_formulas_and_keeps_scripts(client, published):
    content = b"".join(client.get("/public/agencies/tajikistan/current.csv").streaming_content).decode(
        "utf-8-sig"
    )
    rows = {row["certification_number"]: row for row in csv.DictReader(io.StringIO(content))}
    assert rows["TJ-A-2"]["name_en"] == "'=cmd|' /C calc'!A0"
    assert rows["TJ-A-1"]["name_tg"] == "Ширкати «Сомон»" and rows["TJ-A-1"]["name_ja"] == "ソモン"
    assert rows["TJ-A-2"]["status"] == "revoked" and rows["TJ-A-2"]["reason"] == "false_information"


def test_files_carry_the_published_sha256(client, published):
    latest = Publication.objects.filter(side__code="japan").latest()
    for kind in ["csv", "json", "html", "pdf"]:
        response = client.get(f"/public/agencies/japan/versions/{latest.version}.{kind}")
        body = b"".join(response.streaming_content)
        assert contents.sha256(body) == getattr(latest, f"{kind}_sha256") == response["X-Content-SHA256"]
    data = json.loads(b"".join(client.get("/public/agencies/japan/current.json").streaming_content))
    assert data["version"] == latest.version and data["content_sha256"] == latest.content_hash


@pytest.mark.parametrize("kind", ["json", "csv", "html"])
def test_text_files_are_served_gzipped_to_clients_that_accept_it(client, published, kind):
    latest = Publication.objects.filter(side__code="japan").latest()
    url = f"/public/agencies/japan/versions/{latest.version}.{kind}"
    plain = client.get(url)
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    packed = client.get(url, headers={"Accept-Encoding": "br;q=1.0, gzip;q=0.8, *;q=0.1"})
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(b"".join(packed.streaming_content))
    assert body == b"".join(plain.streaming_content)
    assert contents.sha256(body) == packed["X-Content-SHA256"] == getattr(latest, f"{kind}_sha256")
    assert packed["ETag"] != plain["ETag"]  # one per representation
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed["ETag"]})
    assert again.status_code == 304
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused


def test_the_pdf_has_no_gzip_copy(client, published):
    response = client.get("/public/agencies/japan/current.pdf", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response and "Accept-Encoding" not in response.get("Vary", "")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=сомон", {"TJ-A-1"}),  # Cyrillic, case-insensitive
        ("q=ソモン", {"TJ-A-1"}),  # Japanese
        ("q=TJ-A-2", {"TJ-A-2"}),  # certification number
        ("region=Khatlon", {"TJ-A-2"}),
        ("status=certified", {"TJ-A-1"}),
        ("status=revoked", {"TJ-A-2"}),
        ("sector=nursing-care", {"TJ-A-1", "TJ-A-2"}),
        ("sector=aviation", set()),
    ],
)
def test_search_and_filters(client, published, query, expected):
    html = client.get(f"/public/agencies/japan/?{query}").content.decode()
    shown = {key for key in ("TJ-A-1", "TJ-A-2") if f"/agency/{key}/" in html}
    assert shown == expected


@pytest.mark.parametrize(
    "path", ["/public/agencies/japan/?lang=ja", "/public/agencies/japan/?q=TJ-A&lang=ja"]
)
def test_list_pages_are_gzipped_for_browsers(client, published, path):
    plain = client.get(path)
    packed = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    for response in (plain, packed):
        assert {"Accept-Encoding", "Accept-Language", "Cookie"} <= {
            part.strip() for part in response["Vary"].split(",")
        }
    assert packed["ETag"] != plain["ETag"]
    revalidated = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": packed["ETag"]})
    assert revalidated.status_code == 304 and revalidated["ETag"] == packed["ETag"]


def test_the_language_cookie_is_set_only_when_it_changes(client, published):
    assert client.get("/public/agencies/japan/?lang=ru").cookies["portal_language"].value == "ru"
    assert "portal_language" not in client.get("/public/agencies/japan/?lang=ru").cookies
    assert client.get("/public/agencies/japan/?lang=ja").cookies["portal_language"].value == "ja"


def test_a_searched_page_is_rendered_once_and_revalidated(client, published, monkeypatch):
    from portal.publication import views as public_views

    renders = []
    real = public_views.render_to_string
    monkeypatch.setattr(public_views, "render_to_string", lambda *a, **k: renders.append(1) or real(*a, **k))
    first = client.get("/public/agencies/japan/?q=TJ-A&lang=en")
    again = client.get("/public/agencies/japan/?q=TJ-A&lang=en")
    assert first.content == again.content and len(renders) == 1
    assert (
        client.get(
            "/public/agencies/japan/?q=TJ-A&lang=en", headers={"If-None-Match": first["ETag"]}
        ).status_code
        == 304
    )
    other = client.get("/public/agencies/japan/?q=TJ-A-1&lang=en")
    assert other["ETag"] != first["ETag"] and len(renders) == 2
    assert client.get("/public/agencies/japan/?q=TJ-A&lang=ru")["ETag"] != first["ETag"]


def test_etag_and_last_modified(client, published):
    first = client.get("/public/agencies/japan/?lang=ja")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/public/agencies/japan/?lang=ja", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    other_language = client.get("/public/agencies/japan/?lang=tg", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other_language.status_code == 200


@pytest.mark.parametrize("language", ["ja", "en", "ru", "tg"])
def test_list_in_each_language(client, published, language):
    html = client.get(f"/public/agencies/tajikistan/?lang={language}").content.decode()
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        assert translation.gettext("Revoked and expired certifications") in html


def test_the_public_pages_do_not_read_the_register(client, published, django_assert_max_num_queries):
    client.get("/public/agencies/japan/")  # warm the per-process cache: the version…
    client.get("/public/agencies/japan/?q=TJ")  # …and its content, loaded on first search
    with django_assert_max_num_queries(0):
        assert client.get("/public/agencies/japan/").status_code == 200
        assert client.get("/public/agencies/japan/?q=TJ").status_code == 200
        assert client.get("/public/agencies/japan/feed.atom").status_code == 200


def test_versions_page_shows_the_diff(client, published):
    html = client.get("/public/agencies/japan/versions/?lang=en").content.decode()
    assert "/public/agencies/japan/versions/1/" in html and "/public/agencies/japan/versions/2/" in html
    detail = client.get("/public/agencies/japan/versions/2/?lang=en").content.decode()
    assert "TJ-A-2" in detail and str(RevocationReason.FALSE_INFORMATION.label) in detail


def test_public_json_api(client, published):
    listing = client.get("/api/v1/published-agency-lists/?publisher=tajikistan").json()
    assert [row["version"] for row in listing["results"]] == [2, 1]
    current = client.get("/api/v1/published-agency-lists/current/?publisher=japan").json()
    assert current["version"] == 2 and {row["key"] for row in current["content"]["agencies"]} == {
        "TJ-A-1",
        "TJ-A-2",
    }
    old = client.get("/api/v1/published-agency-lists/1/?publisher=japan")
    assert old.json()["diff"]["added"]
    # The content is the stored canonical text itself: its SHA-256 is the content hash.
    body = old.content.decode()
    content = body[body.index(',"content":') + len(',"content":') : -1]
    assert contents.sha256(content.encode()) == old.json()["content_hash"]
    assert json.loads(content) == old.json()["content"]


def test_unknown_side_is_404(client, db):
    assert client.get("/public/agencies/nowhere/").status_code == 404


def test_pdf_text_round_trip_for_japanese_russian_and_tajik(cast, django_capture_on_commit_callbacks):
    if shutil.which("pdftotext") is None:
        if required():
            pytest.fail("needs pdftotext (poppler-utils)")
        pytest.skip("needs pdftotext (poppler-utils)")
    officer = cast["tj_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        certified(
            officer,
            number="PDF-1",
            name_tg="Ширкати «Ҳунарҳои Ҷопон»",
            name_ru="ООО «Японские ремёсла»",
            name_ja="日本技能送出株式会社",
            name_en="<b>Not bold</b>",
        )
    for side in ["japan", "tajikistan"]:
        pdf = Publication.objects.filter(side__code=side).latest().pdf_file.read()
        text = subprocess.run(
            ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        compact = "".join(text.split())
        # Markup in a name is text in the PDF, not formatting.
        for name in [
            "Ширкати«Ҳунарҳои",
            "ООО«Японскиеремёсла»",
            "日本技能送出株式会社",
            "PDF-1",
            "<b>Notbold</b>",
        ]:
            assert name in compact, (side, name)


def test_html_document_allows_its_own_style_and_no_script(client, published):
    response = client.get("/public/agencies/japan/current.html")
    policy = response["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "default-src 'none'" in policy and "script" not in policy
    assert "Content-Security-Policy" in client.get(
        "/public/agencies/japan/"
    )  # the pages keep the site's policy


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(st.text(alphabet="abAБбジ \n-1", max_size=8), max_size=12),
    needle=st.text(alphabet="abAБбジ \n-1", min_size=1, max_size=3),
)
def test_the_search_index_finds_what_a_scan_of_each_agency_finds(names, needle):
    from agencies.publication import AGENCY_LIST
    from portal.publication.reading import SearchIndex

    SEARCHED_FIELDS = AGENCY_LIST.search_fields

    rows = [{"name_tg": name, "certification_number": f"N-{i}"} for i, name in enumerate(names)]
    needle = needle.casefold()
    expected = [
        i
        for i, row in enumerate(rows)
        if "\n" not in needle
        and needle
        in " ".join(row.get(field) or "" for field in SEARCHED_FIELDS).casefold().replace("\n", " ")
    ]
    assert SearchIndex(rows, SEARCHED_FIELDS).matches(needle) == expected
