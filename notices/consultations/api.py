"""Consultations in the API (``/api/v1/consultations/``): list and read what the caller
may read, call one (``POST``: shared at once), ``change``, and the consultation's rows —
``participants``, ``agenda`` (with the records on it the caller may read), ``links``,
``minutes``, ``agree``, ``action-items``, ``close-action-item`` and ``packs`` (a briefing
pack asked for; its status; the PDF through the page's download, which audits it). The
kit's actions come with ``SharedRecordActionsMixin``. The same services, ``restrict()``
and ``reading`` as the pages: a consultation the caller may not read is a 404 like a
missing one; a refusal says why (403 role or side, 409 state, 400 input)."""

from __future__ import annotations

from django.conf import settings
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from notices.models import ActionItem, AgendaItem, BriefingPack, Consultation, Participant
from portal.api.base import PortalModelSerializer, PortalSerializer, RestrictedModelViewSet
from portal.exceptions import InvalidInput
from portal.records.api import SharedRecordActionsMixin, SharedRecordFieldsMixin

from . import reading, services
from .choices import ActionItemStatus, ConsultationKind, ConsultationTopic
from .views import packs_of


class ConsultationSerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    """A consultation: regular or ad hoc, its date and time, its place or https video
    link; the minutes (read-only here, written by ``minutes``) and when they changed."""

    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = serializers.ChoiceField(choices=ConsultationKind.choices, default=ConsultationKind.REGULAR)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "origin",
            "status",
            *services.CONSULTATION_FIELDS,
            "minutes",
            "minutes_changed_at",
            "created_at",
            "shared_at",
            *SharedRecordFieldsMixin.KIT_FIELDS,
        ]
        read_only_fields = ["status", "minutes", "minutes_changed_at", "created_at", "shared_at", "due_on"]


class ChangeSerializer(ConsultationSerializer):
    class Meta(ConsultationSerializer.Meta):
        fields = list(services.CONSULTATION_FIELDS)
        read_only_fields = []


class ParticipantSerializer(PortalModelSerializer):
    sits_for = serializers.SlugRelatedField(slug_field="code", read_only=True)
    side = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The side that entered it."
    )

    class Meta:
        model = Participant
        fields = ["id", "name", "title", "sits_for", "side"]


class ParticipantInputSerializer(PortalSerializer):
    name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=300)
    sits_for = serializers.CharField(max_length=50, help_text="The code of the participant's side.")


class LinkedRecordSerializer(PortalSerializer):
    reference = serializers.CharField()
    kind = serializers.CharField()


class AgendaItemSerializer(PortalSerializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    topic = serializers.ChoiceField(choices=ConsultationTopic.choices)
    title = serializers.CharField()
    notes = serializers.CharField()
    records = LinkedRecordSerializer(many=True, help_text="Only the records the caller may read.")


def _agenda_row(entry) -> dict:
    item = entry.item
    return {
        "id": item.pk,
        "position": item.position,
        "topic": item.topic,
        "title": item.title,
        "notes": item.notes,
        "records": [{"reference": linked.record.reference, "kind": linked.kind} for linked in entry.records],
    }


class AgendaInputSerializer(PortalSerializer):
    topic = serializers.ChoiceField(choices=ConsultationTopic.choices)
    title = serializers.CharField(max_length=300)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    references = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=list,
        help_text="Records concerned.",
    )


class LinkInputSerializer(PortalSerializer):
    item = serializers.IntegerField(help_text="The agenda item's id.")
    reference = serializers.CharField(max_length=40)


class MinutesInputSerializer(PortalSerializer):
    text = serializers.CharField(max_length=50000)


class ActionItemSerializer(PortalModelSerializer):
    owner_side = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.ChoiceField(choices=ActionItemStatus.choices, read_only=True)

    class Meta:
        model = ActionItem
        fields = ["id", "description", "owner_side", "due_on", "status", "closed_at"]


class ActionItemInputSerializer(PortalSerializer):
    description = serializers.CharField(max_length=5000)
    owner_side = serializers.CharField(max_length=50, help_text="The code of the owning side.")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class CloseActionItemSerializer(PortalSerializer):
    item = serializers.IntegerField(help_text="The action item's id.")
    status = serializers.ChoiceField(choices=[ActionItemStatus.DONE, ActionItemStatus.CANCELLED])


class BriefingPackSerializer(PortalModelSerializer):
    class Meta:
        model = BriefingPack
        fields = ["id", "language", "status", "progress", "sha256", "size", "requested_at", "finished_at"]


class PackInputSerializer(PortalSerializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)


class ConsultationFilterSet(filters.FilterSet):
    reference = filters.CharFilter(field_name="reference", lookup_expr="iexact")
    kind = filters.ChoiceFilter(field_name="kind", choices=ConsultationKind.choices)
    starts_from = filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    starts_to = filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Consultation
        fields = ["reference", "kind", "starts_from", "starts_to"]


_SERVICE_DECIDES = "view"


