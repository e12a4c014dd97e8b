"""Improvement orders in the API (``/api/v1/improvement-orders/``): list and read what
the caller may read, record (``POST``: recorded and shared at once), ``correction`` and
``withdraw``; the kit's actions (acknowledge, assign, attachments, timeline, consent)
come with ``SharedRecordActionsMixin``. The same services and ``restrict()`` as the
pages: an order the caller may not read is a 404 like a missing one; a refusal of the
service says why (403 for the role or side, 409 for the order's state, 400 for the
input, naming the field)."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies.models import Sector
from notices.models import ImprovementOrder
from portal.api.base import PortalModelSerializer, PortalSerializer, RestrictedModelViewSet
from portal.records.api import SharedRecordActionsMixin, SharedRecordFieldsMixin
from portal.validators import check_corporate_number

from . import services
from .choices import OrderState


class CorporateNumberField(serializers.CharField):
    """Full-width digits (a Japanese input method's) are read as ASCII before the check."""

    def to_internal_value(self, data):
        return services.ascii_digits(super().to_internal_value(data))


class ImprovementOrderSerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    """An improvement order: the receiving organization (name, corporate number with its
    check digit, address, prefecture as its JIS code "01"–"47", read from the address
    when left empty), the SSW sector by code, the date issued (not after today), what was
    found and ordered, the public notice, and the number of Tajik workers concerned."""

    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sector = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), help_text="The SSW sector's code."
    )
    state = serializers.ChoiceField(choices=OrderState.choices, read_only=True)
    corporate_number = CorporateNumberField(
        max_length=13, validators=[check_corporate_number], help_text="13 digits, its check digit first."
    )

    class Meta:
        model = ImprovementOrder
        fields = [
            "id",
            "origin",
            "status",
            "state",
            *services.ORDER_FIELDS,
            "corrected_at",
            "withdrawn_at",
            "withdrawal_reason",
            "created_at",
            "shared_at",
            *SharedRecordFieldsMixin.KIT_FIELDS,
        ]
        read_only_fields = [
            "status",
            "corrected_at",
            "withdrawn_at",
            "withdrawal_reason",
            "created_at",
            "shared_at",
            "due_on",
        ]
        extra_kwargs = {"prefecture": {"help_text": "JIS X 0401 code, 01–47; empty: read from the address."}}


class CorrectionSerializer(ImprovementOrderSerializer):
    """The fields corrected (any of the order's facts) and why."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, write_only=True)

    class Meta(ImprovementOrderSerializer.Meta):
        fields = [*services.ORDER_FIELDS, "reason"]
        read_only_fields = []


class WithdrawSerializer(PortalSerializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why the order is withdrawn (recorded in error)."
    )


class OrderFilterSet(filters.FilterSet):
    reference = filters.CharFilter(field_name="reference", lookup_expr="iexact")
    organization = filters.CharFilter(field_name="organization_name", lookup_expr="icontains")
    corporate_number = filters.CharFilter(field_name="corporate_number")
    prefecture = filters.CharFilter(field_name="prefecture", help_text="JIS X 0401 code, 01–47.")
    sector = filters.CharFilter(field_name="sector__code", help_text="The SSW sector's code.")
    issued_from = filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    issued_to = filters.DateFilter(field_name="issued_on", lookup_expr="lte")
    state = filters.ChoiceFilter(field_name="state", choices=OrderState.choices)

    class Meta:
        model = ImprovementOrder
        fields = [
            "reference",
            "organization",
            "corporate_number",
            "prefecture",
            "sector",
            "issued_from",
            "issued_to",
            "state",
        ]


#: Recording, correcting and withdrawing are the services' to allow (``policies``):
#: reading the order is enough to reach them, so that a reader who may not act is told
#: why rather than told it does not exist.
_SERVICE_DECIDES = "view"


class ImprovementOrderViewSet(SharedRecordActionsMixin, RestrictedModelViewSet):
    """Improvement orders (6(3), 7(5)): Japan's officers record them (shared with
    Tajikistan at once, which acknowledges), correct them and withdraw one recorded in
    error. A third party reads an order only through Japan's written consent."""

    model = ImprovementOrder
    serializer_class = ImprovementOrderSerializer
    filterset_class = OrderFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        "create": _SERVICE_DECIDES,
        "correction": _SERVICE_DECIDES,
        "withdraw": _SERVICE_DECIDES,
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("origin__side", "sector", "assigned_to")
            .order_by("-issued_on", "-id")
        )

    def perform_create(self, serializer):
        serializer.instance = services.record_order(self.request.user, **serializer.validated_data)

    def _answer(self, order, code=status.HTTP_200_OK):
        order = self.get_queryset().get(pk=order.pk)
        return Response(self.get_serializer(order).data, status=code)

    @extend_schema(
        request=CorrectionSerializer,
        responses=ImprovementOrderSerializer,
        summary="Correct the order's facts (the recording side); the other side is told",
    )
    @action(detail=True, methods=["post"])
    def correction(self, request, pk=None):
        order = self.get_object()
        body = CorrectionSerializer(
            instance=order, data=request.data, partial=True, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        reason = data.pop("reason", "")
        return self._answer(services.correct_order(order, request.user, reason=reason, **data))

    @extend_schema(
        request=WithdrawSerializer,
        responses=ImprovementOrderSerializer,
        summary="Withdraw an order recorded in error (the recording side), with the reason",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        order = self.get_object()
        body = self.validated_body(WithdrawSerializer)
        return self._answer(services.withdraw_order(order, request.user, reason=body["reason"]))


ROUTES = [("improvement-orders", ImprovementOrderViewSet, "improvement-order")]
