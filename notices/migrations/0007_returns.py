# The returns part of issue 13: return requests, the persons on them and their steps
# (notices/models/returns.py).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("notices", "0006_suspensions"),
        ("portal", "0010_correspondence_threads"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReturnRequest",
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
                    "embassy_granted_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="access given to the embassy at"
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("returned", "Closed: every person returned"),
                            ("closed", "Closed"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="open",
                        editable=False,
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                (
                    "closed_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="closed at"),
                ),
                (
                    "closure_reason",
                    models.TextField(blank=True, editable=False, verbose_name="reason for closing"),
                ),
                (
                    "personal_data_erased_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="personal data erased at"
                    ),
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
                    "embassy",
                    models.ForeignKey(
                        limit_choices_to={"kind": "embassy", "side__isnull": True},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.organization",
                        verbose_name="embassy",
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
                "verbose_name": "return request",
                "verbose_name_plural": "return requests",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ReturnPerson",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="number")),
                ("full_name", models.CharField(blank=True, max_length=200, verbose_name="full name")),
                ("date_of_birth", models.DateField(blank=True, null=True, verbose_name="date of birth")),
                (
                    "residence_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("ssw_i", "Specified Skilled Worker (i)"),
                            ("ssw_ii", "Specified Skilled Worker (ii)"),
                        ],
                        max_length=10,
                        verbose_name="status of residence",
                    ),
                ),
                ("whereabouts", models.TextField(blank=True, verbose_name="where the person is")),
                ("reason", models.TextField(blank=True, verbose_name="reason for the return")),
                ("dependants", models.TextField(blank=True, verbose_name="dependants")),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="persons",
                        to="notices.returnrequest",
                        verbose_name="return request",
                    ),
                ),
            ],
            options={
                "verbose_name": "person to return",
                "verbose_name_plural": "persons to return",
                "ordering": ["request_id", "number"],
            },
        ),
        migrations.CreateModel(
            name="ReturnRequestGroupObjectPermission",
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
                        on_delete=django.db.models.deletion.CASCADE, to="notices.returnrequest"
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
            name="ReturnStep",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("contacted", "Person contacted"),
                            ("identity_confirmed", "Identity and nationality confirmed"),
                            ("document_applied", "Temporary passport applied for"),
                            ("document_issued", "Temporary passport (travel document) issued"),
                            ("travel_arranged", "Travel arranged"),
                            ("returned", "Returned"),
                        ],
                        max_length=30,
                        verbose_name="step",
                    ),
                ),
                ("on", models.DateField(verbose_name="date")),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.organization",
                        verbose_name="organization",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="notices.returnperson",
                        verbose_name="person",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "return step",
                "verbose_name_plural": "return steps",
                "ordering": ["person_id", "on", "id"],
            },
        ),
        migrations.AddIndex(
            model_name="returnrequest",
            index=models.Index(fields=["-created_at", "-id"], name="return_newest_first"),
        ),
        migrations.AddIndex(
            model_name="returnrequest",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", False), ("personal_data_erased_at__isnull", True)),
                fields=["closed_at"],
                name="return_to_erase",
            ),
        ),
        migrations.AddIndex(
            model_name="returnrequest",
            index=models.Index(
                condition=models.Q(("embassy_granted_at__isnull", False)),
                fields=["embassy"],
                name="return_embassy",
            ),
        ),
        migrations.AddIndex(
            model_name="returnrequest",
            index=models.Index(
                condition=models.Q(("due_on__isnull", False)), fields=["due_on"], name="return_due"
            ),
        ),
        migrations.AddConstraint(
            model_name="returnperson",
            constraint=models.UniqueConstraint(fields=("request", "number"), name="return_person_number"),
        ),
        migrations.AlterUniqueTogether(
            name="returnrequestgroupobjectpermission",
            unique_together={("group", "permission", "content_object")},
        ),
        migrations.AddConstraint(
            model_name="returnstep",
            constraint=models.UniqueConstraint(fields=("person", "kind"), name="return_step_once"),
        ),
    ]
