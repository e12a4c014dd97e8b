"""Return facilitation (clause 8): the services and their refusals, who reads the
persons' personal data (values, the mask, or nothing) on every page and API read, one
audit entry per read that shows them, and their erasure after the memorandum's period.
The write matrix is ``test_returns_matrix.py``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from notices.models import NoticeTerms, ReturnPerson, ReturnRequest, ReturnStep
from notices.returns import services
from notices.returns.choices import ReturnState
from notices.returns.testing import person
from portal import hooks
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import AuditEntry, DisclosureConsent, Notification, Organization
from portal.records import services as kit
from portal.records.models import Attachment, RecordEvent
from portal.testing.files import PDF
from portal.timezones import today_in

pytestmark = pytest.mark.django_db

#: Personal data no reader but the contact points and the Embassy may meet.
NAME, PLACE, KIN = "Zarafshonova Tahmina", "Gifu dormitory room 12", "Daughter Malika"


def _days(n: int) -> dt.date:
    return today_in("JP") + dt.timedelta(days=n)


def _request(cast, **more):
    return services.create_request(
        cast["jp_contact"],
        persons=[person(full_name=NAME, whereabouts=PLACE, dependants=KIN, **more), person()],
    )


def _viewed(record) -> int:
    return AuditEntry.objects.filter(action="return.personal_data_viewed", object_id=str(record.pk)).count()


def test_services_refuse_bad_input_and_save_nothing_half(cast):
    jp, tj, embassy = cast["jp_contact"], cast["tj_contact"], cast["embassy_viewer"]
    for actor in (cast["jp_officer"], tj, cast["jp_analyst"], embassy):
        with pytest.raises(PermissionDenied):
            services.create_request(actor, persons=[person()])
    bad = [
        ([], "at least one person"),
        ([person(date_of_birth=_days(1))], "Person 1: Date of birth"),
        ([person(), person(residence_status="tourist")], "Person 2: Status of residence"),
        ([person(), person(whereabouts="  ")], "Person 2: Missing: Where the person is"),
        ([person(date_of_birth="12/03/1990")], "YYYY-MM-DD"),
    ]
    for persons, message in bad:
        with pytest.raises(InvalidInput) as refused:
            services.create_request(jp, persons=[{**p, "full_name": NAME} for p in persons])
        assert message in refused.value.message and NAME not in refused.value.message
    assert not ReturnRequest.objects.exists() and not ReturnPerson.objects.exists()

    record = _request(cast)
    assert record.reference.startswith("JP-RET-") and record.status == "shared"
    assert record.embassy.code == "tj-embassy-jp" and record.embassy_granted_at is not None
    first, second = record.persons.order_by("number")
    step = services.record_step
    with pytest.raises(PermissionDenied):  # Japan asked: it records no step
        step(record, jp, person=first.pk, kind="contacted", on=_days(-3))
    with pytest.raises(PermissionDenied):  # a third party that is not the Embassy cannot read it
        step(record, cast["maff_viewer"], person=first.pk, kind="contacted", on=_days(-3))
    with pytest.raises(InvalidInput, match="future"):
        step(record, tj, person=first.pk, kind="contacted", on=_days(2))
    with pytest.raises(InvalidInput, match="temporary passport issued before"):
        step(record, tj, person=first.pk, kind="returned", on=_days(-1))
    with pytest.raises(InvalidInput, match="Choose a person"):
        step(record, tj, person=999999, kind="contacted", on=_days(-1))
    step(record, embassy, person=first.pk, kind="document_issued", on=_days(-2))
    with pytest.raises(InvalidInput, match="before") as refused:
        step(record, tj, person=first.pk, kind="returned", on=_days(-3))
    assert _days(-2).isoformat() in refused.value.message and NAME not in refused.value.message
    with pytest.raises(InvalidInput, match="already recorded"):
        step(record, tj, person=first.pk, kind="document_issued", on=_days(-2))
    step(record, cast["tj_officer"], person=first.pk, kind="returned", on=_days(-1))
    assert ReturnRequest.objects.get(pk=record.pk).state == ReturnState.OPEN  # one of two returned
    with pytest.raises(InvalidInput, match="no step follows"):
        step(record, tj, person=first.pk, kind="travel_arranged", on=_days(-1))
    step(record, embassy, person=second.pk, kind="document_issued", on=_days(-1))
    step(record, embassy, person=second.pk, kind="returned", on=_days(0))
    record.refresh_from_db()
    assert record.state == ReturnState.RETURNED and record.closed_at is not None
    assert ReturnStep.objects.filter(person__request=record).count() == 4
    with pytest.raises(TransitionError):
        step(record, tj, person=second.pk, kind="contacted", on=_days(-5))

    other = _request(cast)
    with pytest.raises(InvalidInput, match="Say why"):
        services.close_request(other, jp, reason="  ")
    with pytest.raises(PermissionDenied):  # the asked side closes, never withdraws
        services.close_request(other, tj, reason="Not ours.", withdraw=True)
    with pytest.raises(PermissionDenied):  # an officer outside the contact point
        services.close_request(other, cast["tj_officer"], reason="Done.")
    with pytest.raises(InvalidInput, match="Person 3: Date of birth"):
        services.add_person(other, jp, **person(date_of_birth=_days(3)))
    assert other.persons.count() == 2
    services.add_person(other, jp, **person())
    services.close_request(other, jp, reason="Left Japan on their own.", withdraw=True)
    assert ReturnRequest.objects.get(pk=other.pk).state == ReturnState.WITHDRAWN
    with pytest.raises(TransitionError):
        services.add_person(other, jp, **person())
    # Inbox items and audit entries name the record, never a person's data.
    for text in [
        *Notification.objects.values_list("params", flat=True),
        *AuditEntry.objects.values_list("after", flat=True),
    ]:
        assert NAME not in json.dumps(text, ensure_ascii=False)


# Who reads what: values (and one audit entry per read), the mask, or nothing.
SHOWN = ["jp_contact", "tj_contact", "embassy_viewer"]
MASKED = ["jp_officer", "jp_analyst", "tj_officer", "tj_analyst", "admin", "maff_viewer"]


def test_personal_data_reach_only_the_contact_points_and_the_embassy(cast, client_for):
    record = _request(cast)
    kit.attach(record, cast["tj_officer"], SimpleUploadedFile("note.pdf", PDF), description="note")
    hidden = _request(cast)  # not consented to the ministry: it reads nothing of it
    # A written consent of Japan to a third party opens the record, never the persons.
    kit.grant_consent(
        record,
        cast["jp_contact"],
        third_party=Organization.objects.get(code="jp-maff"),
        document_reference="No. 3/26",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    for name in SHOWN + MASKED:
        client = client_for(name)
        before = _viewed(record)
        listing = client.get("/notices/returns/")
        api_list = client.get("/api/v1/return-requests/")
        assert listing.status_code == 200 and api_list.status_code == 200, name
        for body in (listing.content.decode(), api_list.content.decode()):
            assert NAME not in body and PLACE not in body, name  # no list shows personal data
        assert _viewed(record) == before, name
        page = client.get(f"/notices/returns/{record.pk}/")
        api = client.get(f"/api/v1/return-requests/{record.pk}/")
        assert page.status_code == 200 and api.status_code == 200, name
        text, data = page.content.decode(), api.json()
        states = {row["personal_data_state"] for row in data["persons"]}
        if name in SHOWN:
            assert NAME in text and PLACE in text and KIN in text, name
            assert data["persons"][0]["personal_data"]["full_name"] == NAME and states == {"shown"}
            assert _viewed(record) == before + 2, name  # one for the page, one for the API read
        else:
            assert NAME not in text and PLACE not in text and KIN not in text, name
            assert str(services.MASK) in text and "Person 2" in text, name
            assert NAME not in json.dumps(data, ensure_ascii=False) and states == {"masked"}, name
            assert all(row["personal_data"] is None for row in data["persons"]), name
            assert _viewed(record) == before, name
        # The steps' and the forms' pages name persons by number only.
        for url in (f"/notices/returns/{record.pk}/steps/new/", f"/notices/returns/{record.pk}/close/"):
            assert NAME not in client.get(url).content.decode(), (name, url)
        hidden_page = client.get(f"/notices/returns/{hidden.pk}/")
        assert hidden_page.status_code == (404 if name == "maff_viewer" else 200), name
    home = {name: client_for(name).get("/").content.decode() for name in ("embassy_viewer", "maff_viewer")}
    assert "Open return cases" in home["embassy_viewer"] and "Open return cases" not in home["maff_viewer"]
    entry = AuditEntry.objects.filter(action="return.personal_data_viewed").last()
    assert entry.object_id == str(record.pk) and NAME not in json.dumps(entry.after) + entry.object_repr
    # Only the side that made the request is offered to withdraw it; the page does it.
    close = f"/notices/returns/{hidden.pk}/close/"
    assert "Withdraw the request" not in client_for("tj_contact").get(close).content.decode()
    assert "Withdraw the request" in client_for("jp_contact").get(close).content.decode()
    answer = client_for("jp_contact").post(close, {"withdraw": "1", "reason": "No longer needed."})
    assert answer.status_code == 302 and ReturnRequest.objects.get(pk=hidden.pk).state == "withdrawn"
    # The Embassy reads the persons and the steps, not the sides' own text (the closing reason).
    services.close_request(record, cast["tj_contact"], reason="Closed by agreement of both sides.")
    for name, shown in (("embassy_viewer", False), ("jp_officer", True), ("maff_viewer", True)):
        client = client_for(name)
        data = client.get(f"/api/v1/return-requests/{record.pk}/").json()
        page = client.get(f"/notices/returns/{record.pk}/").content.decode()
        assert ("closure_reason" in data) is shown and ("by agreement" in page) is shown, name
        assert data["state"] == "closed", name
    assert DisclosureConsent.objects.count() == 1


def test_personal_data_are_erased_after_the_configured_period_and_not_before(cast, client_for):
    NoticeTerms.objects.create(
        memorandum=cast["jp_contact"].organization.side.memorandum, return_erasure_days=10
    )
    record = _request(cast)
    kept = _request(cast)  # still open: never erased
    kit.attach(record, cast["tj_contact"], SimpleUploadedFile(f"passport {NAME}.pdf", PDF))
    first = record.persons.get(number=1)
    services.record_step(
        record, cast["embassy_viewer"], person=first.pk, kind="document_issued", on=_days(-2)
    )
    services.close_request(record, cast["tj_contact"], reason=f"{NAME} moved to a third country.")
    record.refresh_from_db()
    assert "notices.returns.erase_personal_data" in hooks.BEAT_SCHEDULE

    assert services.erase_personal_data(now=record.closed_at + dt.timedelta(days=10, seconds=-1)) == 0
    assert ReturnPerson.objects.get(pk=first.pk).full_name == NAME
    assert services.erase_personal_data(now=record.closed_at + dt.timedelta(days=10)) == 1
    assert services.erase_personal_data(now=record.closed_at + dt.timedelta(days=11)) == 0  # once

    record.refresh_from_db()
    assert record.personal_data_erased_at is not None and record.state == ReturnState.CLOSED
    assert record.reference and record.persons.count() == 2
    for row in record.persons.all():
        assert (
            row.full_name,
            row.date_of_birth,
            row.residence_status,
            row.whereabouts,
            row.reason,
            row.dependants,
        ) == ("", None, "", "", "", "")
    assert ReturnStep.objects.filter(person__request=record).count() == 1  # steps and dates kept
    assert not Attachment.objects.filter(object_id=record.pk, content_type__model="returnrequest").exists()
    events = RecordEvent.objects.filter(object_id=record.pk, content_type__model="returnrequest")
    assert {"created", "shared", "attached", "step_recorded", "state:closed", "personal_data_erased"} <= set(
        events.values_list("action", flat=True)
    )
    rows = [
        *ReturnRequest.objects.filter(pk=record.pk).values(),
        *ReturnPerson.objects.filter(request=record).values(),
        *events.values(),
        *AuditEntry.objects.filter(object_id=str(record.pk)).values("object_repr", "before", "after"),
    ]
    assert NAME not in json.dumps(rows, default=str, ensure_ascii=False)
    erased = AuditEntry.objects.get(action="return.personal_data_erased")
    assert erased.object_id == str(record.pk)
    assert kept.persons.get(number=1).full_name == NAME  # the open case keeps its data

    before = _viewed(record)
    page = client_for("jp_contact").get(f"/notices/returns/{record.pk}/").content.decode()
    assert "Erased after the case closed." in page and NAME not in page
    assert _viewed(record) == before  # nothing shown, nothing audited as viewed
