"""Inquiries in the API (``/api/v1/inquiries/``): list and read what the caller may
read, ask (``POST``: asked and shared at once), ``answer``; the kit's actions
(acknowledge, assign, attachments, timeline, consent) and the thread's ``comments``
come with the mixins. The same services and ``restrict()`` as the pages: an inquiry the
caller may not read is a 404 like a missing one; a refusal of the service says why (403
for the role or side, 409 for the inquiry's state, 400 for the input)."""

from __future__ import annotations

from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from notices.models import Inquiry
from portal.api.base import PortalModelSerializer, PortalSerializer, RestrictedModelViewSet
from portal.records.api import CommentsActionMixin, SharedRecordActionsMixin, SharedRecordFieldsMixin

from . import services
from .querysets import overdue_q


class InquirySerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    """An inquiry: the subject and question of the side that asked, the due date (left
    out: the memorandum's days to answer; never in the past), and the answer of the side
    asked, with when and whether after the due date."""

    withheld_with = {**SharedRecordFieldsMixin.withheld_with, "time_to_answer_seconds": "answered_at"}

    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    time_to_answer_seconds = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "origin",
            "status",
            "subject",
            "question",
            "answer",
            "answered_at",
            "answered_by",
            "answered_late",
            "time_to_answer_seconds",
            "created_at",
            "shared_at",
            *SharedRecordFieldsMixin.KIT_FIELDS,
        ]
        read_only_fields = ["status", "answer", "answered_at", "answered_late", "created_at", "shared_at"]
        extra_kwargs = {
            "due_on": {"required": False, "allow_null": True, "help_text": "Left out: the memorandum's days."}
        }

    def get_time_to_answer_seconds(self, inquiry) -> int | None:
        delta = inquiry.time_to_answer
        return int(delta.total_seconds()) if delta is not None else None


class AnswerSerializer(PortalSerializer):
    answer = serializers.CharField(help_text="The answer of the side asked.")


class InquiryFilterSet(filters.FilterSet):
    reference = filters.CharFilter(field_name="reference", lookup_expr="iexact")
    answered_late = filters.BooleanFilter(field_name="answered_late")
    overdue = filters.BooleanFilter(
        field_name="answered_at", method="filter_overdue", help_text="Open and past the due date."
    )
    answered = filters.BooleanFilter(field_name="answered_at", lookup_expr="isnull", exclude=True)
    asked_from = filters.DateFilter(field_name="shared_at", lookup_expr="date__gte")
    asked_to = filters.DateFilter(field_name="shared_at", lookup_expr="date__lte")

    class Meta:
        model = Inquiry
        fields = ["reference", "answered_late", "overdue", "answered", "asked_from", "asked_to"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(Q(overdue_q()))


#: Asking and answering are the services' to allow (``policies``): reading the inquiry
#: is enough to reach them, so that a reader who may not act is told why.
_SERVICE_DECIDES = "view"


class InquiryViewSet(CommentsActionMixin, SharedRecordActionsMixin, RestrictedModelViewSet):
    """Inquiries (6(4), 7(6)): either side's officers ask (shared with the other side at
    once), the other side answers by the due date. The answer is the answering side's
    part: a third party reads it only through that side's written consent."""

    model = Inquiry
    serializer_class = InquirySerializer
    filterset_class = InquiryFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"create": _SERVICE_DECIDES, "answer": _SERVICE_DECIDES}

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("origin__side", "assigned_to", "answered_by")
            .order_by("-shared_at", "-id")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.ask(
            self.request.user, subject=data["subject"], question=data["question"], due_on=data.get("due_on")
        )

    @extend_schema(
        request=AnswerSerializer,
        responses=InquirySerializer,
        summary="Answer the inquiry (the side asked); the side that asked is told",
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        inquiry = self.get_object()
        body = self.validated_body(AnswerSerializer)
        inquiry = services.answer(inquiry, request.user, answer=body["answer"])
        return Response(self.get_serializer(self.get_queryset().get(pk=inquiry.pk)).data)


ROUTES = [("inquiries", InquiryViewSet, "inquiry")]
