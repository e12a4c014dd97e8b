"""A PDF drawn with empty boxes is never attached (issue 10, item 11): a version whose
text holds a character no installed font has keeps its CSV and HTML, has no PDF, and
says why in the log and in admin; the sweep renders it again, and a normal version's
PDF attaches."""

import logging

import pytest
from django.test import Client

from agencies.publication import AGENCY_LIST
from agencies.testing import certified
from portal.publication import publishing
from portal.publication.models import Publication

pytestmark = pytest.mark.django_db

#: Private use: no font the portal installs draws it.
NO_FONT = "\ue000"


@pytest.fixture
def officer(cast):
    return cast["tj_officer"]


@pytest.fixture(autouse=True)
def _own_media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_a_pdf_with_missing_glyphs_is_withheld_and_the_reason_recorded(officer, caplog):
    agency = certified(
        officer, number="GLYPH-1", name_en=f"Boxes {NO_FONT} Ltd", name_tg=f"Ширкати {NO_FONT}"
    )
    versions = publishing.publish_lists(AGENCY_LIST, agency.memorandum)
    with caplog.at_level(logging.WARNING):
        for version in versions:
            publishing.render_documents(version.pk)

    for version in Publication.objects.filter(pk__in=[v.pk for v in versions]):
        assert not version.pdf_file and not version.pdf_sha256
        assert version.csv_file and version.html_file  # the other documents are out
        assert version.pdf_withheld.startswith("PDF withheld: missing glyphs U+E000")
        assert not version.documents_ready
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and "U+E000" in r.getMessage()]
    assert len(errors) == len(versions)  # one line per version, naming the character
    assert not any(".notdef" in r.getMessage() for r in caplog.records)  # not one per glyph

    # The sweep tries again (the fonts may be installed since): still withheld, and the
    # CSV and HTML already attached are kept, not written a second time.
    version = Publication.objects.get(pk=versions[0].pk)
    csv_name = version.csv_file.name
    assert publishing.render_missing_documents() >= 1
    version.refresh_from_db()
    assert version.csv_file.name == csv_name and not version.pdf_file and version.pdf_withheld


def test_admin_shows_why_the_pdf_is_missing(officer, admin_user):
    agency = certified(
        officer, number="GLYPH-2", name_en=f"Boxes {NO_FONT} Ltd", name_tg=f"Ширкати {NO_FONT}"
    )
    version = publishing.publish_lists(AGENCY_LIST, agency.memorandum)[0]
    publishing.render_documents(version.pk)
    client = Client()
    client.force_login(admin_user)
    listing = client.get("/admin/publication/publication/")
    assert listing.status_code == 200
    assert "PDF withheld: missing glyphs U+E000" in listing.content.decode()
    page = client.get(f"/admin/publication/publication/{version.pk}/change/")
    assert "PDF withheld: missing glyphs U+E000" in page.content.decode()


def test_a_normal_render_attaches_the_pdf(officer):
    agency = certified(officer, number="GLYPH-3", name_tg="Ширкати ҷғқҳӣӯ", name_ja="認定送出機関")
    version = publishing.publish_lists(AGENCY_LIST, agency.memorandum)[0]
    publishing.render_documents(version.pk)
    version.refresh_from_db()
    assert version.pdf_file and version.pdf_sha256 and version.pdf_withheld == ""
    assert version.documents_ready
    with version.pdf_file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
