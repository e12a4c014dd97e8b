"""Carry the agency lists' published versions over to the publication component
(``portal.publication``): the same ids, contents, hashes, diffs, patches, pre-rendered
pages and file names (the files stay where they are), so every public URL, file and
SHA-256 stays valid, and outbox entries naming a version still find it. Then the
agencies app's own tables go."""

from django.core.management.color import no_style
from django.db import migrations

COPIES = (
    (
        "agencies_publishedcontent",
        "publication_publishedcontent",
        "id, content_hash, canonical_json, created_at",
        "id, content_hash, canonical_json, created_at",
    ),
    (
        "agencies_publication",
        "publication_publication",
        "id, list_name, side_id, version, published_at, content_id, content_hash, diff, patch, rendered, "
        "json_file, json_sha256, csv_file, csv_sha256, html_file, html_sha256, pdf_file, pdf_sha256, "
        "pdf_withheld, gzip_files",
        "id, 'agencies', side_id, version, published_at, content_id, content_hash, diff, patch, rendered, "
        "json_file, json_sha256, csv_file, csv_sha256, html_file, html_sha256, pdf_file, pdf_sha256, "
        "pdf_withheld, gzip_files",
    ),
    (
        "agencies_pendingpublication",
        "publication_pendingpublication",
        "id, list_name, side_id, item_ids, requested_at",
        "id, 'agencies', side_id, agency_ids, requested_at",
    ),
)


def _copy(schema_editor, copies, models) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for source, target, columns, selected in copies:
            cursor.execute(f"INSERT INTO {target} ({columns}) SELECT {selected} FROM {source}")  # noqa: S608
        # The copied ids were given by the old tables' sequences: the new ones go on after them.
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def carry_over(apps, schema_editor):
    models = [
        apps.get_model("publication", name)
        for name in ("PublishedContent", "Publication", "PendingPublication")
    ]
    _copy(schema_editor, COPIES, models)


def carry_back(apps, schema_editor):
    """Back to the agencies tables: the agency list's versions only (a later list's are
    the component's alone)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO agencies_publishedcontent (id, content_hash, canonical_json, created_at) "
            "SELECT id, content_hash, canonical_json, created_at FROM publication_publishedcontent "
            "WHERE id IN (SELECT content_id FROM publication_publication WHERE list_name = 'agencies')"
        )
        cursor.execute(
            "INSERT INTO agencies_publication (id, side_id, version, published_at, content_id, content_hash, diff, "
            "patch, rendered, json_file, json_sha256, csv_file, csv_sha256, html_file, html_sha256, pdf_file, "
            "pdf_sha256, pdf_withheld, gzip_files) "
            "SELECT id, side_id, version, published_at, content_id, content_hash, diff, patch, rendered, json_file, "
            "json_sha256, csv_file, csv_sha256, html_file, html_sha256, pdf_file, pdf_sha256, pdf_withheld, "
            "gzip_files FROM publication_publication WHERE list_name = 'agencies'"
        )
        cursor.execute(
            "INSERT INTO agencies_pendingpublication (id, side_id, agency_ids, requested_at) "
            "SELECT id, side_id, item_ids, requested_at FROM publication_pendingpublication "
            "WHERE list_name = 'agencies'"
        )
        # Now the agencies app's again: not the component's any more.
        cursor.execute("DELETE FROM publication_pendingpublication WHERE list_name = 'agencies'")
        cursor.execute("DELETE FROM publication_publication WHERE list_name = 'agencies'")
        cursor.execute(
            "DELETE FROM publication_publishedcontent WHERE id NOT IN (SELECT content_id FROM publication_publication)"
        )
        models = [
            apps.get_model("agencies", name)
            for name in ("PublishedContent", "Publication", "PendingPublication")
        ]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0010_due_date_indexes"),
        ("publication", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        # The versions before their content (they name it); whole tables, so that going
        # back recreates each with its fields and constraints as they were.
        migrations.DeleteModel(name="PendingPublication"),
        migrations.DeleteModel(name="Publication"),
        migrations.DeleteModel(name="PublishedContent"),
    ]
