# The suspensions part of issue 13: acceptance suspensions (clause 8) and their direct
# permission table. Only this part's models' operations (the parts' migrations form one
# chain so that no two leaves meet).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0005_consultations"),
        ("agencies", "0010_due_date_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("portal", "0010_correspondence_threads"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AcceptanceSuspension",
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
                ("suspended_from", models.DateField(verbose_name="suspended from")),
                ("reason", models.TextField(verbose_name="reason for the suspension")),
                (
                    "those_in_japan",
                    models.TextField(
                        help_text="What happens to the Specified Skilled Workers of the sector already in Japan.",
                        verbose_name="workers already in Japan",
                    ),
                ),
                ("internal_notes", models.TextField(blank=True, verbose_name="internal notes")),
                (
                    "state",
                    models.CharField(
                        choices=[("in_force", "In force"), ("lifted", "Lifted")],
                        default="in_force",
                        editable=False,
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                (
                    "corrected_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="last corrected at"
                    ),
                ),
                (
                    "lifted_on",
                    models.DateField(blank=True, editable=False, null=True, verbose_name="lifted on"),
                ),
                (
                    "lifting_reason",
                    models.TextField(blank=True, editable=False, verbose_name="reason for the lifting"),
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
                (
                    "sector",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="agencies.sector",
                        verbose_name="SSW sector",
                    ),
                ),
            ],
            options={
                "verbose_name": "temporary suspension of acceptance",
                "verbose_name_plural": "temporary suspensions of acceptance",
                "ordering": ["-suspended_from", "-id"],
            },
        ),
        migrations.CreateModel(
            name="AcceptanceSuspensionGroupObjectPermission",
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
                        on_delete=django.db.models.deletion.CASCADE, to="notices.acceptancesuspension"
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
        migrations.AddIndex(
            model_name="acceptancesuspension",
            index=models.Index(fields=["-suspended_from", "-id"], name="suspension_newest_first"),
        ),
        migrations.AddConstraint(
            model_name="acceptancesuspension",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "in_force"), ("status", "shared")),
                fields=("memorandum", "sector"),
                name="one_suspension_in_force_per_sector",
            ),
        ),
        migrations.AlterUniqueTogether(
            name="acceptancesuspensiongroupobjectpermission",
            unique_together={("group", "permission", "content_object")},
        ),
    ]
