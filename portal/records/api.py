"""The kit in the REST API (``/api/v1/``): what every shared-record viewset adds, and
the requests for written consent.

A record kind's viewset adds :class:`SharedRecordActionsMixin`; its serializer adds
:class:`SharedRecordFieldsMixin`. Every action finds the record through the viewset's
restricted queryset (``get_object()``: a hidden id and a missing id are the same 404),
then asks the kit's service, which asks the same policy as the page's panel; a refusal
is answered as the rest of the API answers it (``portal.api.exceptions``: 409 for the
record's state, 400 for the input, 403 for the role or side).

What a third party reads of a record's files and timeline is decided row by row by
``portal.disclosure`` (the sides whose written consent names it), as on the page.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from portal.api.base import PortalModelSerializer, PortalSerializer, RestrictedReadOnlyViewSet
from portal.api.schema import PortalAutoSchema
from portal.choices import WRITER_ROLES
from portal.disclosure import (
    hidden_fields,
    visible_attachments,
    visible_comments,
    visible_events,
    withholdable_fields,
)
from portal.models import DisclosureConsent, Organization, Side, User

from . import policies, services
from .models import Attachment, Comment, ConsentRequest, RecordEvent

# --- The record's own fields -------------------------------------------------------------


def _seconds(delta) -> int | None:
    return int(delta.total_seconds()) if delta is not None else None


class SharedRecordFieldsMixin(serializers.Serializer):
    """The kit's fields on a record kind's serializer: add it first among the bases and
    name the fields in ``Meta.fields``. The times are read-only; a time computed from
    a withheld field (``portal.disclosure``) is withheld with it."""

    #: computed field -> the model field it reveals
    withheld_with = {
        "time_to_share_seconds": "shared_at",
        "time_to_acknowledge_seconds": "acknowledged_at",
    }

    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    time_to_share_seconds = serializers.SerializerMethodField()
    time_to_acknowledge_seconds = serializers.SerializerMethodField()

    #: The kit's fields, for a record kind's ``Meta.fields``.
    KIT_FIELDS = [
        "reference",
        "acknowledged_at",
        "assigned_to",
        "due_on",
        "time_to_share_seconds",
        "time_to_acknowledge_seconds",
    ]

    def get_time_to_share_seconds(self, record) -> int | None:
        return _seconds(record.time_to_share)

    def get_time_to_acknowledge_seconds(self, record) -> int | None:
        return _seconds(record.time_to_acknowledge)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None:
            hidden = hidden_fields(request.user, instance)
            for name, source in self.withheld_with.items():
                if source in hidden:
                    data.pop(name, None)
        return data


class SharedRecordAutoSchema(PortalAutoSchema):
    """The schema of a record kind's viewset: a time computed from a field that may be
    withheld is not promised as always present either (``portal.api.schema`` leaves the
    withheld fields themselves out of ``required``)."""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        derived = getattr(serializer, "withheld_with", None)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if derived and model is not None and "required" in schema:
            withheld = withholdable_fields(model)
            optional = {name for name, source in derived.items() if source in withheld}
            schema["required"] = [name for name in schema["required"] if name not in optional]
            if not schema["required"]:
                del schema["required"]
        return schema


# --- What the actions read and take ------------------------------------------------------


def eligible_assignees(record):
    """Who a record may be assigned to: the active officers of the side that received it
    (``policies.check_assignee``), the same as the page's drop-down."""
    return User.objects.filter(
        is_active=True,
        organization__side_id=policies.receiving_side_id(record),
        role__in=WRITER_ROLES,
    )


#: An unknown id and an id of someone who may not be assigned get the same answer: the
#: API does not tell which user ids exist.
_NOT_AN_ASSIGNEE = _("Assign the record to an officer of the side that received it.")


class AssignSerializer(PortalSerializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        error_messages={"does_not_exist": _NOT_AN_ASSIGNEE, "incorrect_type": _NOT_AN_ASSIGNEE},
        help_text=_("The id of an officer of the side that received the record."),
    )

    def get_fields(self):
        fields = super().get_fields()
        record = self.context.get("record")
        if record is not None:
            fields["assignee"].queryset = eligible_assignees(record)
        return fields


class AttachmentSerializer(PortalModelSerializer):
    side = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "name", "media_type", "size", "sha256", "description", "side", "uploaded_at", "url"]


class AttachmentUploadSerializer(PortalSerializer):
    file = serializers.FileField(
        help_text=_("PDF, image, office document or plain text, checked by its content.")
    )
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RecordEventSerializer(PortalModelSerializer):
    label = serializers.CharField(read_only=True)
    actor = serializers.SerializerMethodField()
    side = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = RecordEvent
        fields = ["id", "at", "action", "label", "actor", "side"]

    def get_actor(self, event) -> str | None:
        actor = event.actor
        return (actor.get_full_name() or actor.get_username()) if actor is not None else None


