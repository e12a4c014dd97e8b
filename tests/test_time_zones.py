"""Issue 10, item 8: times with their zone (the viewer's side's), dates computed in it.

Tajikistan is UTC+5, Japan UTC+9. At 16:30 UTC on 6 December it is 21:30 on the 6th in
Dushanbe and 01:30 on the 7th in Tokyo: every moment below is chosen in that window,
where the two sides' dates differ. Records are stored with fixed datetimes (updated in
the real database); where a service computes "today" the test fixes Python's clock
(``timezone.now``), never the database's."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from agencies import services as agency_services
from agencies.choices import AgencyStatus
from agencies.models import AgencyEvent, Investigation, SendingAgency
from agencies.testing import certified, register
from portal import timezones

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

UTC = dt.UTC
DUSHANBE, TOKYO = zoneinfo.ZoneInfo("Asia/Dushanbe"), zoneinfo.ZoneInfo("Asia/Tokyo")
#: 21:30 on the 6th in Dushanbe, 01:30 on the 7th in Tokyo.
EVENING = dt.datetime(2026, 12, 6, 16, 30, tzinfo=UTC)


def render(text: str, **context) -> str:
    return Template("{% load times %}" + text).render(Context(context))


@pytest.fixture
def clock(monkeypatch):
    """``clock(moment)`` fixes Python's clock (not the database's) at ``moment``."""

    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


# --- One format everywhere ------------------------------------------------------------------


def test_a_time_says_its_zone_and_its_instant():
    with timezone.override(DUSHANBE):
        assert render("{{ t|when }}", t=EVENING) == (
            '<time datetime="2026-12-06T21:30:00+05:00">2026-12-06 21:30 (UTC+5)</time>'
        )
    with timezone.override(TOKYO):
        assert render("{{ t|when }}", t=EVENING) == (
            '<time datetime="2026-12-07T01:30:00+09:00">2026-12-07 01:30 (UTC+9)</time>'
        )
        assert render('{{ t|when:"seconds" }}', t=EVENING.replace(second=7)).endswith(
            ">2026-12-07 01:30:07 (UTC+9)</time>"
        )


def test_a_datetime_s_date_is_the_reader_s_date():
    with timezone.override(DUSHANBE):
        assert render("{{ t|day }}", t=EVENING) == '<time datetime="2026-12-06">2026-12-06</time>'
    with timezone.override(TOKYO):
        assert render("{{ t|day }}", t=EVENING) == '<time datetime="2026-12-07">2026-12-07</time>'
        # A date is a date: no zone moves it.
        assert (
            render("{{ d|day }}", d=dt.date(2026, 12, 6)) == '<time datetime="2026-12-06">2026-12-06</time>'
        )


def test_nothing_to_show_is_empty_and_can_take_a_default():
    assert render('{{ t|when|default:"—" }} {{ t|day|default:"—" }}', t=None) == "— —"


def test_offsets_that_are_not_whole_hours():
    kolkata = dt.datetime(2026, 12, 6, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Kolkata"))
    assert timezones.offset_label(kolkata) == "UTC+5:30"
    assert timezones.offset_label(EVENING) == "UTC"
    assert timezones.offset_label(EVENING.astimezone(zoneinfo.ZoneInfo("America/New_York"))) == "UTC-5"


# --- Whose zone ------------------------------------------------------------------------------


def test_each_reader_s_zone(cast):
    assert timezones.zone_for(cast["tj_officer"]) == DUSHANBE
    assert timezones.zone_for(cast["tj_contact"]) == DUSHANBE
    assert timezones.zone_for(cast["jp_contact"]) == TOKYO
    # A third party and the public read Japan's clock (documented in portal.timezones).
    assert timezones.zone_for(cast["embassy_viewer"]) == TOKYO
    assert timezones.zone_for(None) == TOKYO


@pytest.fixture
def reported_in_the_evening(reported_investigation):
    """Japan's report, stored as made at 16:30 UTC on 6 December."""
    Investigation.objects.filter(pk=reported_investigation.pk).update(created_at=EVENING, shared_at=EVENING)
    reported_investigation.refresh_from_db()
    return reported_investigation


def shown_times(html: str) -> list[str]:
    return re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', html)


