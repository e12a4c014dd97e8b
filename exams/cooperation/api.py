"""Cooperation requests in the API (``/api/v1/cooperation-requests/``): list and read
what the caller may read, request (``POST``: Japan's side, requested and shared at
once), ``answer``, ``complete`` and ``cancel``; the kit's actions (acknowledge, assign,
attachments, timeline, consent) and the thread's ``comments`` come with the mixins. The
same services and ``restrict()`` as the pages: a request the caller may not read is a
404 like a missing one; a refusal of the service says why (403 for the role or side,
409 for the request's stage, 400 for the input)."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.base import PortalModelSerializer, PortalSerializer, RestrictedModelViewSet
from portal.models import Organization
from portal.records.api import CommentsActionMixin, SharedRecordActionsMixin, SharedRecordFieldsMixin

from ..choices import Capability, CooperationStage
from ..models import CooperationRequest
from . import services


class CooperationRequestSerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    """A cooperation request: what Japan's side asks for the requesting ministry (its
    part), and the partner side's answer and completion (its part: a third party reads
    it only through that side's written consent). ``due_on`` left out: 30 days; never
    in the past."""

    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    requesting_ministry = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organization.objects.all(),
        help_text="The code of an organization of Japan's side or of a sector ministry (jp-maff).",
    )
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = CooperationRequest
        fields = [
            "id",
            "origin",
            "status",
            "requesting_ministry",
            "kind",
            "exam",
            "subject",
            "request",
            "period_from",
            "period_to",
            "place",
            "stage",
            "capability",
            "answer",
            "answered_at",
            "answered_by",
            "completed_at",
            "completion_note",
            "cancellation_reason",
            "created_at",
            "shared_at",
            *SharedRecordFieldsMixin.KIT_FIELDS,
        ]
        read_only_fields = [
            "status",
            "stage",
            "capability",
            "answer",
            "answered_at",
            "completed_at",
            "completion_note",
            "cancellation_reason",
            "created_at",
            "shared_at",
        ]
        extra_kwargs = {
            "due_on": {"required": False, "allow_null": True, "help_text": "Left out: 30 days from today."},
            "place": {"required": False},
        }


class CooperationAnswerSerializer(PortalSerializer):
    capability = serializers.ChoiceField(choices=Capability.choices, help_text="What the side can do.")
    answer = serializers.CharField(help_text="The answer of the partner side.")


class CooperationCompleteSerializer(PortalSerializer):
    note = serializers.CharField(help_text="What was done.")


class CooperationCancelSerializer(PortalSerializer):
    reason = serializers.CharField(help_text="Why the requesting side cancels the request.")


class CooperationRequestFilterSet(filters.FilterSet):
    reference = filters.CharFilter(field_name="reference", lookup_expr="iexact")
    stage = filters.ChoiceFilter(field_name="stage", choices=CooperationStage.choices)

    class Meta:
        model = CooperationRequest
        fields = ["reference", "stage", "kind", "exam"]


#: Requesting, answering, completing and cancelling are the services' to allow
#: (``policies``): reading the request is enough to reach them, so that a reader who may
#: not act is told why.
_SERVICE_DECIDES = "view"


class CooperationRequestViewSet(CommentsActionMixin, SharedRecordActionsMixin, RestrictedModelViewSet):
    """Cooperation requests (5, first paragraph): Japan's side requests the partner
    side's cooperation in delivering a test or in Japanese-language education; the
    partner side answers what it can do and records what was done."""

    model = CooperationRequest
    serializer_class = CooperationRequestSerializer
    filterset_class = CooperationRequestFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        "create": _SERVICE_DECIDES,
        "answer": _SERVICE_DECIDES,
        "complete": _SERVICE_DECIDES,
        "cancel": _SERVICE_DECIDES,
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("origin__side", "requesting_ministry", "assigned_to", "answered_by")
            .order_by("-shared_at", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.request(self.request.user, **data)

    def _answer(self, record):
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)

    @extend_schema(
        request=CooperationAnswerSerializer,
        responses=CooperationRequestSerializer,
        summary="Answer what the partner side can do; the requesting side is told",
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        record = self.get_object()
        body = self.validated_body(CooperationAnswerSerializer)
        return self._answer(services.answer(record, request.user, **body))

    @extend_schema(
        request=CooperationCompleteSerializer,
        responses=CooperationRequestSerializer,
        summary="Record what was done (the partner side); the requesting side is told",
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        record = self.get_object()
        body = self.validated_body(CooperationCompleteSerializer)
        return self._answer(services.complete(record, request.user, **body))

    @extend_schema(
        request=CooperationCancelSerializer,
        responses=CooperationRequestSerializer,
        summary="Cancel the request (the requesting side), with the reason",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        record = self.get_object()
        body = self.validated_body(CooperationCancelSerializer)
        return self._answer(services.cancel(record, request.user, **body))


ROUTES = [("cooperation-requests", CooperationRequestViewSet, "cooperation-request")]
