"""Temporary suspensions of acceptance in the API (``/api/v1/acceptance-suspensions/``):
list and read what the caller may read, record (``POST``: recorded and shared at once),
``correction`` and ``lift``; the kit's actions (acknowledge, assign, attachments,
timeline, consent) come with ``SharedRecordActionsMixin``. The same services and
``restrict()`` as the pages: a suspension the caller may not read is a 404 like a
missing one; a refusal says why (403 role or side, 409 state, 400 input)."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies.models import Sector
from notices.models import AcceptanceSuspension
from portal.api.base import PortalModelSerializer, PortalSerializer, RestrictedModelViewSet
from portal.records.api import SharedRecordActionsMixin, SharedRecordFieldsMixin

from . import services
from .choices import SuspensionState


class AcceptanceSuspensionSerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    """A temporary suspension of acceptance: the SSW sector by code, the date from, the
    reason and what happens to the workers already in Japan (published as entered),
    internal notes (never published); its state, and the date and reason of the lifting."""

    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sector = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), help_text="The SSW sector's code."
    )
    state = serializers.ChoiceField(choices=SuspensionState.choices, read_only=True)

    class Meta:
        model = AcceptanceSuspension
        fields = [
            "id",
            "origin",
            "status",
            "state",
            *services.SUSPENSION_FIELDS,
            "corrected_at",
            "lifted_on",
            "lifting_reason",
            "created_at",
            "shared_at",
            *SharedRecordFieldsMixin.KIT_FIELDS,
        ]
        read_only_fields = [
            "status",
            "corrected_at",
            "lifted_on",
            "lifting_reason",
            "created_at",
            "shared_at",
            "due_on",
        ]


class SuspensionCorrectionSerializer(AcceptanceSuspensionSerializer):
    """The fields corrected (any of the suspension's facts) and why."""

    reason_for_correction = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, write_only=True
    )

    class Meta(AcceptanceSuspensionSerializer.Meta):
        fields = [*services.SUSPENSION_FIELDS, "reason_for_correction"]
        read_only_fields = []


class SuspensionLiftSerializer(PortalSerializer):
    lifted_on = serializers.DateField(
        help_text="The day the acceptance resumes: not before the start, not after today in Japan."
    )
    reason = serializers.CharField(max_length=2000, help_text="Why the suspension is lifted (published).")


class SuspensionFilterSet(filters.FilterSet):
    reference = filters.CharFilter(field_name="reference", lookup_expr="iexact")
    sector = filters.CharFilter(field_name="sector__code", help_text="The SSW sector's code.")
    state = filters.ChoiceFilter(field_name="state", choices=SuspensionState.choices)

    class Meta:
        model = AcceptanceSuspension
        fields = ["reference", "sector", "state"]


#: Recording, correcting and lifting are the services' to allow (``policies``).
_SERVICE_DECIDES = "view"


class AcceptanceSuspensionViewSet(SharedRecordActionsMixin, RestrictedModelViewSet):
    """Temporary suspensions of acceptance (clause 8): Japan's officers record them
    (shared with Tajikistan at once, which acknowledges), correct and lift them."""

    model = AcceptanceSuspension
    serializer_class = AcceptanceSuspensionSerializer
    filterset_class = SuspensionFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        "create": _SERVICE_DECIDES,
        "correction": _SERVICE_DECIDES,
        "lift": _SERVICE_DECIDES,
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("origin__side", "sector", "assigned_to")
            .order_by("-suspended_from", "-id")
        )

    def perform_create(self, serializer):
        serializer.instance = services.record_suspension(self.request.user, **serializer.validated_data)

    def _answer(self, suspension, code=status.HTTP_200_OK):
        suspension = self.get_queryset().get(pk=suspension.pk)
        return Response(self.get_serializer(suspension).data, status=code)

    @extend_schema(
        request=SuspensionCorrectionSerializer,
        responses=AcceptanceSuspensionSerializer,
        summary="Correct the suspension's facts (the recording side); the other side is told",
    )
    @action(detail=True, methods=["post"])
    def correction(self, request, pk=None):
        suspension = self.get_object()
        body = SuspensionCorrectionSerializer(
            instance=suspension, data=request.data, partial=True, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        why = data.pop("reason_for_correction", "")
        return self._answer(services.correct_suspension(suspension, request.user, why=why, **data))

    @extend_schema(
        request=SuspensionLiftSerializer,
        responses=AcceptanceSuspensionSerializer,
        summary="Lift the suspension (the recording side), from a date and with the reason",
    )
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        suspension = self.get_object()
        body = self.validated_body(SuspensionLiftSerializer)
        return self._answer(
            services.lift_suspension(
                suspension, request.user, lifted_on=body["lifted_on"], reason=body["reason"]
            )
        )


ROUTES = [("acceptance-suspensions", AcceptanceSuspensionViewSet, "acceptance-suspension")]
