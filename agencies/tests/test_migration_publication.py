"""Migration 0011 carries the agency lists' versions over to the publication component:
the same ids, content, hashes, diffs, pre-rendered pages and file names, so that every
public URL and file of an earlier version still answers with the same bytes, the next
version follows the last one, and going back restores the agencies tables."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from portal.publication.content import sha256
from portal.publication.reading import published_lists

BEFORE = [("agencies", "0010_due_date_indexes"), ("publication", "0001_initial")]
AFTER = [("agencies", "0011_publication_component")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_versions_keep_their_ids_hashes_files_and_urls(cast, settings, tmp_path):
    from agencies.publication import AGENCY_LIST
    from agencies.testing import certified
    from portal.publication import publishing
    from portal.testing.fixtures import ensure_reference_data

    settings.MEDIA_ROOT = str(tmp_path / "media")
    officer = cast["tj_officer"]
    agency = certified(officer, number="MIG-1")
    memorandum_id, japan_id = agency.memorandum_id, cast["jp_officer"].organization.side_id
    published_lists.clear()
    try:
        old = migrate(BEFORE)
        Content = old.get_model("agencies", "PublishedContent")
        Publication = old.get_model("agencies", "Publication")
        Pending = old.get_model("agencies", "PendingPublication")
        text = '{"memorandum":"TJ","sectors":{},"agencies":[]}'
        content = Content.objects.create(content_hash=sha256(text.encode()), canonical_json=text)
        body = b'{"publisher":"japan","version":7,"content":' + text.encode() + b"}"
        name = default_storage.save(
            "publications/agencies/japan/00007/japan-agencies-v00007.json", ContentFile(body)
        )
        version = Publication.objects.create(
            side_id=japan_id,
            version=7,
            published_at="2026-11-01T00:00:00Z",
            content=content,
            content_hash=content.content_hash,
            diff={"added": [{"key": "OLD-1", "name": "Ширкат"}]},
            patch={},
            rendered={
                "ja": "<p>v7 ja</p>",
                "en": "<p>v7 en</p>",
                "ru": "<p>v7</p>",
                "tg": "<p>v7</p>",
                "atom": "<feed/>",
            },
            json_file=name,
            json_sha256=sha256(body),
        )
        Pending.objects.create(side_id=japan_id, agency_ids=[agency.pk])

        new = migrate(AFTER)
        moved = new.get_model("publication", "Publication").objects.get(pk=version.pk)
        assert (moved.list_name, moved.side_id, moved.version) == ("agencies", japan_id, 7)
        assert moved.content_id == content.pk and moved.content_hash == content.content_hash
        assert moved.diff == version.diff and moved.rendered == version.rendered
        assert moved.json_file.name == name and moved.json_sha256 == sha256(body)
        pending = new.get_model("publication", "PendingPublication").objects.get()
        assert (pending.list_name, pending.item_ids) == ("agencies", [agency.pk])

        # Served by the component at the URL it always had, with the same bytes.
        response = Client().get("/public/agencies/japan/versions/7.json")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == body
        assert response["X-Content-SHA256"] == sha256(body)
        assert Client().get("/public/agencies/japan/?lang=en").content == b"<p>v7 en</p>"

        # The next version follows it, and its id comes after the carried ones.
        from portal.models import Memorandum
        from portal.publication.models import Publication as Version

        created = publishing.publish_lists(
            AGENCY_LIST, Memorandum.objects.get(pk=memorandum_id), side_ids=[japan_id]
        )
        assert [v.version for v in created] == [8]
        assert created[0].pk > version.pk
        assert {7, 8} <= set(
            Version.objects.filter(list_name="agencies", side_id=japan_id).values_list("version", flat=True)
        )

        # And back: the agencies tables hold the versions again, the component's are empty.
        back = migrate(BEFORE)
        assert back.get_model("agencies", "Publication").objects.filter(version__in=[7, 8]).count() == 2
        assert not back.get_model("publication", "Publication").objects.exists()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        published_lists.clear()
        ensure_reference_data()
