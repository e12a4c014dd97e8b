"""The pass-result imports in the API: ``/api/v1/exam-result-imports/``.

List and retrieve the caller's own organization's imports (the same ``restrict()`` as
the pages: another organization's is a 404 like a missing one); ``create`` uploads a
CSV file (multipart ``file``) through the same service as the page and answers the
queued import (201), or 403 for a role or side that does not import, 400 for the file.
The register's rows are not in the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from portal.api.base import PortalModelSerializer, PortalSerializer, RestrictedModelViewSet

from ..models import ResultImport
from . import policies, services
from .forms import format_help, validate_results_file

#: ``create`` is decided by the service (``policies.check_import``): 403 with its reason.
_SERVICE_DECIDES = "view"

FIELDS = [
    "id",
    "file_name",
    "sha256",
    "encoding",
    "status",
    "uploaded_at",
    "finished_at",
    "rows",
    "added",
    "changed",
    "unchanged",
    "refused",
    "failure",
]


class ResultImportSerializer(PortalModelSerializer):
    """An import with its counts and (on the detail) the refused lines kept."""

    class Meta:
        model = ResultImport
        fields = [*FIELDS, "errors"]
        read_only_fields = fields


class ResultImportListSerializer(ResultImportSerializer):
    class Meta(ResultImportSerializer.Meta):
        fields = FIELDS
        read_only_fields = fields


class ResultUploadSerializer(PortalSerializer):
    file = serializers.FileField(validators=[validate_results_file])

    def get_fields(self):
        fields = super().get_fields()
        fields["file"].help_text = format_help()
        return fields


class ResultImportViewSet(RestrictedModelViewSet):
    """Imports of pass results: ``create`` uploads a CSV file (multipart ``file``) and
    answers the queued import; the import runs in the background."""

    model = ResultImport
    serializer_class = ResultImportSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"create": _SERVICE_DECIDES}
    parser_classes = [MultiPartParser, FormParser]

    def get_serializer_class(self):
        if self.action == "list":
            return ResultImportListSerializer
        if self.action == "create":
            return ResultUploadSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.defer("errors") if self.action == "list" else queryset

    @extend_schema(
        request={"multipart/form-data": ResultUploadSerializer}, responses={201: ResultImportSerializer}
    )
    def create(self, request, *args, **kwargs):
        policies.check_import(request.user)  # a 403 for the role or side before any 400
        body = self.validated_body(ResultUploadSerializer)
        record = services.upload(request.user, body["file"])
        record.refresh_from_db()
        return Response(
            ResultImportSerializer(record, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


ROUTES = [("exam-result-imports", ResultImportViewSet, "exam-result-import")]
