"""The register's API: ``/api/v1/register-imports/`` (upload → a draft preview, then
``apply``; the kit's actions on the shared comparison) and ``/api/v1/support-organizations/``
(read-only, filtered). The same services and the same ``restrict()`` as the pages: an
import the caller may not read is a 404 like a missing one; a refusal of the service says
why (403 for the role or side, 409 for the import's state, 400 for the file)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from portal.api.base import (
    PortalModelSerializer,
    PortalSerializer,
    RestrictedModelViewSet,
    RestrictedReadOnlyViewSet,
)
from portal.records import services as kit
from portal.records.api import SharedRecordActionsMixin, SharedRecordFieldsMixin
from portal.uploads import validate_upload

from ..models import RegisterImport, SupportOrganization
from . import services
from .forms import normal_number

#: Writes are decided by the services (``notices.register.policies``): reading the
#: import is enough to reach them, so a reader who may not act is told why.
_SERVICE_DECIDES = "view"

COUNT_FIELDS = ["added_count", "changed_count", "removed_count", "reappeared_count", "unchanged_count"]


class RegisterImportSerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    """An import with its comparison (the lists in full on the detail, counts alone in
    the list)."""

    added_count = serializers.IntegerField(read_only=True)
    changed_count = serializers.IntegerField(read_only=True)
    removed_count = serializers.IntegerField(read_only=True)
    reappeared_count = serializers.IntegerField(read_only=True)
    unchanged_count = serializers.IntegerField(read_only=True)
    base = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = RegisterImport
        fields = [
            "id",
            *SharedRecordFieldsMixin.KIT_FIELDS,
            "status",
            "created_at",
            "shared_at",
            "edition",
            "as_of",
            "title",
            "file_name",
            "file_sha256",
            "rows_read",
            "row_errors",
            *COUNT_FIELDS,
            "added",
            "changed",
            "changed_values",
            "removed",
            "reappeared",
            "base",
            "applied_at",
        ]
        read_only_fields = fields


class RegisterImportListSerializer(RegisterImportSerializer):
    class Meta(RegisterImportSerializer.Meta):
        fields = [
            name
            for name in RegisterImportSerializer.Meta.fields
            if name not in {"row_errors", "added", "changed", "changed_values", "removed", "reappeared"}
        ]
        read_only_fields = fields


class RegisterUploadSerializer(PortalSerializer):
    file = serializers.FileField(
        validators=[validate_upload],
        help_text=_("The register's workbook (xlsx), Japanese or English edition."),
    )


class RegisterImportFilterSet(filters.FilterSet):
    reference = filters.CharFilter(field_name="reference", lookup_expr="iexact")
    applied = filters.BooleanFilter(field_name="applied_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = RegisterImport
        fields = ["reference", "status", "applied"]


class RegisterImportViewSet(SharedRecordActionsMixin, RestrictedModelViewSet):
    """Imports of the register: ``create`` uploads a workbook (multipart ``file``) and
    answers the draft preview — its comparison with the register as it stands, nothing
    applied; ``apply`` applies it (all readable rows or none) and shares it with the
    partner side; ``withdraw`` drops a preview."""

    model = RegisterImport
    serializer_class = RegisterImportSerializer
    filterset_class = RegisterImportFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"create": _SERVICE_DECIDES, "apply": _SERVICE_DECIDES, "withdraw": _SERVICE_DECIDES}

    #: ``create`` takes the workbook as a multipart upload; the other actions JSON.
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        if self.action == "list":
            return RegisterImportListSerializer
        if self.action == "create":
            return RegisterUploadSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        queryset = super().get_queryset().select_related("origin__side", "assigned_to", "base")
        return queryset.defer(*RegisterImport.LISTS) if self.action == "list" else queryset

    @extend_schema(
        request={"multipart/form-data": RegisterUploadSerializer}, responses={201: RegisterImportSerializer}
    )
    def create(self, request, *args, **kwargs):
        body = self.validated_body(RegisterUploadSerializer)
        draft = services.preview_import(request.user, body["file"])
        return Response(
            RegisterImportSerializer(draft, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=RegisterImportSerializer, summary="Apply the previewed import")
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        record = services.apply_import(request.user, self.get_object())
        return Response(RegisterImportSerializer(record, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=RegisterImportSerializer, summary="Withdraw the preview")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        record = kit.withdraw_draft(self.get_object(), request.user)
        return Response(RegisterImportSerializer(record, context=self.get_serializer_context()).data)


class SupportOrganizationSerializer(PortalModelSerializer):
    class Meta:
        model = SupportOrganization
        fields = [
            "id",
            "registration_number",
            "registered_on",
            "name",
            "postcode",
            "address",
            "prefecture",
            "phone",
            "representative",
            "office_name",
            "office_address",
            "support",
            "support_from",
            "languages",
            "languages_text",
            "remarks",
            "first_seen_on",
            "changed_on",
            "removed_on",
        ]
        read_only_fields = fields


class SupportOrganizationFilterSet(filters.FilterSet):
    registration_number = filters.CharFilter(method="by_number", label=_("registration number"))
    name = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("name contains"))
    prefecture = filters.CharFilter(field_name="prefecture", label=_("prefecture (JIS code)"))
    language = filters.CharFilter(method="by_language", label=_("language of support (ISO 639-1)"))
    removed = filters.BooleanFilter(field_name="removed_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = SupportOrganization
        fields = ["registration_number", "name", "prefecture", "language", "removed"]

    def by_number(self, queryset, name, value):
        return queryset.filter(registration_number=normal_number(value))

    def by_language(self, queryset, name, value):
        return queryset.offering(value)


class SupportOrganizationViewSet(RestrictedReadOnlyViewSet):
    """The register as the portal holds it: each organization with the dates it was first
    listed, last changed and (for a deregistered one) first found missing."""

    model = SupportOrganization
    serializer_class = SupportOrganizationSerializer
    filterset_class = SupportOrganizationFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("registration_number", "id")


ROUTES = [
    ("register-imports", RegisterImportViewSet, "register-import"),
    ("support-organizations", SupportOrganizationViewSet, "support-organization"),
]
