"""The tests and their sessions in the API.

``/api/v1/exams/``: the tests of clause 5 as reference data, read by every signed-in
user (filters ``kind``, ``sector`` by its code, ``is_open``), names and administering
bodies in the reader's language beside each rendering.

``/api/v1/exam-sessions/``: the sessions the caller may read (both sides; a third party
none); ``POST`` records one and ``PATCH`` changes one through the same services as the
pages (403 for the role or organization, 400 for the input)."""

from __future__ import annotations

from django_filters import rest_framework as filters
from rest_framework import serializers

from portal.api.base import PortalModelSerializer, RestrictedModelViewSet, RestrictedReadOnlyViewSet

from ..models import Exam, ExamSession
from . import services


class ExamSerializer(PortalModelSerializer):
    """A test: its kind, sector (code) and level, its name and administering body in the
    reader's language and in each language, and the form of its certificate numbers."""

    sector = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True, help_text="The name in the reader's language.")
    body = serializers.CharField(read_only=True, help_text="The administering body in the reader's language.")

    class Meta:
        model = Exam
        fields = [
            "id",
            "code",
            "kind",
            "sector",
            "level",
            "name",
            "name_ja",
            "name_en",
            "name_ru",
            "name_tg",
            "body",
            "body_ja",
            "body_en",
            "body_ru",
            "body_tg",
            "certificate_pattern",
            "certificate_example",
            "is_open",
        ]
        read_only_fields = fields


class ExamFilterSet(filters.FilterSet):
    sector = filters.CharFilter(field_name="sector__code", help_text="The sector's code.")

    class Meta:
        model = Exam
        fields = ["kind", "sector", "is_open"]


class ExamViewSet(RestrictedReadOnlyViewSet):
    """The tests of clause 5 (reference data, changed by administrators in admin)."""

    model = Exam
    serializer_class = ExamSerializer
    filterset_class = ExamFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("sector").order_by("sort_order", "id")


class ExamSessionSerializer(PortalModelSerializer):
    """A session of a test held in the partner country. ``body`` left out: the test's
    administering body."""

    organization = serializers.SlugRelatedField(slug_field="code", read_only=True)
    body = serializers.CharField(required=False, allow_blank=True, max_length=300)
    candidates = serializers.IntegerField(required=False, allow_null=True, min_value=0)

    class Meta:
        model = ExamSession
        fields = [
            "id",
            "exam",
            "starts_on",
            "ends_on",
            "city",
            "venue",
            "body",
            "candidates",
            "organization",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["organization", "created_at", "updated_at"]


class ExamSessionFilterSet(filters.FilterSet):
    year = filters.NumberFilter(field_name="starts_on", lookup_expr="year", min_value=2000, max_value=2100)

    class Meta:
        model = ExamSession
        fields = ["exam", "year"]


#: Recording and changing are the services' to allow (``policies``): reading the
#: session is enough to reach them, so that a reader who may not act is told why.
_SERVICE_DECIDES = "view"


class ExamSessionViewSet(RestrictedModelViewSet):
    """Sessions of the tests held in the partner country (5): either side's writers
    record them; the recording organization's writers change them."""

    model = ExamSession
    serializer_class = ExamSessionSerializer
    filterset_class = ExamSessionFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"create": _SERVICE_DECIDES, "partial_update": _SERVICE_DECIDES}

    def get_queryset(self):
        return super().get_queryset().select_related("exam", "organization").order_by("-starts_on", "-id")

    def perform_create(self, serializer):
        serializer.instance = services.record_session(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.change_session(
            serializer.instance, self.request.user, **serializer.validated_data
        )


ROUTES = [("exams", ExamViewSet, "exam"), ("exam-sessions", ExamSessionViewSet, "exam-session")]