@pytest.mark.parametrize(
    "reader, day, shown",
    [
        ("tj_contact", "2026-12-06", "2026-12-06 21:30 (UTC+5)"),
        ("jp_contact", "2026-12-07", "2026-12-07 01:30 (UTC+9)"),
    ],
)
def test_an_officer_reads_times_on_their_side_s_clock(
    client_for, reported_in_the_evening, reader, day, shown
):
    investigation = reported_in_the_evening
    page = client_for(reader).get(investigation.get_absolute_url()).content.decode()
    assert shown in [text for _iso, text in shown_times(page)]
    listed = client_for(reader).get("/agencies/investigations/").content.decode()
    assert (day, day) in shown_times(listed)


def test_every_time_on_an_officer_page_says_its_zone(client_for, reported_in_the_evening):
    page = client_for("tj_contact").get(reported_in_the_evening.get_absolute_url()).content.decode()
    times = shown_times(page)
    moments = [text for iso, text in times if "T" in iso]
    assert moments and all(text.endswith("(UTC+5)") for text in moments), times
    assert all(iso.endswith("+05:00") for iso, _text in times if "T" in iso)
    # No bare "H:M" time outside a <time> element.
    outside = re.sub(r"<time[^>]*>.*?</time>", "", page)
    assert not re.search(r"\b20\d\d-\d\d-\d\d \d\d:\d\d\b", outside)


def test_a_third_party_and_the_public_read_japan_s_clock(client_for, cast, reported_in_the_evening):
    from portal import services

    services.grant_consent(
        reported_in_the_evening,
        cast["tj_contact"],
        third_party=cast["embassy_viewer"].organization,
        document_reference="WC-TZ-1",
        expires_at=EVENING + dt.timedelta(days=30),
    )
    page = client_for("embassy_viewer").get("/consents/").content.decode()
    assert ("2027-01-06T01:30:00+09:00", "2027-01-06 01:30 (UTC+9)") in shown_times(page)


