"""The fraud reports API (``/api/v1/fraud-reports/``): the same services and the same
``restrict()`` as the pages. A report the caller may not read is a 404 like a missing
one; a refusal of the service says why (403 for the role or side, 409 for the record's
state, 400 for the input). The persons named are the reporting side's part: left out
where it is withheld; the brokers shown are the ones the caller may read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from brokers.api.serializers import BrokerRefSerializer
from brokers.models import Broker
from portal.api.base import PortalModelSerializer, PortalSerializer, RestrictedModelViewSet
from portal.records.api import CommentsActionMixin, SharedRecordActionsMixin, SharedRecordFieldsMixin

from ..choices import FraudKind, FraudOutcome, FraudStage, PersonRole
from ..models import Exam, ExamSession, FraudReport
from . import services
from .reading import brokers_shown, persons_of

#: One answer for a broker id that does not exist and one the caller may not read.
NOT_A_BROKER = _("One of the brokers named does not exist or cannot be read.")
NOT_A_SESSION = _("This session does not exist or cannot be read.")

#: Changes are the services' to refuse (``exams.fraud.policies``): reading the record is
#: enough to reach them, so that a reader who may not act is told why.
_SERVICE_DECIDES = "view"


class FraudPersonSerializer(PortalSerializer):
    role = serializers.ChoiceField(choices=PersonRole.choices, default=PersonRole.HOLDER)
    name = serializers.CharField(max_length=200)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    certificate_number = serializers.CharField(max_length=40, required=False, allow_blank=True)


def _broker_relation():
    return serializers.PrimaryKeyRelatedField(
        queryset=Broker.objects.all(),
        error_messages={"does_not_exist": NOT_A_BROKER, "incorrect_type": NOT_A_BROKER},
    )


class FraudReportSerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    """A fraud report in the tests: its kind, test (and session), what happened, the
    persons named (at least one; a certificate number of the test's form), the brokers
    involved (ids: write; ``brokers_named``: those the caller may read). The receiving
    side's part (stage, outcome) is set by its actions."""

    withheld_with = {**SharedRecordFieldsMixin.withheld_with, "brokers_named": "brokers"}

    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = serializers.ChoiceField(choices=FraudKind.choices)
    exam = serializers.PrimaryKeyRelatedField(queryset=Exam.objects.all())
    session = serializers.PrimaryKeyRelatedField(
        queryset=ExamSession.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": NOT_A_SESSION, "incorrect_type": NOT_A_SESSION},
    )
    persons = FraudPersonSerializer(many=True, allow_empty=False, help_text="The persons the report names.")
    brokers = serializers.ManyRelatedField(
        child_relation=_broker_relation(),
        required=False,
        write_only=True,
        help_text="The ids of the brokers involved.",
    )
    brokers_named = serializers.SerializerMethodField()
    stage = serializers.ChoiceField(choices=FraudStage.choices, read_only=True)
    outcome = serializers.ChoiceField(
        choices=FraudOutcome.choices, read_only=True, allow_blank=True, help_text="Empty until closed."
    )

    class Meta:
        model = FraudReport
        fields = [
            "id",
            "origin",
            "status",
            "kind",
            "exam",
            "session",
            "test_date",
            "narrative",
            "persons",
            "brokers",
            "brokers_named",
            "stage",
            "outcome",
            "outcome_note",
            "closed_at",
            "created_at",
            "shared_at",
            *SharedRecordFieldsMixin.KIT_FIELDS,
        ]
        read_only_fields = [
            "status",
            "stage",
            "outcome",
            "outcome_note",
            "closed_at",
            "created_at",
            "shared_at",
        ]

    @extend_schema_field(BrokerRefSerializer(many=True))
    def get_brokers_named(self, report) -> list[dict]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return []
        return [
            {"id": broker.pk, "reference": broker.reference or "", "name": broker.name}
            for broker in brokers_shown(report, user)
        ]

    def to_representation(self, instance):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        data = super().to_representation(instance)
        if "persons" in data:
            # Read through the part's rule (``reading.persons_of``), never straight off the record.
            rows = persons_of(instance, user) if user is not None else instance.persons.none()
            data["persons"] = FraudPersonSerializer(rows, many=True).data
        return data


class FraudCloseSerializer(PortalSerializer):
    outcome = serializers.ChoiceField(choices=FraudOutcome.choices)
    note = serializers.CharField(help_text="What was done about the report.")


class FraudLinkBrokersSerializer(PortalSerializer):
    brokers = serializers.ManyRelatedField(child_relation=_broker_relation(), allow_empty=False)


class FraudFilterSet(filters.FilterSet):
    reference = filters.CharFilter(field_name="reference", lookup_expr="iexact")
    kind = filters.ChoiceFilter(field_name="kind", choices=FraudKind.choices)
    stage = filters.ChoiceFilter(field_name="stage", choices=FraudStage.choices)

    class Meta:
        model = FraudReport
        fields = ["reference", "kind", "stage", "exam", "status"]


class FraudReportViewSet(CommentsActionMixin, SharedRecordActionsMixin, RestrictedModelViewSet):
    """Fraud reports in the tests (5, second paragraph): a draft is its organization's,
    ``share`` sends it to the other side, which acknowledges (the report goes into
    follow-up), assigns, comments, and ``close``s it with an outcome; either side
    ``link-brokers`` while it is open. A third party reads a report only through the
    written consent of the side whose part it discloses."""

    model = FraudReport
    serializer_class = FraudReportSerializer
    filterset_class = FraudFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {
        "create": _SERVICE_DECIDES,
        "partial_update": _SERVICE_DECIDES,
        "share": _SERVICE_DECIDES,
        "withdraw": _SERVICE_DECIDES,
        "link_brokers": _SERVICE_DECIDES,
        "close": _SERVICE_DECIDES,
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("origin__side", "assigned_to")
            .prefetch_related("persons", "brokers")
            .order_by("-created_at", "-id")
        )

    def perform_create(self, serializer):
        serializer.instance = services.report(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update(
            serializer.instance, self.request.user, **serializer.validated_data
        )

    def _answer(self, report):
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(
        request=None, responses=FraudReportSerializer, summary="Share the draft with the other side"
    )
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        return self._answer(services.share(self.get_object(), request.user))

    @extend_schema(request=None, responses=FraudReportSerializer, summary="Withdraw the draft")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(services.withdraw(self.get_object(), request.user))

    @extend_schema(
        request=FraudLinkBrokersSerializer,
        responses=FraudReportSerializer,
        summary="Link more brokers (either side)",
    )
    @action(detail=True, methods=["post"], url_path="link-brokers")
    def link_brokers(self, request, pk=None):
        report = self.get_object()
        body = self.validated_body(FraudLinkBrokersSerializer)
        return self._answer(services.link_brokers(report, request.user, brokers=body["brokers"]))

    @extend_schema(
        request=FraudCloseSerializer,
        responses=FraudReportSerializer,
        summary="Close the report with what was done (the receiving side)",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        report = self.get_object()
        body = self.validated_body(FraudCloseSerializer)
        return self._answer(services.close(report, request.user, **body))


ROUTES = [("fraud-reports", FraudReportViewSet, "fraud-report")]
