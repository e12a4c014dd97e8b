from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.api.base import PortalModelSerializer, PortalSerializer
from portal.api.serializers import DisplayNameField
from portal.publication.models import Publication
from portal.records.api import SharedRecordFieldsMixin

from ..choices import CriterionResult, InvestigationOutcome, RevocationReason
from ..models import (
    PUBLISHED_FIELDS,
    AgencyEvent,
    Investigation,
    Screening,
    Sector,
    SendingAgency,
)


class SendingAgencySerializer(PortalModelSerializer):
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Sector.objects.all())
    display_name = DisplayNameField()

    class Meta:
        model = SendingAgency
        fields = [
            "id",
            *PUBLISHED_FIELDS,
            "display_name",
            "tax_number",
            "sectors",
            "status",
            "certification_number",
            "certified_on",
            "valid_until",
            "updated_at",
        ]
        read_only_fields = ["status", "certification_number", "certified_on", "valid_until", "updated_at"]


class AgencyEventSerializer(PortalModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AgencyEvent
        fields = [
            "id",
            "from_status",
            "to_status",
            "at",
            "effective_on",
            "actor",
            "public_reason",
            "reason",
            "certification_number",
            "changes",
            "acknowledged_at",
        ]


class CertifySerializer(PortalSerializer):
    certification_number = serializers.CharField(max_length=64)
    certified_on = serializers.DateField()
    valid_until = serializers.DateField()


class ReasonSerializer(PortalSerializer):
    reason = serializers.CharField()


class RevokeSerializer(PortalSerializer):
    reason = serializers.CharField()
    public_reason = serializers.ChoiceField(choices=RevocationReason.choices)
    effective_on = serializers.DateField(required=False)


class ScreeningResultInputSerializer(PortalSerializer):
    criterion = serializers.IntegerField(help_text=_("Criterion number"))
    result = serializers.ChoiceField(choices=CriterionResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ScreeningInputSerializer(PortalSerializer):
    results = ScreeningResultInputSerializer(many=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _results(screening):
    """A screening's results with their criteria: prefetched by a list (one query for the
    page), else read here."""
    if "results" in getattr(screening, "_prefetched_objects_cache", {}):
        return screening.results.all()
    return screening.results.select_related("criterion")


class ScreeningSerializer(PortalModelSerializer):
    results = serializers.SerializerMethodField()

    class Meta:
        model = Screening
        fields = ["id", "agency", "started_at", "note", "results"]

    def get_results(self, screening) -> list[dict]:
        return [
            {
                "criterion": row.criterion.number,
                "mandatory": row.criterion.mandatory,
                "result": row.result,
                "note": row.note,
            }
            for row in _results(screening)
        ]


class InvestigationSerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    outcome = serializers.ChoiceField(choices=InvestigationOutcome.choices, read_only=True, allow_blank=True)

    class Meta:
        model = Investigation
        fields = [
            "id",
            "agency",
            "origin",
            "facts",
            "related_references",
            "stage",
            "findings",
            "measures",
            "outcome",
            "result_sent_at",
            "created_at",
            *SharedRecordFieldsMixin.KIT_FIELDS,
        ]
        # The partner's part is written by its own actions (assign, result), never by
        # the report Japan creates here; Japan's report sets the due date.
        read_only_fields = [*Investigation.counterpart_fields, "created_at"]


class ResultSerializer(PortalSerializer):
    findings = serializers.CharField()
    measures = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=InvestigationOutcome.choices)
    public_reason = serializers.ChoiceField(
        choices=RevocationReason.choices, required=False, allow_blank=True, default=""
    )


class PublicationSerializer(PortalModelSerializer):
    publisher = serializers.CharField(source="side.code")
    files = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = ["publisher", "version", "published_at", "content_hash", "diff", "files"]

    def get_files(self, publication) -> dict:
        base = f"/public/agencies/{publication.side.code}/versions/{publication.version}"
        return {
            kind: {"url": f"{base}.{kind}", "sha256": getattr(publication, f"{kind}_sha256") or None}
            for kind in ("csv", "json", "html", "pdf")
        }


class PublicationDetailSerializer(PublicationSerializer):
    content = serializers.JSONField(source="snapshot")

    class Meta(PublicationSerializer.Meta):
        fields = [*PublicationSerializer.Meta.fields, "content"]
