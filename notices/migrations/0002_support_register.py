# The register of registered support organizations and its imports (issue 12).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("notices", "0001_improvement_orders"),
        ("portal", "0010_correspondence_threads"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RegisterImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reference",
                    models.CharField(
                        blank=True,
                        editable=False,
                        max_length=32,
                        null=True,
                        unique=True,
                        verbose_name="reference",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("shared", "Shared"), ("withdrawn", "Withdrawn")],
                        default="draft",
                        editable=False,
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "shared_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="shared at"),
                ),
                (
                    "acknowledged_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="acknowledged at"
                    ),
                ),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="due on")),
                ("last_reminded_on", models.DateField(blank=True, editable=False, null=True)),
                (
                    "edition",
                    models.CharField(
                        blank=True,
                        choices=[("ja", "Japanese"), ("en", "English")],
                        editable=False,
                        max_length=2,
                        verbose_name="edition",
                    ),
                ),
                (
                    "as_of",
                    models.DateField(blank=True, editable=False, null=True, verbose_name="register as of"),
                ),
                ("title", models.CharField(blank=True, editable=False, max_length=300, verbose_name="title")),
                (
                    "file_name",
                    models.CharField(blank=True, editable=False, max_length=200, verbose_name="file name"),
                ),
                ("file_sha256", models.CharField(editable=False, max_length=64, verbose_name="SHA-256")),
                (
                    "rows_read",
                    models.PositiveIntegerField(default=0, editable=False, verbose_name="rows read"),
                ),
                (
                    "row_errors",
                    models.JSONField(
                        blank=True, default=list, editable=False, verbose_name="unreadable rows"
                    ),
                ),
                ("added", models.JSONField(blank=True, default=list, editable=False, verbose_name="added")),
                (
                    "changed",
                    models.JSONField(blank=True, default=dict, editable=False, verbose_name="changed"),
                ),
                ("changed_values", models.JSONField(blank=True, default=dict, editable=False)),
                ("added_names", models.JSONField(blank=True, default=dict, editable=False)),
                (
                    "removed",
                    models.JSONField(blank=True, default=list, editable=False, verbose_name="removed"),
                ),
                (
                    "reappeared",
                    models.JSONField(blank=True, default=list, editable=False, verbose_name="reappeared"),
                ),
                ("counts", models.JSONField(blank=True, default=dict, editable=False, verbose_name="counts")),
                (
                    "applied_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="applied at"),
                ),
                (
                    "acknowledged_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="acknowledged by",
                    ),
                ),
                (
                    "assigned_to",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned to",
                    ),
                ),
                (
                    "base",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="notices.registerimport",
                        verbose_name="compared with",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "memorandum",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="portal.memorandum"
                    ),
                ),
                (
                    "origin",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.organization",
                        verbose_name="originating organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "register import",
                "verbose_name_plural": "register imports",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="RegisterImportGroupObjectPermission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "content_object",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="notices.registerimport"
                    ),
                ),
                ("group", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="auth.group")),
                (
                    "permission",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="auth.permission"),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="SupportOrganization",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("registration_number", models.CharField(max_length=20, verbose_name="registration number")),
                ("registered_on", models.DateField(verbose_name="registration date")),
                ("name", models.TextField(verbose_name="name")),
                ("postcode", models.CharField(blank=True, max_length=20, verbose_name="postcode")),
                ("address", models.TextField(blank=True, verbose_name="address")),
                ("prefecture", models.CharField(blank=True, max_length=2, verbose_name="prefecture")),
                ("phone", models.CharField(blank=True, max_length=100, verbose_name="telephone")),
                ("representative", models.TextField(blank=True, verbose_name="representative")),
                ("office_name", models.TextField(blank=True, verbose_name="support office")),
                ("office_address", models.TextField(blank=True, verbose_name="support office address")),
                ("support", models.TextField(blank=True, verbose_name="support offered")),
                (
                    "support_from",
                    models.DateField(blank=True, null=True, verbose_name="support may start on"),
                ),
                (
                    "languages",
                    models.JSONField(blank=True, default=list, verbose_name="languages of support"),
                ),
                (
                    "languages_text",
                    models.TextField(blank=True, verbose_name="languages of support, as written"),
                ),
                ("remarks", models.TextField(blank=True, verbose_name="remarks")),
                ("fingerprint", models.CharField(editable=False, max_length=64)),
                ("first_seen_on", models.DateField(blank=True, null=True, verbose_name="first listed on")),
                ("changed_on", models.DateField(blank=True, null=True, verbose_name="last changed on")),
                ("removed_on", models.DateField(blank=True, null=True, verbose_name="removed on")),
                (
                    "first_seen_import",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="notices.registerimport",
                    ),
                ),
                (
                    "memorandum",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="portal.memorandum"
                    ),
                ),
                (
                    "removed_import",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="notices.registerimport",
                    ),
                ),
            ],
            options={
                "verbose_name": "registered support organization",
                "verbose_name_plural": "registered support organizations",
                "ordering": ["registration_number"],
            },
        ),
        migrations.AddIndex(
            model_name="registerimport",
            index=models.Index(
                condition=models.Q(("applied_at__isnull", False)),
                fields=["memorandum", "-applied_at"],
                name="register_import_applied",
            ),
        ),
        migrations.AlterUniqueTogether(
            name="registerimportgroupobjectpermission",
            unique_together={("group", "permission", "content_object")},
        ),
        migrations.AddIndex(
            model_name="supportorganization",
            index=models.Index(fields=["memorandum", "prefecture"], name="support_org_prefecture"),
        ),
        migrations.AddConstraint(
            model_name="supportorganization",
            constraint=models.UniqueConstraint(
                fields=("memorandum", "registration_number"), name="one_support_organization_a_number"
            ),
        ),
    ]
