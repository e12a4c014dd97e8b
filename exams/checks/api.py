"""Certificate checks in the API: ``/api/v1/certificate-checks/``. ``POST`` checks one
certificate (201 with the outcome and the fields that differ; 400 with the field errors;
429 with ``Retry-After`` over the hourly limit); ``GET`` lists and reads the caller's
organization's checks; ``POST …/batch/`` checks a CSV file of candidates (multipart
``file``) and answers its lines. Never a registered value: what was entered, and what
the check answered."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from portal.api.base import PortalModelSerializer, PortalSerializer, RestrictedViewSetMixin

from ..choices import CheckedField, CheckOutcome
from ..models import CertificateCheck, Exam
from . import services


class CertificateCheckSerializer(PortalModelSerializer):
    """A check: what was entered and its answer."""

    exam = serializers.SlugRelatedField(
        slug_field="code", queryset=Exam.objects.all(), help_text=_("The test's code.")
    )
    differs = serializers.ListField(
        child=serializers.ChoiceField(choices=CheckedField.choices),
        source="differing_fields",
        read_only=True,
        help_text=_("The fields that differ from the register, when it does not match."),
    )
    checked_by = serializers.SlugRelatedField(source="user", slug_field="username", read_only=True)

    class Meta:
        model = CertificateCheck
        fields = [
            "id",
            "exam",
            "certificate_number",
            "name",
            "date_of_birth",
            "outcome",
            "differs",
            "batch",
            "line",
            "checked_at",
            "checked_by",
        ]
        read_only_fields = ["outcome", "batch", "line", "checked_at"]

    def validate_name(self, value):
        problem = services.name_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value.strip()

    def validate_date_of_birth(self, value):
        problem = services.date_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def validate(self, attrs):
        number = services.normal_number(attrs.get("certificate_number", ""))
        problem = services.number_problem(attrs["exam"], number)
        if problem:
            raise serializers.ValidationError({"certificate_number": problem})
        attrs["certificate_number"] = number
        return attrs


class BatchUploadSerializer(PortalSerializer):
    file = serializers.FileField(
        help_text=_("CSV: test,certificate_number,name,date_of_birth; UTF-8 or Shift_JIS; at most 500 lines.")
    )


class BatchLineSerializer(PortalSerializer):
    line = serializers.IntegerField()
    test = serializers.CharField()
    certificate_number = serializers.CharField()
    check = serializers.IntegerField(source="check.pk", allow_null=True, default=None)
    outcome = serializers.ChoiceField(choices=CheckOutcome.choices, allow_blank=True)
    differs = serializers.ListField(child=serializers.ChoiceField(choices=CheckedField.choices))
    reason = serializers.CharField(allow_blank=True, help_text=_("Why the line was not checked."))


class BatchSerializer(PortalSerializer):
    batch = serializers.UUIDField(source="id")
    lines = BatchLineSerializer(many=True)


class RateLimitedSerializer(PortalSerializer):
    detail = serializers.CharField()
    code = serializers.CharField()


class CertificateCheckViewSet(
    RestrictedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Certificate checks of the caller's organization. An analyst checks too: a check
    is a reading (the service decides who, ``exams.checks.policies``)."""

    model = CertificateCheck
    serializer_class = CertificateCheckSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    #: Analysts are not writers, yet they check: the service refuses whoever may not.
    any_role_actions = ("create", "batch")
    action_permissions = {"create": "view", "batch": "view"}

    def get_queryset(self):
        return super().get_queryset().select_related("exam", "user")

    def handle_exception(self, exc):
        if isinstance(exc, services.RateLimited):
            return Response(
                {"detail": str(exc.message), "code": "throttled"},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(exc.retry_after)},
            )
        return super().handle_exception(exc)

    @extend_schema(
        responses={
            201: CertificateCheckSerializer,
            429: OpenApiResponse(
                RateLimitedSerializer, description="Over the hourly limit; see Retry-After."
            ),
        }
    )
    def create(self, request, *args, **kwargs):
        body = self.validated_body(CertificateCheckSerializer)
        check = services.check_certificate(request.user, **body)
        return Response(
            CertificateCheckSerializer(check, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request={"multipart/form-data": BatchUploadSerializer},
        responses={
            200: BatchSerializer,
            429: OpenApiResponse(RateLimitedSerializer, description="The batch would pass the hourly limit."),
        },
        summary="Check a CSV file of candidates",
    )
    @action(detail=False, methods=["post"])
    def batch(self, request):
        body = self.validated_body(BatchUploadSerializer)
        batch = services.check_batch(request.user, body["file"])
        return Response(BatchSerializer(batch, context=self.get_serializer_context()).data)


ROUTES = [("certificate-checks", CertificateCheckViewSet, "certificate-check")]
