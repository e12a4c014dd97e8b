"""The publications media folder under faults and over time (issue 15, item 4): a failed
render leaves no file behind, files no version names are swept once old enough, and
superseded versions' documents are pruned and rendered again on demand to the bytes
they were published with."""

import hashlib
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from agencies.publication import AGENCY_LIST
from agencies.testing import certified
from portal.publication import publishing, rendering
from portal.publication.models import Publication
from portal.publication.reading import published_lists

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(cast):
    return cast["tj_officer"]


@pytest.fixture(autouse=True)
def _own_media(tmp_path, settings):
    """A media folder of this test alone: the session's holds other tests' versions."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / publishing.MEDIA_FOLDER / "agencies"
    return {str(path.relative_to(settings.MEDIA_ROOT)) for path in root.rglob("*") if path.is_file()}


def _size(names) -> int:
    return sum((Path(settings.MEDIA_ROOT) / name).stat().st_size for name in names)


def _version_files(version: Publication) -> set[str]:
    names = {getattr(version, f"{kind}_file").name for kind in ("json", "csv", "html", "pdf")}
    return {name for name in names | set(version.gzip_files.values()) if name}


def test_a_failed_render_leaves_no_file_behind(officer, monkeypatch):
    agency = certified(officer, number="FAIL-1")  # callbacks not run: no documents yet
    versions = publishing.publish_lists(AGENCY_LIST, agency.memorandum)
    before = _files()
    assert all(name.endswith(".json") for name in before)

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rendering, "render_pdf", full_disk)
    with pytest.raises(OSError):
        publishing.render_documents(versions[0].pk)
    assert _files() == before  # the CSV and HTML written before the PDF failed are gone
    version = Publication.objects.get(pk=versions[0].pk)
    assert not version.documents_ready and not version.csv_file and not version.gzip_files


def test_the_orphan_sweep_removes_old_unreferenced_files_only(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certified(officer, number="ORPHAN-1")
    referenced = publishing.referenced_files()
    assert referenced and referenced == _files()
    folder = Path(settings.MEDIA_ROOT) / publishing.MEDIA_FOLDER / "agencies" / "japan" / "00001"
    old_orphan, fresh_orphan = folder / "japan-agencies-v00001_killed.pdf", folder / "left.csv"
    old_orphan.write_bytes(b"%PDF half")
    fresh_orphan.write_bytes(b"in progress")
    two_hours_ago = time.time() - 2 * 3600
    for path in [old_orphan, *(Path(settings.MEDIA_ROOT) / name for name in referenced)]:
        os.utime(path, (two_hours_ago, two_hours_ago))

    assert publishing.remove_orphan_files(older_than_minutes=60) == 1
    assert not old_orphan.exists()
    assert fresh_orphan.exists()
    assert referenced <= _files()


@override_settings(PUBLICATION_KEEP_VERSIONS=2, PUBLICATION_KEEP_DAYS=0)
def test_old_versions_lose_their_documents_and_get_them_back_byte_for_byte(
    officer, django_capture_on_commit_callbacks
):
    cache.clear()
    published_lists.clear()
    for number in range(1, 6):
        with django_capture_on_commit_callbacks(execute=True):
            certified(officer, number=f"KEEP-{number}", name_tg=f"Ширкати {number}")
    versions = list(Publication.objects.filter(side__code="japan").order_by("version"))
    assert [version.version for version in versions] == [1, 2, 3, 4, 5]
    assert all(version.documents_ready for version in versions)
    per_version_before = _size(_version_files(versions[-1]))
    published = {
        version.pk: (version.csv_sha256, version.html_sha256, version.pdf_sha256, version.json_sha256)
        for version in versions
    }

    with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
        assert publishing.prune_superseded_documents() == 6  # versions 1-3 of both sides
    left = _files()
    for version in Publication.objects.filter(side__code="japan").order_by("version"):
        hashes = (version.csv_sha256, version.html_sha256, version.pdf_sha256, version.json_sha256)
        assert hashes == published[version.pk]
        if version.version <= 3:
            assert not _version_files(version)
            assert not any(f"/{version.version:05d}/" in name for name in left)
        else:
            assert publishing.documents_on_disk(version)
    per_version_after = _size(_version_files(Publication.objects.get(pk=versions[0].pk)))  # none
    print(
        f"\nmedia per superseded version of a 5-agency list: {per_version_before} bytes kept,"
        f" {per_version_after} after the retention policy"
    )

    client = Client()
    response = client.get("/public/agencies/japan/versions/1.pdf")
    assert response.status_code == 503 and response["Retry-After"]
    # Eager Celery: the render that request asked for has run; the files are back
    # (served once this process re-reads the version, within its 0.5 s ttl).
    assert publishing.documents_on_disk(Publication.objects.get(pk=versions[0].pk))
    time.sleep(published_lists.ttl)
    for kind, index in (("csv", 0), ("html", 1), ("pdf", 2), ("json", 3)):
        response = client.get(f"/public/agencies/japan/versions/1.{kind}")
        assert response.status_code == 200, kind
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == published[versions[0].pk][index]


def test_a_failing_cache_leaves_a_visitor_a_503_to_retry_not_an_error(
    officer, django_capture_on_commit_callbacks
):
    from portal.testing.processes import free_port

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            certified(officer)
    version = Publication.objects.filter(side__code="japan").earliest()
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.prune_superseded_documents(keep_versions=1, keep_days=0) >= 1
    refusing = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    with override_settings(CACHES=refusing):
        started = time.monotonic()
        response = Client().get(f"/public/agencies/japan/versions/{version.version}.pdf")
        assert response.status_code == 503 and response["Retry-After"]
        assert time.monotonic() - started < 1
