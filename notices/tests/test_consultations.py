"""Consultations (4(2)): calling one shares it at once; the minutes are agreed once by
each side and a change clears the agreements; action items default to the memorandum's
period, refuse a past due date and are reminded to the owning side once a day; a record
is put on the agenda only by someone who may read it, the refusal the same whether it
is hidden or missing, and each reader sees only the records on the agenda they may
read; who reads a consultation and which parts, through the pages and the API; and the
briefing pack's text (``pdftotext``) in Japanese and in Tajik, its SHA-256 kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess

import pytest
from django.utils import timezone

from notices.consultations import packs, reading, services
from notices.consultations.choices import ActionItemStatus, BriefingPackStatus
from notices.consultations.testing import schedule
from notices.models import ActionItem, AgendaItem, BriefingPack, Consultation, NoticeTerms, Participant
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import AuditEntry, DisclosureConsent, Notification, OutboxEntry
from portal.records import services as kit
from portal.testing.matrix import CAST
from portal.timezones import today_for

pytestmark = pytest.mark.django_db


def _deliver():
    from portal import outbox

    outbox.drain()


def test_calling_working_on_and_agreeing_a_consultation(cast):
    jp, tj = cast["jp_officer"], cast["tj_officer"]
    consultation = schedule(jp)
    assert consultation.status == "shared" and consultation.reference.startswith("JP-CON-")
    _deliver()
    item = Notification.objects.get(kind="notices.consultation_scheduled")
    assert item.organization == cast["tj_contact"].organization and consultation.reference in str(item.params)

    # Bad input: a clear message, nothing saved.
    count = Consultation.objects.count()
    for bad, words in (
        ({"place": ""}, "place or the video link"),
        ({"place": "", "video_link": "http://meet.example.org/x"}, "https"),
    ):
        with pytest.raises(InvalidInput, match=words):
            schedule(jp, **bad)
    assert Consultation.objects.count() == count
    with pytest.raises(PermissionDenied):  # the calling side alone changes the date and place
        services.change_consultation(consultation, tj, place="Dushanbe")
    with pytest.raises(PermissionDenied):
        schedule(cast["jp_analyst"])

    # The minutes: agreed once by each side; a change clears every agreement.
    with pytest.raises(TransitionError, match="not written"):
        services.agree_minutes(consultation, jp)
    services.write_minutes(consultation, jp, text="1. Orders reviewed.")
    services.agree_minutes(consultation, jp)
    with pytest.raises(TransitionError, match="already agreed"):
        services.agree_minutes(consultation, cast["jp_contact"])
    agreement = services.agree_minutes(consultation, tj)
    assert (
        agreement.agreed_by == tj
        and agreement.minutes_sha256 == hashlib.sha256(b"1. Orders reviewed.").hexdigest()
    )
    assert consultation.agreements.count() == 2
    services.write_minutes(consultation, tj, text="1. Orders reviewed.\n2. Brokers discussed.")
    assert consultation.agreements.count() == 0
    event = consultation.events.get(action="minutes_changed", side=tj.organization.side)
    assert sorted(event.changes["agreements_cleared"]) == sorted(
        [jp.organization.side.code, tj.organization.side.code]
    )
    with pytest.raises(InvalidInput, match="Nothing was changed"):
        services.write_minutes(consultation, tj, text="1. Orders reviewed.\n2. Brokers discussed.")

    # Participants of either side, entered by either side; a side of another memorandum is refused.
    services.add_participant(
        consultation, tj, name="佐藤 花子", title="ISA", sits_for=jp.organization.side.code
    )
    with pytest.raises(InvalidInput, match="two sides"):
        services.add_participant(consultation, tj, name="X", title="Y", sits_for="nowhere")
    assert Participant.objects.filter(consultation=consultation).count() == 1

    # Action items: the memorandum's period by default, never a past day.
    NoticeTerms.objects.update_or_create(
        memorandum=consultation.memorandum, defaults={"action_item_days": 14}
    )
    today = today_for(jp)
    default = services.add_action_item(
        consultation, jp, description="Share the list.", owner_side=tj.organization.side
    )
    assert default.due_on == today + dt.timedelta(days=14) and default.status == ActionItemStatus.OPEN
    with pytest.raises(InvalidInput, match="cannot be in the past"):
        services.add_action_item(
            consultation,
            jp,
            description="Late.",
            owner_side=tj.organization.side,
            due_on=today - dt.timedelta(days=1),
        )
    assert ActionItem.objects.filter(consultation=consultation).count() == 1
    services.close_action_item(default, tj, status="done")
    with pytest.raises(TransitionError, match="closed already"):
        services.close_action_item(default, jp, status="cancelled")
    with pytest.raises(InvalidInput):
        services.add_agenda_item(consultation, jp, topic="g", title="No such topic")
    assert set(
        AuditEntry.objects.filter(
            object_id=str(consultation.pk), action__startswith="consultation."
        ).values_list("action", flat=True)
    ) >= {
        "consultation.scheduled",
        "consultation.minutes_changed",
        "consultation.minutes_agreed",
        "consultation.participant_added",
        "consultation.action_item_added",
        "consultation.action_item_closed",
    }


def test_action_items_are_reminded_to_the_owning_side_once_a_day(cast):
    jp, tj = cast["jp_officer"], cast["tj_officer"]
    consultation = schedule(jp)
    today = today_for(tj)
    tajik = tj.organization.side
    soon = services.add_action_item(
        consultation, jp, description="Soon.", owner_side=tajik, due_on=today + dt.timedelta(days=2)
    )
    later = services.add_action_item(
        consultation, jp, description="Later.", owner_side=tajik, due_on=today + dt.timedelta(days=9)
    )
    done = services.add_action_item(consultation, jp, description="Done.", owner_side=tajik, due_on=today)
    services.close_action_item(done, tj, status="done")
    OutboxEntry.objects.all().delete()
    assert services.remind_action_items(today) == 1
    assert services.remind_action_items(today) == 0  # once a day
    assert services.remind_action_items(today + dt.timedelta(days=3)) == 1  # overdue now, daily
    _deliver()
    kinds = list(
        Notification.objects.filter(kind__startswith="notices.action_item_")
        .exclude(kind="notices.action_item_added")
        .order_by("pk")
        .values_list("kind", "organization__code")
    )
    contact = cast["tj_contact"].organization.code
    assert kinds == [("notices.action_item_due", contact), ("notices.action_item_overdue", contact)]
    assert ActionItem.objects.get(pk=later.pk).last_reminded_on is None
    assert ActionItem.objects.get(pk=soon.pk).last_reminded_on == today + dt.timedelta(days=3)


def _consent(record, by, third_party, **more):
    return kit.grant_consent(
        record,
        by,
        third_party=third_party,
        document_reference="No. 1",
        expires_at=timezone.now() + dt.timedelta(days=30),
        **more,
    )


def test_records_on_the_agenda_are_linked_and_shown_only_to_those_who_may_read_them(cast, client_for, org):
    jp, tj = cast["jp_officer"], cast["tj_officer"]
    consultation = schedule(jp)
    # A draft of Tajikistan's: only its own organization reads it.
    draft = kit.create_record(Consultation, tj, starts_at=timezone.now(), place="Dushanbe")
    shared = schedule(tj, place="Khujand")
    missing = "JP-CON-2026-9999"
    messages = []
    for reference in (draft.reference, missing):
        with pytest.raises(InvalidInput) as refused:
            services.add_agenda_item(consultation, jp, topic="b", title="Brokers", references=[reference])
        messages.append(str(refused.value.message).replace(reference, "REF"))
    assert messages[0] == messages[1]  # hidden and missing: the same words
    assert not AgendaItem.objects.filter(consultation=consultation).exists()  # nothing half-saved

    item = services.add_agenda_item(
        consultation, tj, topic="c", title="Screening", references=[draft.reference]
    )
    services.link_record(item, jp, shared.reference)
    with pytest.raises(InvalidInput, match="already"):
        services.link_record(item, jp, shared.reference)

    def seen(user):
        return {
            linked.record.reference
            for entry in reading.agenda(consultation, user)
            for linked in entry.records
        }

    assert seen(tj) == {draft.reference, shared.reference}
    assert seen(jp) == {shared.reference}
    page = client_for("jp_officer").get(consultation.get_absolute_url()).content.decode()
    assert shared.reference in page and draft.reference not in page
    api = client_for("jp_officer").get(f"/api/v1/consultations/{consultation.pk}/agenda/").json()
    assert [record["reference"] for record in api[0]["records"]] == [shared.reference]

    # A third party with Japan's consent to the consultation alone: the agenda item
    # Tajikistan entered is Tajikistan's part, and no record on the agenda is shown.
    maff = org("jp-maff")
    _consent(consultation, cast["jp_contact"], maff)
    assert seen(cast["maff_viewer"]) == set()
    assert list(reading.agenda(consultation, cast["maff_viewer"])) == []


def test_who_reads_a_consultation_and_its_minutes(cast, client_for, org):
    jp, tj = cast["jp_officer"], cast["tj_officer"]
    plain = schedule(jp, place="Tokyo plain")
    by_japan = schedule(jp, place="Tokyo by Japan")
    by_both = schedule(jp, place="Tokyo by both")
    maff = org("jp-maff")
    for consultation in (plain, by_japan, by_both):
        services.write_minutes(consultation, tj, text=f"Minutes {consultation.pk} secret")
        services.add_participant(
            consultation, tj, name=f"Tajik {consultation.pk}", title="MS", sits_for=tj.organization.side
        )
    _consent(by_japan, cast["jp_contact"], maff)
    _consent(by_both, cast["jp_contact"], maff)
    _consent(by_both, cast["tj_contact"], maff)
    sees = {
        name: {plain, by_japan, by_both}
        for name in CAST
        if name
        in {"jp_contact", "jp_officer", "jp_analyst", "tj_contact", "tj_officer", "tj_analyst", "admin"}
    }
    sees |= {"maff_viewer": {by_japan, by_both}, "embassy_viewer": set()}
    for name in CAST:
        client = client_for(name)
        listed = client.get("/notices/consultations/").content.decode()
        api = {row["id"] for row in client.get("/api/v1/consultations/").json()["results"]}
        assert api == {c.pk for c in sees[name]}, name
        for consultation in (plain, by_japan, by_both):
            visible = consultation in sees[name]
            assert (f'href="{consultation.get_absolute_url()}"' in listed) == visible, name
            page = client.get(consultation.get_absolute_url())
            assert page.status_code == (200 if visible else 404), name
            detail = client.get(f"/api/v1/consultations/{consultation.pk}/")
            assert detail.status_code == (200 if visible else 404), name
    # The minutes are both sides': Japan's consent alone does not show them; both do.
    # The participants Tajikistan entered are its part: shown with its consent only.
    maff_client = client_for("maff_viewer")
    alone = maff_client.get(by_japan.get_absolute_url()).content.decode()
    assert "Tokyo by Japan" in alone and "secret" not in alone and f"Tajik {by_japan.pk}" not in alone
    assert "minutes" not in maff_client.get(f"/api/v1/consultations/{by_japan.pk}/").json()
    both = maff_client.get(by_both.get_absolute_url()).content.decode()
    assert f"Minutes {by_both.pk} secret" in both and f"Tajik {by_both.pk}" in both
    assert (
        maff_client.get(f"/api/v1/consultations/{by_both.pk}/").json()["minutes"]
        == f"Minutes {by_both.pk} secret"
    )
    # A consent withdrawn opens nothing.
    consent = DisclosureConsent.objects.get(object_id=by_japan.pk, third_party=maff)
    kit.withdraw_consent(consent, cast["jp_contact"])
    assert maff_client.get(by_japan.get_absolute_url()).status_code == 404


def _text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_the_briefing_pack_in_japanese_and_tajik_lists_only_readable_records(
    cast, client_for, django_capture_on_commit_callbacks
):
    jp, tj = cast["jp_officer"], cast["tj_officer"]
    previous = schedule(jp, starts_at=timezone.now() - dt.timedelta(days=40))
    consultation = schedule(jp, place="法務省 会議室", starts_at=timezone.now() + dt.timedelta(days=3))
    draft = kit.create_record(Consultation, tj, starts_at=timezone.now(), place="Dushanbe")
    services.add_participant(
        consultation, tj, name="Раҳимов Фаррух", title="Хадамоти муҳоҷират", sits_for=tj.organization.side
    )
    services.add_agenda_item(
        consultation,
        tj,
        topic="b",
        title="Миёнаравҳо ва пули гаравӣ",
        references=[draft.reference, previous.reference],
    )
    services.add_action_item(
        consultation, jp, description="名簿を共有すること。", owner_side=tj.organization.side
    )
    done = services.add_action_item(
        consultation, jp, description="Closed item", owner_side=tj.organization.side
    )
    services.close_action_item(done, tj, status="done")

    texts = {}
    for user, language in ((jp, "ja"), (tj, "tg")):
        with django_capture_on_commit_callbacks(execute=True):
            pack = services.request_pack(consultation, user, language=language)
        _deliver_and_render = BriefingPack.objects.get(pk=pack.pk)  # the eager task ran on commit
        if _deliver_and_render.status == BriefingPackStatus.QUEUED:
            packs.render_pack(pack.pk)
        pack = BriefingPack.objects.get(pk=pack.pk)
        assert pack.status == BriefingPackStatus.DONE and pack.progress == 100
        pdf = pack.file.read()
        assert pack.sha256 == hashlib.sha256(pdf).hexdigest() and pack.size == len(pdf)
        texts[language] = _text(pdf)
    japanese, tajik = texts["ja"], texts["tg"]
    for text in (japanese, tajik):
        assert "法務省 会議室" in text and "名簿を共有すること。" in text and "Раҳимов Фаррух" in text
        assert "Миёнаравҳо ва пули гаравӣ" in text and previous.reference in text
        assert "Closed item" not in text
    assert draft.reference not in japanese  # Japan may not read Tajikistan's draft
    assert draft.reference in tajik
    # The pack is its requester's organization's (it may hold that organization's
    # drafts): anyone else gets a 404; the download is audited.
    ja_pack = BriefingPack.objects.get(language="ja")
    url = f"/notices/consultations/{consultation.pk}/packs/{ja_pack.pk}/pdf/"
    assert client_for("tj_officer").get(url).status_code == 404
    assert client_for("jp_contact").get(url).status_code == 404
    response = client_for("jp_officer").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="consultation.pack_downloaded", actor=jp).exists()
    status = client_for("jp_officer").get(f"/notices/consultations/{consultation.pk}/packs/{ja_pack.pk}/")
    assert ja_pack.sha256 in status.content.decode() and b'http-equiv="refresh"' not in status.content


def test_the_status_page_refreshes_itself_while_the_pack_renders(cast, client_for):
    consultation = schedule(cast["jp_officer"])
    pack = BriefingPack.objects.create(
        consultation=consultation,
        language="en",
        requested_by=cast["jp_officer"],
        status="rendering",
        progress=60,
    )
    page = client_for("jp_officer").get(pack.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and 'value="60"' in page and "60%" in page
