"""The brokers API (``/api/v1/brokers/``, ``/api/v1/broker-reports/``): the same
services and the same ``restrict()`` as the pages. A broker or report the caller may not
read is a 404 like a missing one; a refusal of the service says why (403 for the role or
side, 409 for the record's state, 400 for the input)."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.base import RestrictedModelViewSet
from portal.disclosure import hidden_fields, prefetch_consents
from portal.records import services as kit
from portal.records.api import CommentsActionMixin, SharedRecordActionsMixin

from .. import services
from ..choices import BrokerKind, Category, ReportStage
from ..models import Broker, MisconductReport
from .serializers import (
    BrokerNamesSerializer,
    BrokerSerializer,
    CloseSerializer,
    LinkSerializer,
    MatchSerializer,
    MergeSerializer,
    MisconductReportSerializer,
    attach_brokers_named,
)

#: Drafts are changed, shared, named and merged by the services, which say who may
#: (``brokers.policies``): reading the record is enough to reach them, so that a
#: reader who may not act is told why rather than told it does not exist.
_SERVICE_DECIDES = "view"


class BrokerFilterSet(filters.FilterSet):
    reference = filters.CharFilter(field_name="reference", lookup_expr="iexact")
    kind = filters.ChoiceFilter(field_name="kind", choices=BrokerKind.choices)
    country = filters.CharFilter(field_name="country", lookup_expr="iexact")

    class Meta:
        model = Broker
        fields = ["reference", "kind", "country", "status"]


class BrokerViewSet(SharedRecordActionsMixin, RestrictedModelViewSet):
    """Brokers in either country, each a shared record: a draft is its organization's,
    ``share`` gives it to both sides. ``names`` adds aliases, ``merge`` makes two
    records of one broker one (both kept, audited), ``reports`` lists the reports
    naming it, ``match`` finds brokers by a name in any script."""

    model = Broker
    serializer_class = BrokerSerializer
    filterset_class = BrokerFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {
        "create": _SERVICE_DECIDES,
        "partial_update": _SERVICE_DECIDES,
        "share": _SERVICE_DECIDES,
        "withdraw": _SERVICE_DECIDES,
        "names": _SERVICE_DECIDES,
        "merge": _SERVICE_DECIDES,
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("origin__side", "assigned_to")
            .prefetch_related("names", "agencies", "investigations")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.record_broker(
            self.request.user,
            aliases=data.pop("aliases", ()),
            agencies=data.pop("agencies", ()),
            investigations=data.pop("investigations", ()),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.update_broker(
            serializer.instance,
            self.request.user,
            aliases=data.pop("aliases", None),
            agencies=data.pop("agencies", None),
            investigations=data.pop("investigations", None),
            **data,
        )

    def _answer(self, broker, code=status.HTTP_200_OK):
        broker = self.get_queryset().get(pk=broker.pk)  # its names and links as they are now
        return Response(self.get_serializer(broker).data, status=code)

    @extend_schema(request=None, responses=BrokerSerializer, summary="Share the draft with the other side")
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        return self._answer(services.share_broker(self.get_object(), request.user))

    @extend_schema(request=None, responses=BrokerSerializer, summary="Withdraw the draft")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(kit.withdraw_draft(self.get_object(), request.user))

    @extend_schema(
        request=BrokerNamesSerializer, responses=BrokerSerializer, summary="Add names or aliases, any script"
    )
    @action(detail=True, methods=["post"])
    def names(self, request, pk=None):
        broker = self.get_object()
        body = self.validated_body(BrokerNamesSerializer)
        services.add_names(broker, request.user, body["names"])
        return self._answer(broker)

    @extend_schema(
        request=MergeSerializer,
        responses=BrokerSerializer,
        summary="Merge this record into another record of the same broker",
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        source = self.get_object()
        body = self.validated_body(MergeSerializer)
        target = services.merge_brokers(source, body["into"], request.user, reason=body["reason"])
        return self._answer(target)

    @extend_schema(
        request=None,
        responses=MisconductReportSerializer(many=True),
        summary="The reports naming this broker that the caller may read, from either side",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def reports(self, request, pk=None):
        rows = list(
            services.reports_naming(request.user, self.get_object())
            .select_related("origin__side", "assigned_to")
            .prefetch_related(
                Prefetch("brokers", queryset=Broker.objects.select_related("origin")),
                "agencies",
                "investigations",
            )
            .order_by("-created_at", "-id")
        )
        prefetch_consents(rows, request.user)
        attach_brokers_named(rows, request.user)
        context = self.get_serializer_context()
        return Response(MisconductReportSerializer(rows, many=True, context=context).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="A name in any script: Cyrillic, Latin, katakana…")
        ],
        request=None,
        responses=MatchSerializer(many=True),
        summary="Brokers the caller may read whose name or alias is like q, best first",
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def match(self, request):
        found = services.match(request.user, request.query_params.get("q", ""))
        brokers = [candidate.broker for candidate in found]
        prefetch_consents(brokers, request.user)
        # A broker read through a consent that does not disclose its names (the other
        # side's consent alone) is not offered: its name would say what is withheld.
        shown = [
            candidate for candidate in found if "name" not in hidden_fields(request.user, candidate.broker)
        ]
        return Response(MatchSerializer(shown, many=True).data)


class ReportFilterSet(filters.FilterSet):
    reference = filters.CharFilter(field_name="reference", lookup_expr="iexact")
    category = filters.ChoiceFilter(
        field_name="categories", lookup_expr="contains", choices=Category.choices, label="category"
    )
    stage = filters.ChoiceFilter(field_name="stage", choices=ReportStage.choices)
    side = filters.CharFilter(field_name="origin__side__code", help_text="The reporting side's code.")
    broker = filters.ModelChoiceFilter(
        field_name="brokers", queryset=Broker.objects.all(), help_text="The id of a broker the report names."
    )

    class Meta:
        model = MisconductReport
        fields = ["reference", "category", "stage", "side", "broker"]


class MisconductReportViewSet(CommentsActionMixin, SharedRecordActionsMixin, RestrictedModelViewSet):
    """Misconduct reports (4(1)): a draft is its organization's, ``share`` sends it to
    the other side, which acknowledges (the report goes into follow-up), assigns,
    comments, ``link``s it to agencies and investigations and ``close``s it with an
    outcome. A third party reads a report only through the written consent of the side
    whose part it discloses."""

    model = MisconductReport
    serializer_class = MisconductReportSerializer
    filterset_class = ReportFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {
        "create": _SERVICE_DECIDES,
        "partial_update": _SERVICE_DECIDES,
        "share": _SERVICE_DECIDES,
        "withdraw": _SERVICE_DECIDES,
        "link": _SERVICE_DECIDES,
        "close": _SERVICE_DECIDES,
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("origin__side", "assigned_to")
            .prefetch_related(
                Prefetch("brokers", queryset=Broker.objects.select_related("origin")),
                "agencies",
                "investigations",
            )
            .order_by("-created_at", "-id")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            attach_brokers_named(page, self.request.user)
        return page

    def perform_create(self, serializer):
        serializer.instance = services.file_report(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_report(
            serializer.instance, self.request.user, **serializer.validated_data
        )

    def _answer(self, report):
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(
        request=None, responses=MisconductReportSerializer, summary="Share the draft with the other side"
    )
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        return self._answer(services.share_report(self.get_object(), request.user))

    @extend_schema(request=None, responses=MisconductReportSerializer, summary="Withdraw the draft")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(kit.withdraw_draft(self.get_object(), request.user))

    @extend_schema(
        request=LinkSerializer,
        responses=MisconductReportSerializer,
        summary="Link the report to sending agencies and investigations",
    )
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        report = self.get_object()
        body = self.validated_body(LinkSerializer)
        return self._answer(services.link_report(report, request.user, **body))

    @extend_schema(
        request=CloseSerializer,
        responses=MisconductReportSerializer,
        summary="Close the report with what was done (the receiving side)",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        report = self.get_object()
        body = self.validated_body(CloseSerializer)
        return self._answer(services.close_report(report, request.user, **body))
