"""Clause 3 for brokers and their misconduct reports: who sees each, through the HTML
list and page and the API list and detail, for reports of each side, draft and shared,
with and without written consent, expired and withdrawn — exact ids in every list
(``portal.testing.matrix``)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from brokers import services
from brokers.models import Broker, MisconductReport
from portal.models import Organization
from portal.records import services as kit
from portal.testing.matrix import ADMIN, BOTH_SIDES, MatrixTests, PermissionMatrix

SHARED = BOTH_SIDES | ADMIN
CONSENTED = SHARED | {"maff_viewer"}


def _broker(actor, name, *, share=True):
    broker = services.record_broker(actor, name=name, kind="person", country="TJ")
    return services.share_broker(broker, actor) if share else broker


def _consent(record, contact, *, state="live"):
    consent = kit.grant_consent(
        record,
        contact,
        third_party=Organization.objects.get(code="jp-maff"),
        document_reference="Letter 12/34",
        expires_at=timezone.now() + timedelta(days=30),
    )
    if state == "withdrawn":
        kit.withdraw_consent(consent, contact)
    elif state == "expired":
        type(consent).objects.filter(pk=consent.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        kit.revoke_lapsed_consents()


class ReportMatrix(PermissionMatrix):
    situations = {
        "japan_draft": {"jp_officer"} | ADMIN,
        "tajik_draft": {"tj_officer"} | ADMIN,
        "tajik_shared": SHARED,
        "japan_shared": SHARED,
        "tajik_shared_disclosed_by_tajikistan": CONSENTED,
        "japan_shared_disclosed_by_japan": CONSENTED,
        # The receiving side consents for its own part alone: the report is readable,
        # the reporting side's part withheld (tests/test_confidentiality.py's rule).
        "tajik_shared_disclosed_by_japan": CONSENTED,
        "tajik_shared_consent_withdrawn": SHARED,
        "tajik_shared_consent_expired": SHARED,
    }
    html_list_url = "/brokers/"
    api_list_url = "/api/v1/broker-reports/"

    @staticmethod
    def html_detail_url(obj):
        return f"/brokers/reports/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/broker-reports/{obj.pk}/"

    def make(self, situation, cast):
        side = "jp" if situation.startswith("japan") else "tj"
        author = cast[f"{side}_officer"]
        report = services.file_report(
            author,
            brokers=[_broker(author, f"Broker {situation}")],
            categories="a",
            held_amount=Decimal("100"),
            held_currency="USD",
            held_items="Passport",
            narrative=situation,
        )
        if situation.endswith("draft"):
            return report
        report = services.share_report(report, author)
        if "disclosed_by_japan" in situation:
            _consent(report, cast["jp_contact"])
        elif "disclosed_by_tajikistan" in situation:
            _consent(report, cast["tj_contact"])
        elif situation.endswith("withdrawn"):
            _consent(report, cast["tj_contact"], state="withdrawn")
        elif situation.endswith("expired"):
            _consent(report, cast["tj_contact"], state="expired")
        return MisconductReport.objects.get(pk=report.pk)


class TestReportMatrix(MatrixTests):
    matrix = ReportMatrix()


class BrokerMatrix(PermissionMatrix):
    situations = {
        "japan_draft": {"jp_officer"} | ADMIN,
        "tajik_draft": {"tj_officer"} | ADMIN,
        "tajik_shared": SHARED,
        "japan_shared_disclosed_by_japan": CONSENTED,
        "tajik_shared_consent_withdrawn": SHARED,
        "tajik_shared_consent_expired": SHARED,
    }
    api_list_url = "/api/v1/brokers/"

    @staticmethod
    def html_detail_url(obj):
        return f"/brokers/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/brokers/{obj.pk}/"

    def make(self, situation, cast):
        side = "jp" if situation.startswith("japan") else "tj"
        broker = _broker(
            cast[f"{side}_officer"], f"Broker {situation}", share=not situation.endswith("draft")
        )
        if "disclosed_by_japan" in situation:
            _consent(broker, cast["jp_contact"])
        elif situation.endswith("withdrawn"):
            _consent(broker, cast["tj_contact"], state="withdrawn")
        elif situation.endswith("expired"):
            _consent(broker, cast["tj_contact"], state="expired")
        return Broker.objects.get(pk=broker.pk)


class TestBrokerMatrix(MatrixTests):
    matrix = BrokerMatrix()
