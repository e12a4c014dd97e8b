"""Migration 0007 moves investigation attachments and screening evidence onto the kit's
attachments: every file arrives in the private folder with its type, size and SHA-256,
leaves the public media folder, and keeps its owner, uploader, side and description."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portal.testing.files import PDF

BEFORE = [("agencies", "0006_pending_publication")]
AFTER = [("agencies", "0007_kit_attachments_and_references")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_files_move_onto_kit_attachments_and_out_of_the_media_folder(cast):
    from agencies.testing import certified
    from portal.testing.fixtures import ensure_reference_data

    officer, japan = cast["tj_officer"], cast["jp_officer"]
    agency = certified(officer)
    screening_id = agency.screenings.first().pk
    result_id = agency.screenings.first().results.first().pk
    agency_id = agency.pk
    try:
        old = migrate(BEFORE)
        Investigation = old.get_model("agencies", "Investigation")
        investigation = Investigation.objects.create(
            memorandum_id=agency.memorandum_id,
            origin_id=japan.organization_id,
            created_by_id=japan.pk,
            agency_id=agency_id,
            facts="Reported before the kit.",
            due_on="2030-01-01",
            status="shared",
        )
        statement = default_storage.save(f"investigations/{investigation.pk}/statement.pdf", ContentFile(PDF))
        licence = default_storage.save(
            f"agencies/{agency_id}/screenings/{screening_id}/licence.pdf", ContentFile(PDF + b"%licence")
        )
        old.get_model("agencies", "InvestigationAttachment").objects.create(
            investigation_id=investigation.pk, file=statement, uploaded_by_id=japan.pk
        )
        old.get_model("agencies", "ScreeningEvidence").objects.create(
            result_id=result_id, file=licence, description="Licence", uploaded_by_id=officer.pk
        )

        new = migrate(AFTER)
        Attachment = new.get_model("records", "Attachment")
        moved = {row.name: row for row in Attachment.objects.all()}
        assert set(moved) == {"statement.pdf", "licence.pdf"}
        report, evidence = moved["statement.pdf"], moved["licence.pdf"]
        assert (report.content_type.model, report.object_id) == ("investigation", investigation.pk)
        assert (evidence.content_type.model, evidence.object_id) == ("screeningresult", result_id)
        assert evidence.description == "Licence" and evidence.uploaded_by_id == officer.pk
        assert (
            report.side_id == japan.organization.side_id and evidence.side_id == officer.organization.side_id
        )
        for row, content in ((report, PDF), (evidence, PDF + b"%licence")):
            path = Path(settings.PRIVATE_MEDIA_ROOT) / row.file.name
            assert path.read_bytes() == content
            assert row.sha256 == hashlib.sha256(content).hexdigest() and row.size == len(content)
            assert row.media_type == "application/pdf"
        assert not default_storage.exists(statement) and not default_storage.exists(licence)
        reference = new.get_model("agencies", "Investigation").objects.get(pk=investigation.pk).reference
        assert reference and reference.startswith("JP-INV-")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        ensure_reference_data()
