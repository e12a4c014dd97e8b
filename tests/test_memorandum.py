"""Clauses 9 and 10 through the services, the Memorandum page, the API and admin: only a
contact-point officer records a termination notice (once) or an amendment (with both
sides' written consent); each is audited and told to the other side's contact point."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from portal import policies, services
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import Amendment, AuditEntry, Memorandum, Notification

JAPAN_CP, TAJIK_CP = "jp-isa-rmd", "tj-ms-lpsa"


@pytest.fixture
def memorandum(cast):
    return Memorandum.objects.get(partner_country="TJ")


def _amendment(**overrides):
    values = {
        "agreed_on": timezone.localdate() - timedelta(days=3),
        "summary_en": "Annex on the exchange of statistics.",
        "summary_ja": "統計の交換に関する附属書",
        "japan_consent_reference": "MOFA-2026-117",
        "partner_consent_reference": "MFA-TJ-2026-42",
    }
    return {**values, **overrides}


def _inbox(code, kind):
    return Notification.objects.filter(organization__code=code, kind=kind)


# --- Services ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["jp_officer", "jp_analyst", "tj_officer", "tj_analyst", "embassy_viewer", "admin"]
)
def test_only_a_contact_point_officer_records(cast, memorandum, name):
    with pytest.raises(PermissionDenied):
        services.notify_termination(memorandum, cast[name], notified_on=date(2026, 12, 1))
    with pytest.raises(PermissionDenied):
        services.record_amendment(memorandum, cast[name], **_amendment())
    assert not policies.can(policies.check_terminate, cast[name], memorandum)
    assert not policies.can(policies.check_amend, cast[name], memorandum)
    memorandum.refresh_from_db()
    assert memorandum.termination_notified_on is None and not memorandum.amendments.exists()
    assert not AuditEntry.objects.filter(action__startswith="memorandum.").exists()


def test_termination_notice_is_audited_once_and_told_to_the_other_side(
    cast, memorandum, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_termination(memorandum, cast["jp_contact"], notified_on=date(2026, 8, 31))
    memorandum.refresh_from_db()
    assert memorandum.ends_on == date(2027, 2, 28)  # six months later, clamped to the month end
    assert memorandum.termination_notified_by.country == "JP"
    entry = AuditEntry.objects.get(action="memorandum.termination_notified")
    assert entry.actor == cast["jp_contact"]
    item = _inbox(TAJIK_CP, "memorandum.termination_notified").get()
    assert "2027-02-28" in item.message
    assert not _inbox(JAPAN_CP, "memorandum.termination_notified").exists()

    with pytest.raises(TransitionError):
        services.notify_termination(memorandum, cast["tj_contact"], notified_on=date(2026, 9, 1))
    assert not policies.can(policies.check_terminate, cast["tj_contact"], memorandum)
    assert AuditEntry.objects.filter(action="memorandum.termination_notified").count() == 1


@pytest.mark.parametrize("missing", ["japan_consent_reference", "partner_consent_reference"])
def test_an_amendment_needs_both_written_consents(cast, memorandum, missing):
    with pytest.raises(InvalidInput):
        services.record_amendment(memorandum, cast["tj_contact"], **_amendment(**{missing: "  "}))
    assert not Amendment.objects.exists()
    assert not AuditEntry.objects.filter(action="memorandum.amended").exists()


def test_an_amendment_is_not_agreed_in_the_future(cast, memorandum):
    with pytest.raises(InvalidInput):
        services.record_amendment(
            memorandum, cast["tj_contact"], **_amendment(agreed_on=timezone.localdate() + timedelta(days=1))
        )
    assert not Amendment.objects.exists()


def test_an_amendment_is_audited_and_told_to_the_other_side(
    cast, memorandum, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        amendment = services.record_amendment(memorandum, cast["tj_contact"], **_amendment())
    assert amendment.memorandum == memorandum
    assert amendment.partner_consent_reference == "MFA-TJ-2026-42"
    entry = AuditEntry.objects.get(action="memorandum.amended")
    assert entry.actor == cast["tj_contact"]
    assert _inbox(JAPAN_CP, "memorandum.amended").count() == 1
    assert not _inbox(TAJIK_CP, "memorandum.amended").exists()


# --- Pages ------------------------------------------------------------------------------


def test_the_page_offers_the_forms_to_contact_points_only(client_for, memorandum):
    terminate = f"/memorandum/{memorandum.pk}/terminate/"
    amend = f"/memorandum/{memorandum.pk}/amendments/new/"
    for name in ["jp_contact", "tj_contact"]:
        html = client_for(name).get(memorandum.get_absolute_url()).content.decode()
        assert terminate in html and amend in html
    for name in ["jp_officer", "tj_analyst", "embassy_viewer", "admin"]:
        html = client_for(name).get(memorandum.get_absolute_url()).content.decode()
        assert terminate not in html and amend not in html


def test_a_refused_notice_is_shown_on_the_form(client_for, memorandum):
    response = client_for("tj_officer").post(
        f"/memorandum/{memorandum.pk}/terminate/", {"notified_on": "2026-08-31"}
    )
    assert response.status_code == 200
    assert "contact-point officer" in response.content.decode()
    memorandum.refresh_from_db()
    assert memorandum.termination_notified_on is None


def test_termination_page_records_the_notice_and_shows_the_end_date(client_for, memorandum):
    client = client_for("tj_contact")
    form = client.get(f"/memorandum/{memorandum.pk}/terminate/")
    assert form.status_code == 200
    today = timezone.localdate()
    from portal.models import add_months

    assert add_months(today, 6).isoformat() in form.content.decode()  # what a notice today means

    response = client.post(
        f"/memorandum/{memorandum.pk}/terminate/", {"notified_on": "2027-08-31"}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2028-02-29" in html  # six months later, clamped to the end of a leap February
    assert f"/memorandum/{memorandum.pk}/terminate/" not in html  # no second notice offered

    again = client.post(f"/memorandum/{memorandum.pk}/terminate/", {"notified_on": "2027-09-01"})
    assert again.status_code == 200  # the form again, with the refusal
    assert "already been recorded" in again.content.decode()
    assert AuditEntry.objects.filter(action="memorandum.termination_notified").count() == 1


def test_amendment_page_records_the_amendment(client_for, memorandum):
    client = client_for("jp_contact")
    data = {**_amendment(), "agreed_on": _amendment()["agreed_on"].isoformat()}
    refused = client.post(
        f"/memorandum/{memorandum.pk}/amendments/new/", {**data, "partner_consent_reference": ""}
    )
    assert refused.status_code == 200 and not Amendment.objects.exists()
    response = client.post(f"/memorandum/{memorandum.pk}/amendments/new/", data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Annex on the exchange of statistics." in html and "MFA-TJ-2026-42" in html
    assert Amendment.objects.count() == 1


# --- API --------------------------------------------------------------------------------


def test_api_terminate_once(client_for, memorandum):
    url = f"/api/v1/memoranda/{memorandum.pk}/terminate/"
    assert client_for("jp_officer").post(url, {"notified_on": "2026-08-31"}).status_code == 403
    response = client_for("tj_contact").post(url, {"notified_on": "2026-08-31"})
    assert response.status_code == 200
    assert response.json()["ends_on"] == "2027-02-28"
    assert client_for("jp_contact").post(url, {"notified_on": "2026-09-01"}).status_code == 409


def test_api_amendments(client_for, memorandum):
    url = f"/api/v1/memoranda/{memorandum.pk}/amendments/"
    data = {**_amendment(), "agreed_on": _amendment()["agreed_on"].isoformat()}
    assert client_for("tj_officer").post(url, data).status_code == 403
    assert client_for("tj_contact").post(url, {**data, "japan_consent_reference": ""}).status_code == 400
    response = client_for("tj_contact").post(url, data)
    assert response.status_code == 201
    listed = client_for("embassy_viewer").get(f"/api/v1/memoranda/{memorandum.pk}/").json()["amendments"]
    assert [row["japan_consent_reference"] for row in listed] == ["MOFA-2026-117"]


# --- Admin ------------------------------------------------------------------------------


def test_admin_shows_the_clauses_fields_read_only(client_for, cast, memorandum):
    services.record_amendment(memorandum, cast["jp_contact"], **_amendment())
    services.notify_termination(memorandum, cast["tj_contact"], notified_on=date(2026, 8, 31))
    admin = client_for("admin")
    url = f"/admin/portal/memorandum/{memorandum.pk}/change/"
    response = admin.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="termination_notified_on"' not in html and 'name="termination_notified_by"' not in html
    assert '<div class="readonly">Aug. 31, 2026</div>' in html  # the notice, shown
    assert '<div class="readonly">2027-02-28</div>' in html  # and the end date
    assert "MOFA-2026-117" in html  # the amendment is shown
    assert 'name="amendments-0-japan_consent_reference"' not in html
    assert 'name="amendments-0-summary_en"' not in html
    # A forged POST of the fields changes nothing.
    before = Memorandum.objects.filter(pk=memorandum.pk).values().get()
    admin.post(url, {"termination_notified_on": "", "termination_notified_by": ""})
    assert (
        Memorandum.objects.filter(pk=memorandum.pk).values().get()["termination_notified_on"]
        == (before["termination_notified_on"])
    )


def test_the_amendment_form_refuses_control_characters(client_for):
    from portal.models import Memorandum

    memorandum = Memorandum.objects.order_by("pk").first()
    response = client_for("jp_contact").post(
        f"/memorandum/{memorandum.pk}/amendments/new/",
        {
            "agreed_on": "2026-01-05",
            "summary_en": "Adds\x07 a sector",  # a control character the middleware lets through
            "japan_consent_reference": "JP-1",
            "partner_consent_reference": "TJ-1",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["summary_en"]
    assert not memorandum.amendments.exists()