def test_the_zone_is_remembered_for_the_session(client_for):
    """A page does not pay a query for its reader's zone once the session knows it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("tj_officer")
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    assert client.session[timezones.SESSION_KEY][1] == "TJ"
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    asks = [q["sql"] for q in first.captured_queries if 'AS "side__country"' in q["sql"]]
    assert len(asks) == 1
    assert not [q["sql"] for q in second.captured_queries if 'AS "side__country"' in q["sql"]]


def test_the_api_keeps_iso_8601_with_its_offset(client_for, reported_in_the_evening):
    body = client_for("tj_contact").get(f"/api/v1/investigations/{reported_in_the_evening.pk}/").json()
    created = dt.datetime.fromisoformat(body["created_at"].replace("Z", "+00:00"))
    assert created.utcoffset() is not None
    assert created == EVENING


# --- Dates computed in that zone -------------------------------------------------------------


def test_an_investigation_s_title_has_the_reader_s_date(reported_in_the_evening):
    with timezone.override(DUSHANBE):
        assert str(reported_in_the_evening).endswith("— 2026-12-06")
    with timezone.override(TOKYO):
        assert str(reported_in_the_evening).endswith("— 2026-12-07")


def test_an_investigation_page_shows_one_date_in_its_title_and_body(client_for, reported_in_the_evening):
    """The title's date and the date the page shows are the same day (it was the UTC
    date in one and the local date in the other)."""
    with timezone.override(DUSHANBE):
        title = str(reported_in_the_evening)
    page = client_for("tj_contact").get(reported_in_the_evening.agency.get_absolute_url()).content.decode()
    assert title.rsplit(" ", 1)[1] == "2026-12-06"
    assert '<time datetime="2026-12-06">2026-12-06</time> —' in page


def test_an_event_is_effective_on_the_acting_side_s_date(cast, clock):
    clock(EVENING)  # 21:30 in Dushanbe, already the 7th in Tokyo (the default zone)
    agency = register(cast["tj_officer"])
    event = AgencyEvent.objects.filter(agency=agency).get()
    assert event.effective_on == dt.date(2026, 12, 6)
    agency_services.update_agency(agency, cast["tj_officer"], city="Dushanbe")
    assert AgencyEvent.objects.filter(agency=agency).latest("pk").effective_on == dt.date(2026, 12, 6)


def test_a_due_date_is_in_the_future_on_the_reporting_side_s_clock(cast, clock):
    with timezone.override(DUSHANBE):  # a request served in Tajikistan's zone
        agency = certified(cast["tj_officer"])
    clock(EVENING)
    from portal.exceptions import InvalidInput

    # Japan reports at 01:30 on the 7th in Tokyo: the 7th is not in the future there,
    # although it is in Dushanbe (the zone of the request below).
    with timezone.override(DUSHANBE), pytest.raises(InvalidInput):
        agency_services.report_for_investigation(
            cast["jp_officer"], agency, facts="Facts", due_on=dt.date(2026, 12, 7)
        )
    report = agency_services.report_for_investigation(
        cast["jp_officer"], agency, facts="Facts", due_on=dt.date(2026, 12, 8)
    )
    assert report.due_on == dt.date(2026, 12, 8)


def test_a_certification_expires_after_its_last_day_in_the_certifying_side(cast, clock):
    agency = certified(cast["tj_officer"])
    SendingAgency.objects.filter(pk=agency.pk).update(valid_until=dt.date(2026, 12, 6))
    # The beat runs at 00:15 in Tokyo: 20:15 on the last valid day in Dushanbe.
    clock(dt.datetime(2026, 12, 6, 15, 15, tzinfo=UTC))
    assert agency_services.expire_certifications() == 0
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.CERTIFIED
    # 00:15 on the 7th in Dushanbe: the certification has ended.
    clock(dt.datetime(2026, 12, 6, 19, 15, tzinfo=UTC))
    assert agency_services.expire_certifications() == 1
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.EXPIRED


def test_days_left_on_the_home_page_are_counted_on_the_reader_s_clock(
    client_for, reported_in_the_evening, clock
):
    Investigation.objects.filter(pk=reported_in_the_evening.pk).update(due_on=dt.date(2026, 12, 8))
    clock(EVENING)  # the 6th in Dushanbe, the 7th in Tokyo
    response = client_for("tj_contact").get("/")
    rows = {
        row["record"].pk: row
        for card in response.context["home_cards"]
        for row in (card["context"] or {}).get("rows", [])
        if "days" in row
    }
    assert rows[reported_in_the_evening.pk]["days"] == 2


def test_an_e_mail_is_rendered_on_its_recipient_s_clock(cast):
    with timezones.override_for(cast["tj_contact"]):
        assert render("{{ t|when }}", t=EVENING).endswith(">2026-12-06 21:30 (UTC+5)</time>")
    with timezones.override_for(cast["jp_contact"]):
        assert render("{{ t|when }}", t=EVENING).endswith(">2026-12-07 01:30 (UTC+9)</time>")


# --- A label that says a range ---------------------------------------------------------------


@pytest.mark.parametrize(
    "language, label",
    [("ja", "認定期間"), ("en", "Certification period"), ("ru", "Срок действия сертификации")],
)
def test_the_certification_period_is_labelled_as_a_period(client_for, cast, language, label):
    from django.utils import translation

    agency = certified(cast["tj_officer"])
    client = client_for("tj_officer")
    client.cookies["portal_language"] = language
    with translation.override(language):
        page = client.get(agency.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<dt>{label}</dt><dd>" in page
    assert "<dt>認定日</dt>" not in page


@pytest.mark.parametrize(
    "reader, path, zone",
    [
        ("tj_officer", "/", "Asia/Dushanbe"),
        ("jp_officer", "/", "Asia/Tokyo"),
        ("embassy_viewer", "/", "Asia/Tokyo"),
        (None, "/", "Asia/Tokyo"),
        # The public site is rendered once for every visitor: Japan's clock for everyone.
        ("tj_officer", "/public/", "Asia/Tokyo"),
        (None, "/public/", "Asia/Tokyo"),
    ],
)
def test_the_zone_a_request_is_served_in(rf, cast, reader, path, zone):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    from portal.middleware import TimeZoneMiddleware

    seen = []
    request = rf.get(path)
    request.session = SessionStore()
    request.user = cast[reader] if reader else AnonymousUser()
    TimeZoneMiddleware(lambda request: seen.append(timezone.get_current_timezone_name()))(request)
    assert seen == [zone]
    assert timezone.get_current_timezone_name() == "Asia/Tokyo"  # and nothing leaks to the next


@pytest.mark.django_db
def test_a_reference_takes_its_year_on_the_originating_side_s_clock(cast):
    """At 18:30 UTC on New Year's Eve it is 23:30 in Dushanbe and already 03:30 on 1
    January in Tokyo: a Tajik record made then is numbered in the old year."""
    from portal import services
    from portal.records.references import prefix_for

    letter = services.draft_correspondence(
        cast["tj_contact"], recipient=cast["jp_contact"].organization, subject="New Year", body="Body"
    )
    letter.created_at = dt.datetime(2026, 12, 31, 18, 30, tzinfo=dt.UTC)
    with timezone.override("Asia/Tokyo"):  # a Japanese officer's request, say
        assert prefix_for(letter) == "TJ-LET-2026"