class CommentSerializer(PortalModelSerializer):
    side = serializers.SlugRelatedField(slug_field="code", read_only=True)
    author = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "at", "side", "author", "text"]

    def get_author(self, comment) -> str:
        return comment.author.get_full_name() or comment.author.get_username()


class CommentInputSerializer(PortalSerializer):
    text = serializers.CharField(help_text=_("The comment or the information to add."))
    file = serializers.FileField(
        required=False, help_text=_("PDF, image, office document or plain text, checked by its content.")
    )


class ConsentRequestSerializer(PortalModelSerializer):
    """A request for written consent to disclose a record to a third party (clause 3)."""

    record_type = serializers.CharField(source="content_type.model", read_only=True)
    record_id = serializers.IntegerField(source="object_id", read_only=True)
    third_party = serializers.SlugRelatedField(slug_field="code", read_only=True)
    side = serializers.SlugRelatedField(slug_field="code", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    consent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = ConsentRequest
        fields = [
            "id",
            "record_type",
            "record_id",
            "third_party",
            "side",
            "purpose",
            "requested_until",
            "requested_by",
            "requested_at",
            "status",
            "decided_at",
            "decision_note",
            "consent",
        ]


class ConsentRequestInputSerializer(PortalSerializer):
    third_party = serializers.SlugRelatedField(
        slug_field="code", queryset=Organization.objects.third_parties()
    )
    side = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Side.objects.all(),
        help_text=_("The side whose information would be disclosed."),
    )
    purpose = serializers.CharField()
    requested_until = serializers.DateField()


class ConsentDecisionSerializer(PortalSerializer):
    decision = serializers.ChoiceField(
        choices=[("grant", _("Grant the written consent")), ("refuse", _("Refuse"))]
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Required for a refusal.")
    )


# --- Written consent recorded from its letter -----------------------------------------


class GrantConsentSerializer(PortalSerializer):
    """The body of ``…/{id}/consent/``: the written consent of the caller's side, its
    letter received off the portal."""

    third_party = serializers.SlugRelatedField(
        slug_field="code", queryset=Organization.objects.third_parties()
    )
    document_reference = serializers.CharField(max_length=200)
    expires_at = serializers.DateTimeField()

    def validate_expires_at(self, value):
        if value <= timezone.now():
            raise serializers.ValidationError(_("The consent must expire in the future."))
        return value


class DisclosureConsentSerializer(PortalModelSerializer):
    third_party = serializers.SlugRelatedField(slug_field="code", read_only=True)
    record_type = serializers.CharField(source="content_type.model", read_only=True)
    record_id = serializers.IntegerField(source="object_id", read_only=True)

    class Meta:
        model = DisclosureConsent
        fields = [
            "id",
            "record_type",
            "record_id",
            "third_party",
            "document_reference",
            "granted_at",
            "expires_at",
            "withdrawn_at",
        ]


# --- The actions on a record ----------------------------------------------------------

#: The object permission each kit action needs: reading the record is enough to reach
#: it; who may act is the service's question (403), never a 404 that the reader of the
#: record would not understand.
KIT_ACTION_PERMISSIONS = {
    "acknowledge": "view",
    "assign": "view",
    "attachments": "view",
    "timeline": "view",
    "consent_requests": "view",
    "consent": "view",
    "comments": "view",
}


def _consent_requests_of(record, user):
    return (
        ConsentRequest.objects.restrict(user)
        .filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
        .select_related("content_type", "third_party", "side", "requested_by")
    )


