"""Data and path parameters for the API fuzzing (``tests/test_api_fuzz.py``).

Random path parameters almost never name a record that exists, so without help the
fuzzer would only ever see 404s on detail and action endpoints. ``populate`` creates one
record in each state the API can show, made through the services as an officer would;
``existing_path_parameters`` offers their ids to the fuzzer next to the random ones."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.utils import timezone

#: The ids of the records ``populate`` made for the running tests, by resource (the
#: first segment after ``/api/v1/``). Set by the tests' fixture before Hypothesis
#: draws, read while it draws: the strategies are built once, at collection.
current: dict[str, list] = {}


def populate(cast) -> dict[str, list]:
    """Agencies in four states with their screenings and events, an investigation,
    letters both ways (a draft, a sent one), a consent, notifications, a published list
    for each side. Returns the ids by resource; ``agency-events`` maps an agency id to
    its events' ids."""
    from agencies import services as agency_services
    from agencies.choices import RevocationReason
    from agencies.models import AgencyEvent, Screening
    from agencies.publication import AGENCY_LIST
    from agencies.testing import certified, register, screen
    from portal import services
    from portal.models import Memorandum, Notification, Organization
    from portal.publication.publishing import publish_lists

    tj_officer, tj_contact, jp_officer, jp_contact = (
        cast["tj_officer"],
        cast["tj_contact"],
        cast["jp_officer"],
        cast["jp_contact"],
    )
    application = register(tj_officer)
    under_screening = register(tj_officer)
    screen(under_screening, tj_officer)
    certified_agency = certified(tj_officer)
    revoked = certified(tj_officer)
    agency_services.revoke(revoked, tj_officer, reason="Fuzzing", public_reason=RevocationReason.OTHER)
    investigation = agency_services.report_for_investigation(
        jp_officer, certified_agency, facts="Fuzzing", due_on=timezone.localdate() + dt.timedelta(days=20)
    )

    japan, tajikistan = (
        Organization.objects.get(code="jp-isa-rmd"),
        Organization.objects.get(code="tj-ms-lpsa"),
    )
    draft = services.draft_correspondence(tj_contact, recipient=japan, subject="Draft", body="Not sent")
    sent = services.draft_correspondence(tj_contact, recipient=japan, subject="Sent", body="Sent")
    services.send_correspondence(sent, tj_contact)
    incoming = services.draft_correspondence(jp_contact, recipient=tajikistan, subject="Reply", body="Reply")
    services.send_correspondence(incoming, jp_contact)
    consent = services.grant_consent(
        sent,
        tj_contact,
        third_party=Organization.objects.get(code="tj-embassy-jp"),
        document_reference="Fuzzing letter 1",
        expires_at=timezone.now() + dt.timedelta(days=10),
    )
    # A pending request for written consent, so /consent-requests/{id}/… reach the service.
    request = services.request_consent(
        incoming,
        tj_contact,
        third_party=Organization.objects.get(code="jp-maff"),
        side=japan.side,
        purpose="Fuzzing",
        requested_until=timezone.localdate() + dt.timedelta(days=10),
    )
    publications = publish_lists(AGENCY_LIST, certified_agency.memorandum)
    brokers, broker_reports = _brokers(cast)

    agencies = [application, under_screening, certified_agency, revoked]
    return {
        "agencies": [agency.pk for agency in agencies],
        "agency-events": {
            agency.pk: list(AgencyEvent.objects.filter(agency=agency).values_list("pk", flat=True))
            for agency in agencies
        },
        "screenings": list(Screening.objects.values_list("pk", flat=True)),
        "investigations": [investigation.pk],
        "correspondence": [draft.pk, sent.pk, incoming.pk],
        "consents": [consent.pk],
        "consent-requests": [request.pk],
        "notifications": list(Notification.objects.values_list("pk", flat=True)),
        "memoranda": list(Memorandum.objects.values_list("pk", flat=True)),
        "organizations": list(Organization.objects.values_list("pk", flat=True)),
        "published-agency-lists": sorted({publication.version for publication in publications}),
        "brokers": brokers,
        "broker-reports": broker_reports,
    }


def _brokers(cast) -> tuple[list, list]:
    """Brokers and misconduct reports in the states the API acts on: Tajikistan's
    contact point's draft broker and draft report (the tokens' own), a shared broker of
    each side, a Japanese report shared with Tajikistan and one it acknowledged."""
    from decimal import Decimal

    from brokers import services as broker_services
    from portal.records import services as kit

    tj_contact, jp_officer = cast["tj_contact"], cast["jp_officer"]
    draft = broker_services.record_broker(tj_contact, name="Раҳимов Фаррух", kind="person", country="TJ")
    tajik = broker_services.share_broker(
        broker_services.record_broker(tj_contact, name="Ғафуров Ҷамшед", kind="person", country="TJ"),
        tj_contact,
    )
    japanese = broker_services.share_broker(
        broker_services.record_broker(jp_officer, name="ラヒモフ・ファルフ", kind="person", country="TJ"),
        jp_officer,
    )
    facts = {"categories": "e", "fee_amount": Decimal("100"), "fee_currency": "TJS", "narrative": "Fuzzing"}
    draft_report = broker_services.file_report(tj_contact, brokers=[draft], **facts)
    shared = broker_services.share_report(
        broker_services.file_report(jp_officer, brokers=[japanese], **facts), jp_officer
    )
    acknowledged = kit.acknowledge(
        broker_services.share_report(
            broker_services.file_report(jp_officer, brokers=[tajik], **facts), jp_officer
        ),
        tj_contact,
    )
    return [draft.pk, tajik.pk, japanese.pk], [draft_report.pk, shared.pk, acknowledged.pk]


def existing_path_parameters(path: str) -> list[dict[str, str]]:
    """Path parameters naming records of ``current`` for an operation's path template,
    e.g. ``/api/v1/agencies/{id}/events/{event_id}/acknowledge/``: one set per record,
    with the events of that very agency for ``event_id``."""
    segments = path.strip("/").split("/")
    resource = segments[2] if len(segments) > 2 else ""
    ids = current.get(resource, [])
    if "{id}" in segments and "{event_id}" in segments:
        events = current.get("agency-events", {})
        return [{"id": str(pk), "event_id": str(event)} for pk in ids for event in events.get(pk, [])]
    if "{id}" in segments:
        return [{"id": str(pk)} for pk in ids]
    if "{version}" in segments:  # an integer in the schema, unlike the ids
        return [{"version": version} for version in ids]
    return []


@contextmanager
def connection_kept_across_requests():
    """Django closes the database connection at the start and end of each request; the
    test client stops that, and so must a client that calls the WSGI application
    itself, or the first request would close the connection holding the test's
    transaction."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
