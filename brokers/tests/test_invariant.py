"""Property (clause 3): no third party ever reads a broker report without the
originating side's live written consent.

Hypothesis draws sequences of what the two sides do — file a report, share it,
acknowledge it, consent in writing to a third party's reading it (a consent that later
lapses, or stays live), withdraw a consent, comment with or without a file, close the
report, run the job that tidies lapsed consents — each through the services, each
possibly refused. After every step, for both third parties (the Embassy and the
Ministry of Agriculture, Forestry and Fisheries), against a model of the consents kept
here, not read from the code under test:

- ``restrict()`` gives exactly the reports with a live consent naming that third party
  (and so never one without: ids ⊆ live consents);
- the API detail and the report's page answer 404 for every other report;
- of a report it may read, the originating side's facts are withheld unless the origin
  consented, the receiving side's (its outcome) unless that side consented;
- each side's comments and files are visible only with that side's consent — and none
  of the withheld texts appears in the API's answer or on the page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from brokers import services
from brokers.choices import Outcome
from brokers.models import MisconductReport
from portal.disclosure import hidden_fields, visible_attachments, visible_comments
from portal.exceptions import ServiceError
from portal.models import DisclosureConsent
from portal.records import services as kit
from portal.testing.files import PDF

pytestmark = pytest.mark.django_db

SIDES = ("jp", "tj")
THIRD_PARTIES = ("embassy_viewer", "maff_viewer")

report_index = st.integers(min_value=0, max_value=2)
side = st.sampled_from(SIDES)
third_party = st.sampled_from(THIRD_PARTIES)

STEP = st.one_of(
    st.tuples(st.just("file"), side, st.booleans()),
    st.tuples(st.just("share"), report_index),
    st.tuples(st.just("acknowledge"), report_index, side),
    # The last flag: the consent lapses afterwards (its expiry passes, nobody tidies).
    st.tuples(st.just("consent"), report_index, side, third_party, st.booleans()),
    st.tuples(st.just("consent"), report_index, side, third_party, st.booleans()),
    st.tuples(st.just("withdraw"), st.integers(min_value=0, max_value=5), side),
    st.tuples(st.just("comment"), report_index, side, st.booleans()),
    st.tuples(st.just("close"), report_index, side),
    st.tuples(st.just("tidy")),
)


@dataclass
class Report:
    obj: MisconductReport
    side: str
    secret: str
    #: (side, text) of each comment, (side, file name) of each file.
    comments: list = field(default_factory=list)
    files: list = field(default_factory=list)
    outcome: str | None = None


@dataclass
class Consent:
    obj: DisclosureConsent
    report: Report
    side: str
    third: str
    withdrawn: bool = False
    lapsed: bool = False

    @property
    def live(self) -> bool:
        return not (self.withdrawn or self.lapsed)


class World:
    """What the two sides did, as this test understands it."""

    def __init__(self, cast):
        self.cast = cast
        self.counter = itertools.count(1)
        self.reports: list[Report] = []
        self.consents: list[Consent] = []
        self.side_ids = {code: cast[f"{code}_officer"].organization.side_id for code in SIDES}
        self.brokers = {}
        for code in SIDES:
            officer = cast[f"{code}_officer"]
            record = services.record_broker(officer, name=f"Broker of {code}", kind="person", country="TJ")
            self.brokers[code] = services.share_broker(record, officer)
        self.clients = {}
        for name in THIRD_PARTIES:
            self.clients[name] = Client()
            self.clients[name].force_login(cast[name])

    def officer(self, code):
        return self.cast[f"{code}_officer"]

    def contact(self, code):
        return self.cast[f"{code}_contact"]

    def report(self, index) -> Report | None:
        return self.reports[index % len(self.reports)] if self.reports else None

    def live_sides(self, report: Report, third: str) -> set[str]:
        return {c.side for c in self.consents if c.report is report and c.third == third and c.live}

    # --- the steps ------------------------------------------------------------------

    def do(self, step) -> Report | None:
        """Attempt one step; a refusal is a valid outcome. Returns the report touched."""
        kind, *args = step
        with contextlib.suppress(ServiceError):
            return getattr(self, kind)(*args)
        return self.report(args[0]) if kind not in ("file", "withdraw", "tidy") and self.reports else None

    def file(self, code, share):
        if len(self.reports) >= 3:
            return None
        n = next(self.counter)
        secret = f"NARRATIVE{n}SECRET"
        obj = services.file_report(
            self.officer(code),
            brokers=[self.brokers[code]],
            categories="ae",
            held_amount=Decimal("2000"),
            held_currency="USD",
            held_items=f"Passports {secret}",
            fee_amount=Decimal("9000"),
            fee_currency="TJS",
            narrative=f"What happened: {secret}",
        )
        report = Report(obj, code, secret)
        self.reports.append(report)
        if share:
            self.share(len(self.reports) - 1)
        return report

    def share(self, index):
        report = self.report(index)
        if report is None:
            return None
        report.obj = services.share_report(report.obj, self.officer(report.side))
        return report

    def acknowledge(self, index, code):
        report = self.report(index)
        if report is None:
            return None
        kit.acknowledge(report.obj, self.contact(code))
        return report

    def consent(self, index, code, third, lapses):
        report = self.report(index)
        if report is None:
            return None
        obj = kit.grant_consent(
            report.obj,
            self.contact(code),
            third_party=self.cast[third].organization,
            document_reference=f"Letter {next(self.counter)}",
            expires_at=timezone.now() + dt.timedelta(days=30),
        )
        consent = Consent(obj, report, code, third)
        self.consents.append(consent)
        if lapses:  # time passes beyond its expiry; beat has not run
            DisclosureConsent.objects.filter(pk=obj.pk).update(
                expires_at=timezone.now() - dt.timedelta(seconds=1)
            )
            consent.lapsed = True
        return report

    def withdraw(self, index, code):
        if not self.consents:
            return None
        consent = self.consents[index % len(self.consents)]
        kit.withdraw_consent(consent.obj, self.contact(code))
        consent.withdrawn = True
        return consent.report

    def comment(self, index, code, with_file):
        report = self.report(index)
        if report is None:
            return None
        n = next(self.counter)
        text = f"COMMENT{n}{code.upper()}SECRET"
        files = [SimpleUploadedFile(f"evidence{n}{code}.pdf", PDF, "application/pdf")] if with_file else []
        kit.comment(report.obj, self.officer(code), text, files=files)
        report.comments.append((code, text))
        if with_file:
            report.files.append((code, f"evidence{n}{code}.pdf"))
        return report

    def close(self, index, code):
        report = self.report(index)
        if report is None:
            return None
        note = f"OUTCOME{next(self.counter)}SECRET"
        services.close_report(report.obj, self.contact(code), outcome=Outcome.MEASURES_TAKEN, note=note)
        report.outcome = note
        return report

    def tidy(self):
        kit.revoke_lapsed_consents()
        return None

    # --- the property ---------------------------------------------------------------

    def check(self, touched: list[Report], *, every_url=False) -> None:
        """The property now; the answers over HTTP for the reports ``touched`` (the API
        detail after a step; every answer, the page too, at the end)."""
        content_type = ContentType.objects.get_for_model(MisconductReport)
        for third in THIRD_PARTIES:
            viewer = self.cast[third]
            readable = set(MisconductReport.objects.restrict(viewer).values_list("pk", flat=True))
            live_in_db = set(
                DisclosureConsent.objects.active()
                .filter(content_type=content_type, third_party=viewer.organization)
                .values_list("object_id", flat=True)
            )
            expected = {report.obj.pk for report in self.reports if self.live_sides(report, third)}
            assert readable <= live_in_db, (third, readable - live_in_db)
            assert readable == expected, (third, readable, expected)
            for report in self.reports:
                if report.obj.pk in readable:
                    self.check_parts(report, viewer, third)
                    sides = self.live_sides(report, third)
                    event(
                        f"read with the consent of {'the origin' if report.side in sides else 'the other side only'}"
                    )
                elif any(c.report is report and c.third == third for c in self.consents):
                    event("not read: its consents lapsed or were withdrawn")
            for report in touched:
                self.check_answers(report, viewer, third, report.obj.pk in readable, every_url=every_url)

    def withheld(self, report: Report, third: str) -> list[str]:
        """The texts of ``report`` that ``third`` must not see now."""
        sides = self.live_sides(report, third)
        texts = [text for code, text in report.comments if code not in sides]
        texts += [name for code, name in report.files if code not in sides]
        if report.side not in sides:
            texts.append(report.secret)
        if report.outcome and ({"jp", "tj"} - {report.side}).isdisjoint(sides):
            texts.append(report.outcome)
        return texts

    def check_parts(self, report: Report, viewer, third: str) -> None:
        sides = self.live_sides(report, third)
        other = ({"jp", "tj"} - {report.side}).pop()
        obj = MisconductReport.objects.restrict(viewer).get(pk=report.obj.pk)
        hidden = hidden_fields(viewer, obj)
        for name in ("narrative", "held_items", "held_amount", "categories", "brokers"):
            assert (name in hidden) == (report.side not in sides), (name, report.side, sides)
        for name in ("outcome", "outcome_note", "closed_at", "acknowledged_at"):
            assert (name in hidden) == (other not in sides), (name, sides)
        comments = {row.text for row in visible_comments(obj, viewer)}
        assert comments == {text for code, text in report.comments if code in sides}
        files = {row.name for row in visible_attachments(obj, viewer)}
        assert files == {name for code, name in report.files if code in sides}

    def check_answers(self, report: Report, viewer, third: str, readable: bool, *, every_url=False) -> None:
        client = self.clients[third]
        pk = report.obj.pk
        urls = [f"/api/v1/broker-reports/{pk}/"]
        if every_url:
            urls += [f"/api/v1/broker-reports/{pk}/comments/", f"/brokers/reports/{pk}/"]
        for url in urls:
            response = client.get(url)
            assert response.status_code == (200 if readable else 404), (url, response.status_code)
            body = response.content.decode()
            for text in self.withheld(report, third) if readable else [report.secret]:
                assert text not in body, (url, text)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=st.tuples(st.just("file"), side, st.just(True)), steps=st.lists(STEP, max_size=9))
def test_no_third_party_reads_a_report_without_the_origins_live_written_consent(cast, first, steps):
    with transaction.atomic():
        world = World(cast)
        for step in [first, *steps]:
            touched = world.do(step)
            # Over HTTP after a consent is given or withdrawn; every answer at the end.
            world.check([touched] if touched and step[0] in ("consent", "withdraw") else [])
        world.check(world.reports, every_url=True)
        transaction.set_rollback(True)
