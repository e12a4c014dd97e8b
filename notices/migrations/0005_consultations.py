# The consultations part of issue 13 (notices/consultations/): its models' operations only
# (the parts' migrations form one chain so that no two leaves meet).

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import notices.models.consultations
import portal.records.models


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0004_inquiries"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0010_correspondence_threads"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Consultation",
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
                    "kind",
                    models.CharField(
                        choices=[("regular", "Regular consultation"), ("ad_hoc", "Ad-hoc consultation")],
                        default="regular",
                        max_length=10,
                        verbose_name="kind of consultation",
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="date and time")),
                ("place", models.CharField(blank=True, max_length=300, verbose_name="place")),
                (
                    "video_link",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[
                            django.core.validators.URLValidator(schemes=["https"]),
                            notices.models.consultations.https_only,
                        ],
                        verbose_name="video link",
                    ),
                ),
                ("minutes", models.TextField(blank=True, editable=False, verbose_name="minutes")),
                (
                    "minutes_changed_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="minutes last changed at"
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
                "verbose_name": "consultation",
                "verbose_name_plural": "consultations",
                "ordering": ["-starts_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="BriefingPack",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("ja", "Japanese"), ("en", "English"), ("ru", "Russian"), ("tg", "Tajik")],
                        max_length=8,
                        verbose_name="language",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("rendering", "Rendering"),
                            ("done", "Ready"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "progress",
                    models.PositiveSmallIntegerField(
                        default=0,
                        validators=[django.core.validators.MaxValueValidator(100)],
                        verbose_name="progress (%)",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=300,
                        storage=portal.records.models.private_storage,
                        upload_to=notices.models.consultations.pack_path,
                        verbose_name="file",
                    ),
                ),
                ("sha256", models.CharField(blank=True, max_length=64, verbose_name="SHA-256")),
                ("size", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="size (bytes)")),
                ("requested_at", models.DateTimeField(auto_now_add=True, verbose_name="requested at")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="packs",
                        to="notices.consultation",
                    ),
                ),
            ],
            options={
                "verbose_name": "briefing pack",
                "verbose_name_plural": "briefing packs",
                "ordering": ["-requested_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="AgendaItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[django.core.validators.MaxValueValidator(999)],
                        verbose_name="position",
                    ),
                ),
                (
                    "topic",
                    models.CharField(
                        choices=[
                            ("a", "(a) Implementation and changes of either side's policies on the scheme"),
                            ("b", "(b) Propriety of SSW brokers, including corrective measures"),
                            (
                                "c",
                                "(c) Screening; corrective measures against improper receiving organizations, support organizations and sending agencies",
                            ),
                            ("d", "(d) Proper conduct of the tests"),
                            ("e", "(e) Residence management of SSW workers in Japan"),
                            ("f", "(f) Other matters of the proper operation of the scheme"),
                        ],
                        max_length=1,
                        verbose_name="topic",
                    ),
                ),
                ("title", models.CharField(max_length=300, verbose_name="item")),
                ("notes", models.TextField(blank=True, verbose_name="notes")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "side",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.side",
                        verbose_name="side",
                    ),
                ),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agenda",
                        to="notices.consultation",
                    ),
                ),
            ],
            options={
                "verbose_name": "agenda item",
                "verbose_name_plural": "agenda items",
                "ordering": ["position", "id"],
            },
        ),
        migrations.CreateModel(
            name="ActionItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("description", models.TextField(verbose_name="corrective action")),
                ("due_on", models.DateField(verbose_name="due on")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
                        default="open",
                        editable=False,
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "closed_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="closed at"),
                ),
                ("last_reminded_on", models.DateField(blank=True, editable=False, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "owner_side",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.side",
                        verbose_name="owning side",
                    ),
                ),
                (
                    "side",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.side",
                        verbose_name="side",
                    ),
                ),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="action_items",
                        to="notices.consultation",
                    ),
                ),
            ],
            options={
                "verbose_name": "action item",
                "verbose_name_plural": "action items",
                "ordering": ["due_on", "id"],
            },
        ),
        migrations.CreateModel(
            name="ConsultationGroupObjectPermission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "content_object",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="notices.consultation"),
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
            name="MinutesAgreement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("agreed_at", models.DateTimeField(auto_now_add=True, verbose_name="agreed at")),
                ("minutes_sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                (
                    "agreed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="agreed by",
                    ),
                ),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agreements",
                        to="notices.consultation",
                    ),
                ),
                (
                    "side",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.side",
                        verbose_name="side",
                    ),
                ),
            ],
            options={
                "verbose_name": "agreement to the minutes",
                "verbose_name_plural": "agreements to the minutes",
                "ordering": ["agreed_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Participant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("title", models.CharField(max_length=300, verbose_name="organization and title")),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participants",
                        to="notices.consultation",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "side",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.side",
                        verbose_name="side",
                    ),
                ),
                (
                    "sits_for",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.side",
                        verbose_name="side of the participant",
                    ),
                ),
            ],
            options={
                "verbose_name": "participant",
                "verbose_name_plural": "participants",
                "ordering": ["sits_for_id", "id"],
            },
        ),
        migrations.CreateModel(
            name="AgendaLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="notices.agendaitem",
                    ),
                ),
                (
                    "side",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="portal.side"
                    ),
                ),
            ],
            options={
                "verbose_name": "record on the agenda",
                "verbose_name_plural": "records on the agenda",
                "ordering": ["id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("item", "content_type", "object_id"), name="agenda_link_once"
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="consultation",
            index=models.Index(fields=["-starts_at", "-id"], name="consultation_newest_first"),
        ),
        migrations.AddIndex(
            model_name="actionitem",
            index=models.Index(
                condition=models.Q(("status", "open")), fields=["due_on"], name="action_item_open_due"
            ),
        ),
        migrations.AlterUniqueTogether(
            name="consultationgroupobjectpermission",
            unique_together={("group", "permission", "content_object")},
        ),
        migrations.AddConstraint(
            model_name="minutesagreement",
            constraint=models.UniqueConstraint(fields=("consultation", "side"), name="minutes_agreed_once"),
        ),
    ]
