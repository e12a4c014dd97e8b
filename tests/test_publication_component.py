"""The publication component (``portal.publication``) itself: what every declared list
gets — archival, tagged PDFs; a start-up hook that decodes and freezes the current
versions; a per-process cache that keeps what it derived from a version when its row
is read again; and declarations checked when they register."""

from __future__ import annotations

import gc
import re
import subprocess

import pytest

from agencies.publication import AGENCY_LIST
from agencies.testing import certified
from portal.publication import lists, publishing, startup
from portal.publication.models import Publication
from portal.publication.reading import PublishedLists, published_lists

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    published_lists.clear()
    yield
    published_lists.clear()


def _published(cast):
    agency = certified(cast["tj_officer"], number="PDF-1", name_ja="送出機関")
    return publishing.publish_lists(AGENCY_LIST, agency.memorandum)


def test_every_published_pdf_is_pdf_a_2a_and_declares_pdf_ua_1(cast, tmp_path):
    """Tagged (a screen reader reads its structure), titled, in the document's language,
    with its fonts embedded, and identified as PDF/A-2a and PDF/UA-1 in its XMP."""
    version = _published(cast)[0]
    assert publishing.render_documents(version.pk)
    version.refresh_from_db()
    path = tmp_path / "list.pdf"
    with version.pdf_file.open("rb") as pdf:
        path.write_bytes(pdf.read())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^PDF version:\s+1\.7$", info, re.M)
    assert "Certified sending agencies" in info or "送出機関" in info  # the title
    metadata = subprocess.run(
        ["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True
    ).stdout
    # WeasyPrint writes the PDF/A identification as attributes; the PDF/UA one is ours.
    assert 'pdfaid:part="2"' in metadata and 'pdfaid:conformance="A"' in metadata, metadata
    assert "<pdfuaid:part>1</pdfuaid:part>" in metadata
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded


def test_a_pdf_rendered_again_is_the_same_bytes(cast):
    """A pruned version's PDF is rendered again on demand and must keep its SHA-256."""
    from portal.publication import rendering
    from portal.publication.reading import Version

    version = _published(cast)[0]
    held = Version(AGENCY_LIST, Publication.objects.get(pk=version.pk))
    assert rendering.render_pdf(AGENCY_LIST, held) == rendering.render_pdf(AGENCY_LIST, held)


def test_the_start_up_hook_decodes_the_current_versions_then_freezes(cast):
    _published(cast)
    gc.unfreeze()
    try:
        startup.serving_process_started()
        held = published_lists.held()
        assert {version.publication.side.code for version in held} == {"japan", "tajikistan"}
        assert all(version.decoded for version in held)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_hook_starts_a_process_even_without_a_database(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(lists, "all_lists", unreachable)
    assert startup.warm_up() == 0


def test_what_a_process_derived_from_a_version_survives_its_row_being_read_again(cast):
    """The documents are attached after the version is out: the cache reads the row
    again, and keeps the decoded content, search index and pages it made."""
    version = _published(cast)[0]
    cache = PublishedLists(ttl=0)
    held = cache.current(AGENCY_LIST, version.side.code)
    index, rows, page = held.search_index, held.rows, held.page("en")
    assert not held.publication.pdf_sha256
    publishing.render_documents(version.pk)
    again = cache.current(AGENCY_LIST, version.side.code)
    assert again is held and again.publication.pdf_sha256  # the new row, in the same version
    assert again.search_index is index and again.rows is rows and again.page("en") is page


def test_a_declaration_is_checked_when_it_registers():
    class Clashing(lists.PublishedList):
        name = "clashing"
        meta_keys = ("rows",)

    with pytest.raises(ValueError, match="component's keys"):
        lists.register(Clashing())
    with pytest.raises(ValueError, match="declared twice"):
        lists.register(AGENCY_LIST)


def test_the_lists_declared_are_the_four_of_the_memorandum():
    assert {published.name for published in lists.all_lists()} == {
        "agencies",
        "improvement-orders",
        "support-organizations",
        "acceptance-suspensions",
    }
