"""Return requests in the API (``/api/v1/return-requests/``): list and read what the
caller may read, make a request (``POST``, shared at once, the Embassy given access),
``persons`` (add one), ``steps`` (record one) and ``close``; the kit's actions come with
``SharedRecordActionsMixin``. The same services and ``restrict()`` as the pages.

The list carries no personal data (persons are counted). A request read alone carries
its persons: ``personal_data`` is the values for the contact points and the Embassy
(each such read audited), ``null`` for every other reader, and ``personal_data_state``
says which ("shown", "masked", "erased")."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from notices.models import ReturnRequest
from portal.api.base import PortalModelSerializer, PortalSerializer, RestrictedModelViewSet
from portal.records.api import SharedRecordActionsMixin, SharedRecordFieldsMixin

from . import services
from .choices import ResidenceStatus, ReturnState, StepKind


class ReturnPersonDataSerializer(PortalSerializer):
    """A person's personal data: read only by the contact points and the Embassy."""

    full_name = serializers.CharField(max_length=200)
    date_of_birth = serializers.DateField()
    residence_status = serializers.ChoiceField(choices=ResidenceStatus.choices)
    whereabouts = serializers.CharField(max_length=2000)
    reason = serializers.CharField(max_length=4000)
    dependants = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReturnStepSerializer(PortalSerializer):
    kind = serializers.ChoiceField(choices=StepKind.choices)
    on = serializers.DateField()


class ReturnPersonSerializer(PortalSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    number = serializers.IntegerField(read_only=True)
    personal_data_state = serializers.SerializerMethodField()
    personal_data = ReturnPersonDataSerializer(source="data", allow_null=True, read_only=True)
    steps = ReturnStepSerializer(many=True, read_only=True)

    def get_personal_data_state(self, row) -> str:
        return "erased" if row.erased else ("shown" if row.data is not None else "masked")


class ReturnRequestSerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    """A return request: its Embassy (by code), state, when it closed and why, and when
    its personal data were erased. Persons only when the request is read alone."""

    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    embassy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state = serializers.ChoiceField(choices=ReturnState.choices, read_only=True)

    class Meta:
        model = ReturnRequest
        fields = [
            "id",
            "origin",
            "status",
            "state",
            "embassy",
            "embassy_granted_at",
            "closed_at",
            "closure_reason",
            "personal_data_erased_at",
            "created_at",
            "shared_at",
            *SharedRecordFieldsMixin.KIT_FIELDS,
        ]
        read_only_fields = fields


class ReturnRequestDetailSerializer(ReturnRequestSerializer):
    persons = serializers.SerializerMethodField()

    class Meta(ReturnRequestSerializer.Meta):
        fields = [*ReturnRequestSerializer.Meta.fields, "persons"]
        read_only_fields = fields

    @extend_schema_field(ReturnPersonSerializer(many=True))
    def get_persons(self, record):
        request = self.context.get("request")
        rows = services.persons_for(record, request.user)
        return ReturnPersonSerializer(rows, many=True, context=self.context).data


class ReturnCreateSerializer(PortalSerializer):
    persons = ReturnPersonDataSerializer(many=True, help_text="One or more persons to return.")
    embassy = serializers.CharField(required=False, allow_blank=True, help_text="The embassy's code.")
    due_on = serializers.DateField(required=False, allow_null=True)


class ReturnStepCreateSerializer(PortalSerializer):
    person = serializers.IntegerField(help_text="The person's id on this request.")
    kind = serializers.ChoiceField(choices=StepKind.choices)
    on = serializers.DateField()


class ReturnCloseSerializer(PortalSerializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the case is closed (no personal data).")
    withdraw = serializers.BooleanField(
        default=False, help_text="Withdraw the request (the side that made it)."
    )


class ReturnFilterSet(filters.FilterSet):
    reference = filters.CharFilter(field_name="reference", lookup_expr="iexact")
    state = filters.ChoiceFilter(field_name="state", choices=ReturnState.choices)

    class Meta:
        model = ReturnRequest
        fields = ["reference", "state"]


#: The services decide who may act (``policies``): reading the request is enough to reach them.
_SERVICE_DECIDES = "view"


class ReturnRequestViewSet(SharedRecordActionsMixin, RestrictedModelViewSet):
    """Return requests (clause 8): Japan's contact point makes them; the Tajik side and
    its Embassy record each person's steps; either contact point closes a case."""

    model = ReturnRequest
    serializer_class = ReturnRequestSerializer
    filterset_class = ReturnFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        "create": _SERVICE_DECIDES,
        "persons": _SERVICE_DECIDES,
        "steps": _SERVICE_DECIDES,
        "close": _SERVICE_DECIDES,
    }
    #: The Embassy's users (third-party viewers) record steps: the service decides who.
    any_role_actions = ("steps",)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("origin__side", "embassy", "assigned_to")
            .order_by("-created_at", "-id")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ReturnRequestDetailSerializer
        return super().get_serializer_class()

    def _answer(self, record, code=status.HTTP_200_OK):
        record = self.get_queryset().get(pk=record.pk)
        serializer = ReturnRequestDetailSerializer(record, context=self.get_serializer_context())
        return Response(serializer.data, status=code)

    @extend_schema(request=ReturnCreateSerializer, responses={201: ReturnRequestDetailSerializer})
    def create(self, request, *args, **kwargs):
        body = ReturnCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record = services.create_request(
            request.user,
            persons=[dict(person) for person in data["persons"]],
            embassy=data.get("embassy") or None,
            due_on=data.get("due_on"),
        )
        return self._answer(record, status.HTTP_201_CREATED)

    @extend_schema(
        request=ReturnPersonDataSerializer, responses=ReturnRequestDetailSerializer, summary="Add a person"
    )
    @action(detail=True, methods=["post"])
    def persons(self, request, pk=None):
        record = self.get_object()
        body = ReturnPersonDataSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.add_person(record, request.user, **body.validated_data)
        return self._answer(record, status.HTTP_201_CREATED)

    @extend_schema(
        request=ReturnStepCreateSerializer,
        responses=ReturnRequestDetailSerializer,
        summary="Record a step for one person (the Tajik side or the Embassy)",
    )
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        record = self.get_object()
        body = ReturnStepCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.record_step(record, request.user, person=data["person"], kind=data["kind"], on=data["on"])
        return self._answer(record, status.HTTP_201_CREATED)

    @extend_schema(
        request=ReturnCloseSerializer,
        responses=ReturnRequestDetailSerializer,
        summary="Close or withdraw the case",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        record = self.get_object()
        body = ReturnCloseSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record = services.close_request(
            record, request.user, reason=data["reason"], withdraw=data["withdraw"]
        )
        return self._answer(record)


ROUTES = [("return-requests", ReturnRequestViewSet, "return-request")]