class SharedRecordActionsMixin:
    """The kit's actions on a record kind's viewset (module docstring). Put it first
    among the viewset's bases; its serializer is the record's in the answers of
    ``acknowledge`` and ``assign``."""

    schema = SharedRecordAutoSchema()
    #: ``?ordering=`` by what every reader of the record may see (``portal.disclosure``
    #: METADATA): ordering a third party's list by a withheld field (``acknowledged_at``,
    #: ``assigned_to``, the other side's findings) would tell it the values it may not read.
    ordering_fields = ["id", "reference", "status", "created_at", "updated_at", "shared_at"]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.action_permissions = {**KIT_ACTION_PERMISSIONS, **getattr(cls, "action_permissions", {})}

    def perform_assign(self, record, assignee):
        """The assignment; a kind whose own service wraps the kit's overrides this."""
        return services.assign(record, self.request.user, assignee=assignee)

    @extend_schema(request=None, summary="Acknowledge receipt of the record")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        record = services.acknowledge(self.get_object(), request.user)
        return Response(self.get_serializer(record).data)

    @extend_schema(request=AssignSerializer, summary="Assign the record to an officer")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        record = self.get_object()
        # Who may assign is asked before the body is read: a caller who may not assign
        # learns nothing about which officers exist.
        policies.check_assign(request.user, record)
        body = AssignSerializer(
            data=request.data, context={**self.get_serializer_context(), "record": record}
        )
        body.is_valid(raise_exception=True)
        record = self.perform_assign(record, body.validated_data["assignee"])
        return Response(self.get_serializer(record).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=AttachmentSerializer(many=True),
        summary="The record's files the caller may open",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
        summary="Add a file to the record",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filter_backends=[],
        parser_classes=[MultiPartParser, FormParser],
    )
    def attachments(self, request, pk=None):
        record = self.get_object()
        if request.method == "GET":
            rows = visible_attachments(record, request.user).select_related("side")
            return Response(AttachmentSerializer(rows, many=True, context=self.get_serializer_context()).data)
        body = AttachmentUploadSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        attachment = services.attach(
            record, request.user, body.validated_data["file"], description=body.validated_data["description"]
        )
        return Response(
            AttachmentSerializer(attachment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses=RecordEventSerializer(many=True),
        summary="The record's timeline, as the caller may read it",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request, pk=None):
        events = visible_events(self.get_object(), request.user).select_related("content_type")
        return Response(RecordEventSerializer(events, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=ConsentRequestSerializer(many=True),
        summary="The requests for written consent to disclose the record",
    )
    @extend_schema(
        methods=["POST"],
        request=ConsentRequestInputSerializer,
        responses={201: ConsentRequestSerializer},
        summary="Ask a side for written consent to disclose the record to a third party",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="consent-requests",
        pagination_class=None,
        filter_backends=[],
    )
    def consent_requests(self, request, pk=None):
        record = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            rows = _consent_requests_of(record, request.user)
            return Response(ConsentRequestSerializer(rows, many=True, context=context).data)
        body = self.validated_body(ConsentRequestInputSerializer)
        consent_request = services.request_consent(record, request.user, **body)
        return Response(
            ConsentRequestSerializer(consent_request, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=GrantConsentSerializer,
        responses={201: DisclosureConsentSerializer},
        summary="Record the written consent of your side (its contact point) to disclose the record",
    )
    @action(detail=True, methods=["post"])
    def consent(self, request, pk=None):
        record = self.get_object()
        body = self.validated_body(GrantConsentSerializer)
        consent = services.grant_consent(record, request.user, **body)
        return Response(DisclosureConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class CommentsActionMixin:
    """``comments``: a kind that takes comments (``SharedRecord.accepts_comments``) adds
    this to its viewset, beside ``SharedRecordActionsMixin``."""

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=CommentSerializer(many=True),
        summary="The comments on the record the caller may read",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": CommentInputSerializer, "application/json": CommentInputSerializer},
        responses={201: CommentSerializer},
        summary="Add a comment or information to the record, with a file if any",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filter_backends=[],
        parser_classes=[JSONParser, MultiPartParser, FormParser],
    )
    def comments(self, request, pk=None):
        record = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            rows = visible_comments(record, request.user)
            return Response(CommentSerializer(rows, many=True, context=context).data)
        body = CommentInputSerializer(data=request.data, context=context)
        body.is_valid(raise_exception=True)
        file = body.validated_data.get("file")
        row = services.comment(
            record, request.user, body.validated_data["text"], files=[file] if file else []
        )
        return Response(CommentSerializer(row, context=context).data, status=status.HTTP_201_CREATED)


# --- The requests for written consent --------------------------------------------------


class ConsentRequestViewSet(RestrictedReadOnlyViewSet):
    """Requests for written consent to disclose a record to a third party (clause 3),
    between the two sides: the asked side's contact point decides, the organization that
    asked may cancel. Asked for on the record: ``…/{id}/consent-requests/``."""

    model = ConsentRequest
    serializer_class = ConsentRequestSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("content_type", "third_party", "side", "requested_by")
            .order_by("-requested_at", "-id")
        )

    @extend_schema(request=ConsentDecisionSerializer, responses=ConsentRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        consent_request = self.get_object()
        # The role and the state first: a caller who may not decide is told so, whatever
        # the body says.
        policies.check_decide_consent(request.user, consent_request)
        body = self.validated_body(ConsentDecisionSerializer)
        consent_request = services.decide_consent(
            consent_request, request.user, grant_it=body["decision"] == "grant", note=body["note"]
        )
        return Response(self.get_serializer(consent_request).data)

    @extend_schema(request=None, responses=ConsentRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        consent_request = services.cancel_consent_request(self.get_object(), request.user)
        return Response(self.get_serializer(consent_request).data)
