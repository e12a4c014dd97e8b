"""The agencies API: the same services and the same restrict() as the pages."""

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils.http import quote_etag
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from portal.api.base import NUMERIC_LOOKUP, RestrictedModelViewSet, RestrictedReadOnlyViewSet
from portal.exceptions import InvalidInput
from portal.publication.models import Publication
from portal.records.api import SharedRecordActionsMixin

from .. import services
from ..models import (
    AgencyEvent,
    Investigation,
    Screening,
    ScreeningCriterion,
    ScreeningResult,
    SendingAgency,
)
from .serializers import (
    AgencyEventSerializer,
    CertifySerializer,
    InvestigationSerializer,
    PublicationDetailSerializer,
    PublicationSerializer,
    ReasonSerializer,
    ResultSerializer,
    RevokeSerializer,
    ScreeningInputSerializer,
    ScreeningSerializer,
    SendingAgencySerializer,
)


class SendingAgencyViewSet(RestrictedModelViewSet):
    """The register of sending agencies (7(1)-(4)). Transitions are POST actions; an
    impossible one answers 409 with the reason."""

    model = SendingAgency
    serializer_class = SendingAgencySerializer
    filterset_fields = ["status", "region"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    # Japan reads certified agencies and may acknowledge or report: "view" suffices,
    # the services check the side.
    action_permissions = {"acknowledge": "view", "investigate": "view"}

    def get_queryset(self):
        # The memorandum: each row's disclosure asks whether the caller is its partner.
        return super().get_queryset().select_related("memorandum").prefetch_related("sectors").order_by("id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        sectors = data.pop("sectors", [])
        serializer.instance = services.register_agency(self.request.user, sectors=sectors, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        sectors = data.pop("sectors", None)
        serializer.instance = services.update_agency(
            serializer.instance, self.request.user, sectors=sectors, **data
        )

    def _done(self, agency, code=status.HTTP_200_OK):
        return Response(self.get_serializer(agency).data, status=code)

    @extend_schema(request=None, responses=ScreeningSerializer)
    @action(detail=True, methods=["post"], url_path="start-screening")
    def start_screening(self, request, pk=None):
        screening = services.start_screening(self.get_object(), request.user)
        return Response(ScreeningSerializer(screening).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScreeningInputSerializer, responses=ScreeningSerializer)
    @action(detail=True, methods=["post"])
    def screening(self, request, pk=None):
        agency = self.get_object()
        body = self.validated_body(ScreeningInputSerializer)
        screening = agency.screenings.first()
        if screening is None:
            raise InvalidInput("No screening has been started.")
        by_number = dict(ScreeningCriterion.objects.values_list("number", "pk"))
        results = {}
        for row in body["results"]:
            if row["criterion"] not in by_number:
                raise InvalidInput(f"Unknown criterion {row['criterion']}.")
            results[by_number[row["criterion"]]] = (row["result"], row["note"])
        services.record_screening(screening, request.user, results, body["note"])
        return Response(ScreeningSerializer(screening).data)

    @extend_schema(request=CertifySerializer)
    @action(detail=True, methods=["post"])
    def certify(self, request, pk=None):
        body = self.validated_body(CertifySerializer)
        return self._done(services.certify(self.get_object(), request.user, **body))

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        body = self.validated_body(ReasonSerializer)
        return self._done(services.reject(self.get_object(), request.user, **body))

    @extend_schema(request=RevokeSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        body = self.validated_body(RevokeSerializer)
        return self._done(services.revoke(self.get_object(), request.user, **body))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def reapply(self, request, pk=None):
        return self._done(services.reapply(self.get_object(), request.user))

    @extend_schema(request=None, responses=AgencyEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        events = AgencyEvent.objects.restrict(request.user).filter(agency=self.get_object())
        return Response(AgencyEventSerializer(events, many=True).data)

    @extend_schema(request=None, responses=AgencyEventSerializer)
    @action(detail=True, methods=["post"], url_path=r"events/(?P<event_id>\d+)/acknowledge")
    def acknowledge(self, request, pk=None, event_id=None):
        event = (
            AgencyEvent.objects.restrict(request.user).filter(agency=self.get_object(), pk=event_id).first()
        )
        if event is None:
            raise Http404
        return Response(AgencyEventSerializer(services.acknowledge(event, request.user)).data)


class ScreeningViewSet(RestrictedReadOnlyViewSet):
    """Screenings of agencies against the criteria (7(1)); internal to the register's
    ministry. Recorded through ``/agencies/{id}/screening/``."""

    model = Screening
    serializer_class = ScreeningSerializer
    filterset_fields = ["agency"]

    def get_queryset(self):
        results = Prefetch("results", queryset=ScreeningResult.objects.select_related("criterion"))
        return super().get_queryset().prefetch_related(results).order_by("-id")


class InvestigationViewSet(SharedRecordActionsMixin, mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    """Investigations of certified agencies at Japan's request (7(3)); the partner
    ministry acknowledges and assigns them (the kit's actions, ``portal.records.api``)
    and sends the result."""

    model = Investigation
    serializer_class = InvestigationSerializer
    filterset_fields = ["stage", "reference"]
    action_permissions = {"create": "view", "result": "view"}

    def get_queryset(self):
        return super().get_queryset().select_related("origin", "assigned_to").order_by("-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        agency = SendingAgency.objects.restrict(self.request.user).filter(pk=data.pop("agency").pk).first()
        if agency is None:
            raise Http404
        serializer.instance = services.report_for_investigation(self.request.user, agency, **data)

    def perform_assign(self, record, assignee):
        return services.assign_investigation(record, self.request.user, assignee=assignee)

    @extend_schema(request=ResultSerializer, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"])
    def result(self, request, pk=None):
        body = self.validated_body(ResultSerializer)
        investigation = services.send_investigation_result(self.get_object(), request.user, **body)
        return Response(self.get_serializer(investigation).data)


def _publisher(required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        "publisher",
        str,
        required=required,
        description="The publishing side's code, e.g. japan or tajikistan.",
    )


@extend_schema_view(
    list=extend_schema(parameters=[_publisher(required=False)]),
    retrieve=extend_schema(parameters=[_publisher(required=True)], responses=PublicationDetailSerializer),
    current=extend_schema(parameters=[_publisher(required=True)], responses=PublicationDetailSerializer),
)
class PublishedListViewSet(viewsets.ReadOnlyModelViewSet):
    """Public, read-only: every published version of each side's certified-agency list
    (``?publisher=japan|tajikistan``); the detail carries the whole content."""

    permission_classes = [AllowAny]
    authentication_classes = []
    lookup_field = "version"
    lookup_value_regex = NUMERIC_LOOKUP
    filterset_fields = ["side__code"]

    def get_queryset(self):
        queryset = (
            Publication.objects.filter(list_name="agencies")
            .select_related("side")
            .order_by("side_id", "-version")
        )
        publisher = self.request.query_params.get("publisher")
        if publisher:
            queryset = queryset.filter(side__code=publisher)
        if self.action == "list":
            return queryset.defer("rendered", "patch")
        return queryset.defer("rendered", "patch").select_related("content")

    def get_serializer_class(self):
        return PublicationDetailSerializer if self.action == "retrieve" else PublicationSerializer

    def get_object(self):
        publisher = self.request.query_params.get("publisher")
        if not publisher:
            raise InvalidInput("Name the publisher: ?publisher=japan or ?publisher=tajikistan")
        return super().get_object()

    def retrieve(self, request, *args, **kwargs):
        return self._with_content(self.get_object())

    @staticmethod
    def _with_content(publication: Publication) -> HttpResponse:
        """The version's metadata and its content, the content spliced in as the exact
        stored text whose SHA-256 is ``content_hash``: decoding and re-encoding 10,000
        agencies took ~190 ms a request on this public endpoint; this takes ~45 ms."""
        meta = JSONRenderer().render(PublicationSerializer(publication).data)
        body = meta[:-1] + b',"content":' + publication.content.canonical_json.encode() + b"}"
        response = HttpResponse(body, content_type="application/json")
        response["ETag"] = quote_etag(f"{publication.content_hash[:20]}-{publication.version}-api")
        return response

    @action(detail=False, methods=["get"])
    def current(self, request):
        """The latest version published by ``?publisher=``."""
        publisher = request.query_params.get("publisher")
        if not publisher:
            raise InvalidInput("Name the publisher: ?publisher=japan or ?publisher=tajikistan")
        publication = self.get_queryset().filter(side__code=publisher).first()
        if publication is None:
            raise Http404
        return self._with_content(publication)