class ConsultationViewSet(SharedRecordActionsMixin, RestrictedModelViewSet):
    """Consultations (4(2)): either side's officers call them and work on them together;
    a third party reads one only through written consent, and of it the consenting
    sides' parts (the minutes only with both sides' consent)."""

    model = Consultation
    serializer_class = ConsultationSerializer
    filterset_class = ConsultationFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        name: _SERVICE_DECIDES
        for name in (
            "create",
            "change",
            "participants",
            "agenda",
            "links",
            "minutes",
            "agree",
            "action_items",
            "close_action_item",
            "packs",
        )
    }

    def get_queryset(self):
        return (
            super().get_queryset().select_related("origin__side", "assigned_to").order_by("-starts_at", "-id")
        )

    def perform_create(self, serializer):
        serializer.instance = services.schedule_consultation(self.request.user, **serializer.validated_data)

    def _answer(self, consultation, code=status.HTTP_200_OK):
        consultation = self.get_queryset().get(pk=consultation.pk)
        return Response(
            ConsultationSerializer(consultation, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(
        request=ChangeSerializer, responses=ConsultationSerializer, summary="Change the date, place or link"
    )
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        consultation = self.get_object()
        body = ChangeSerializer(
            instance=consultation, data=request.data, partial=True, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        return self._answer(services.change_consultation(consultation, request.user, **body.validated_data))

    @extend_schema(
        methods=["GET"], request=None, responses=ParticipantSerializer(many=True), summary="The participants"
    )
    @extend_schema(
        methods=["POST"],
        request=ParticipantInputSerializer,
        responses={201: ParticipantSerializer},
        summary="Add a participant",
    )
    @action(detail=True, methods=["get", "post"])
    def participants(self, request, pk=None):
        consultation = self.get_object()
        if request.method == "POST":
            row = services.add_participant(
                consultation, request.user, **self.validated_body(ParticipantInputSerializer)
            )
            return Response(ParticipantSerializer(row).data, status=status.HTTP_201_CREATED)
        rows = reading.participants(consultation, request.user).select_related("side")
        return Response(ParticipantSerializer(rows, many=True).data)

    @extend_schema(
        methods=["GET"], request=None, responses=AgendaItemSerializer(many=True), summary="The agenda"
    )
    @extend_schema(
        methods=["POST"],
        request=AgendaInputSerializer,
        responses={201: AgendaItemSerializer},
        summary="Add an agenda item",
    )
    @action(detail=True, methods=["get", "post"])
    def agenda(self, request, pk=None):
        consultation = self.get_object()
        if request.method == "POST":
            item = services.add_agenda_item(
                consultation, request.user, **self.validated_body(AgendaInputSerializer)
            )
            entry = next(
                entry for entry in reading.agenda(consultation, request.user) if entry.item.pk == item.pk
            )
            return Response(_agenda_row(entry), status=status.HTTP_201_CREATED)
        return Response([_agenda_row(entry) for entry in reading.agenda(consultation, request.user)])

    @extend_schema(
        request=LinkInputSerializer,
        responses={201: AgendaItemSerializer},
        summary="Put a record on an agenda item",
    )
    @action(detail=True, methods=["post"])
    def links(self, request, pk=None):
        consultation = self.get_object()
        body = self.validated_body(LinkInputSerializer)
        item = AgendaItem.objects.filter(consultation=consultation, pk=body["item"]).first()
        if item is None:
            raise InvalidInput("No such agenda item on this consultation.")
        services.link_record(item, request.user, body["reference"])
        entry = next(
            entry for entry in reading.agenda(consultation, request.user) if entry.item.pk == item.pk
        )
        return Response(_agenda_row(entry), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MinutesInputSerializer,
        responses=ConsultationSerializer,
        summary="Write or change the minutes",
    )
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        consultation = self.get_object()
        body = self.validated_body(MinutesInputSerializer)
        return self._answer(services.write_minutes(consultation, request.user, text=body["text"]))

    @extend_schema(
        request=None, responses=ConsultationSerializer, summary="Agree the minutes for the caller's side"
    )
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        consultation = self.get_object()
        services.agree_minutes(consultation, request.user)
        return self._answer(consultation)

    @extend_schema(
        methods=["GET"], request=None, responses=ActionItemSerializer(many=True), summary="The action items"
    )
    @extend_schema(
        methods=["POST"],
        request=ActionItemInputSerializer,
        responses={201: ActionItemSerializer},
        summary="Add an action item",
    )
    @action(detail=True, methods=["get", "post"], url_path="action-items")
    def action_items(self, request, pk=None):
        consultation = self.get_object()
        if request.method == "POST":
            item = services.add_action_item(
                consultation, request.user, **self.validated_body(ActionItemInputSerializer)
            )
            return Response(ActionItemSerializer(item).data, status=status.HTTP_201_CREATED)
        return Response(
            ActionItemSerializer(reading.action_items(consultation, request.user), many=True).data
        )

    @extend_schema(
        request=CloseActionItemSerializer, responses=ActionItemSerializer, summary="Close an action item"
    )
    @action(detail=True, methods=["post"], url_path="close-action-item")
    def close_action_item(self, request, pk=None):
        consultation = self.get_object()
        body = self.validated_body(CloseActionItemSerializer)
        item = ActionItem.objects.filter(consultation=consultation, pk=body["item"]).first()
        if item is None:
            raise InvalidInput("No such action item on this consultation.")
        item = services.close_action_item(item, request.user, status=body["status"])
        return Response(ActionItemSerializer(item).data)

    @extend_schema(
        methods=["GET"], request=None, responses=BriefingPackSerializer(many=True), summary="Briefing packs"
    )
    @extend_schema(
        methods=["POST"],
        request=PackInputSerializer,
        responses={202: BriefingPackSerializer},
        summary="Ask for a briefing pack",
    )
    @action(detail=True, methods=["get", "post"])
    def packs(self, request, pk=None):
        consultation = self.get_object()
        if request.method == "POST":
            body = self.validated_body(PackInputSerializer)
            pack = services.request_pack(consultation, request.user, language=body["language"])
            return Response(BriefingPackSerializer(pack).data, status=status.HTTP_202_ACCEPTED)
        return Response(BriefingPackSerializer(packs_of(consultation, request.user), many=True).data)


ROUTES = [("consultations", ConsultationViewSet, "consultation")]
