"""Clause 3 at the core: who sees a confidential record, through every door."""

from datetime import timedelta

from django.utils import timezone

from portal import services
from portal.models import Correspondence, Organization
from portal.testing.matrix import ADMIN, BOTH_SIDES, MatrixTests, PermissionMatrix


class CorrespondenceMatrix(PermissionMatrix):
    situations = {
        "japan_draft": {"jp_contact"} | ADMIN,
        "tajik_draft": {"tj_contact"} | ADMIN,
        "tajik_shared": BOTH_SIDES | ADMIN,
        "tajik_shared_disclosed_to_embassy": BOTH_SIDES | {"embassy_viewer"} | ADMIN,
        "tajik_shared_consent_withdrawn": BOTH_SIDES | ADMIN,
        "tajik_shared_consent_expired": BOTH_SIDES | ADMIN,
    }
    html_list_url = "/correspondence/"
    api_list_url = "/api/v1/correspondence/"

    @staticmethod
    def html_detail_url(obj):
        return f"/correspondence/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/correspondence/{obj.pk}/"

    def make(self, situation, cast):
        japan_cp = Organization.objects.get(code="jp-isa-rmd")
        tajik_cp = Organization.objects.get(code="tj-ms-lpsa")
        embassy = Organization.objects.get(code="tj-embassy-jp")
        if situation == "japan_draft":
            return services.draft_correspondence(
                cast["jp_contact"], recipient=tajik_cp, subject=situation, body="…"
            )
        letter = services.draft_correspondence(
            cast["tj_contact"], recipient=japan_cp, subject=situation, body="…"
        )
        if situation == "tajik_draft":
            return letter
        services.send_correspondence(letter, cast["tj_contact"])
        if situation == "tajik_shared":
            return letter
        consent = services.grant_consent(
            letter,
            cast["tj_officer"],
            third_party=embassy,
            document_reference="No. 12/34 of 2026-11-01",
            expires_at=timezone.now() + timedelta(days=30),
        )
        if situation == "tajik_shared_consent_withdrawn":
            services.withdraw_consent(consent, cast["tj_contact"])
        if situation == "tajik_shared_consent_expired":
            type(consent).objects.filter(pk=consent.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            )
            services.revoke_lapsed_consents()
        return Correspondence.objects.get(pk=letter.pk)


class TestCorrespondenceMatrix(MatrixTests):
    matrix = CorrespondenceMatrix()
