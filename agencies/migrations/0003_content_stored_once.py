"""Store a list's content once for both sides, as the exact canonical JSON that was
hashed; the CSV, HTML and PDF files are attached after the version is out."""

import hashlib
import json

import django.db.models.deletion
from django.db import migrations, models

import agencies.models


def move_snapshots(apps, schema_editor):
    Publication = apps.get_model("agencies", "Publication")
    PublishedContent = apps.get_model("agencies", "PublishedContent")
    for publication in Publication.objects.all().iterator():
        text = json.dumps(publication.snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(text.encode()).hexdigest()
        content, _ = PublishedContent.objects.get_or_create(content_hash=digest, defaults={"canonical_json": text})
        publication.content = content
        publication.content_hash = digest
        publication.save(update_fields=["content", "content_hash"])


def restore_snapshots(apps, schema_editor):
    Publication = apps.get_model("agencies", "Publication")
    for publication in Publication.objects.select_related("content").iterator():
        publication.snapshot = json.loads(publication.content.canonical_json)
        publication.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_seed_sectors_and_criteria")]

    operations = [
        migrations.CreateModel(
            name="PublishedContent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("content_hash", models.CharField(max_length=64, unique=True)),
                ("canonical_json", models.TextField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"verbose_name": "published content", "verbose_name_plural": "published contents"},
        ),
        migrations.AddField(
            model_name="publication",
            name="content",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="publications",
                to="agencies.publishedcontent",
            ),
        ),
        migrations.RunPython(move_snapshots, restore_snapshots),
        migrations.AlterField(
            model_name="publication",
            name="content",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="publications", to="agencies.publishedcontent"
            ),
        ),
        migrations.RemoveField(model_name="publication", name="snapshot"),
        migrations.AlterField(
            model_name="publication",
            name="content_hash",
            field=models.CharField(help_text="SHA-256 of the canonical JSON content", max_length=64),
        ),
        migrations.AlterField(
            model_name="publication",
            name="csv_file",
            field=models.FileField(blank=True, upload_to=agencies.models.publication_path),
        ),
        migrations.AlterField(model_name="publication", name="csv_sha256", field=models.CharField(blank=True, max_length=64)),
        migrations.AlterField(
            model_name="publication",
            name="html_file",
            field=models.FileField(blank=True, upload_to=agencies.models.publication_path),
        ),
        migrations.AlterField(model_name="publication", name="html_sha256", field=models.CharField(blank=True, max_length=64)),
    ]
