"""Issue 10, item 3: letters that can be answered (clause 2).

A letter goes to the other side's contact point and nowhere else, on the form, through
the API and in the model's own rule; a letter may answer another, in a thread under the
first letter, by whoever of either side may read it (never a third party); the thread
page lists what the reader may read and nothing of the rest, in a constant number of
queries; references are on the list, the page and the inbox item; a letter's files obey
the kit's disclosure rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal import services
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import Correspondence, Notification, Organization
from portal.testing.files import PDF

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

JAPAN_CP, TAJIK_CP, EMBASSY = "jp-isa-rmd", "tj-ms-lpsa", "tj-embassy-jp"


def letter(author, subject="Quota for 2027", *, body="Body", send=True, **fields) -> Correspondence:
    draft = services.draft_correspondence(author, subject=subject, body=body, **fields)
    return services.send_correspondence(draft, author) if send else draft


def consent(record, cast, third_party=EMBASSY):
    """The written consent of the side the letter came from, to show it to ``third_party``."""
    side_contact = cast["tj_contact"] if record.origin.side.code == "tajikistan" else cast["jp_contact"]
    return services.grant_consent(
        record,
        side_contact,
        third_party=Organization.objects.get(code=third_party),
        document_reference="No. 12/26",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )


@pytest.fixture
def thread(cast):
    """Tajikistan writes, Japan answers, Tajikistan answers the answer."""
    first = letter(cast["tj_contact"], "Deposits taken by brokers")
    answer = letter(cast["jp_contact"], "", in_reply_to=first, body="We have three cases.")
    again = letter(cast["tj_officer"], "", in_reply_to=answer, body="Please send the names.")
    return first, answer, again


# --- The recipient: the other side's contact point, and nobody else ---------------------


@pytest.mark.parametrize("code", ["jp-isa", "jp-mhlw", "jp-moj", TAJIK_CP, "tj-mlme", EMBASSY, "jp-maff"])
def test_a_letter_goes_to_no_one_but_the_other_side_s_contact_point(cast, code):
    recipient = Organization.objects.get(code=code)
    with pytest.raises(InvalidInput, match="contact point of the other side"):
        services.draft_correspondence(cast["tj_contact"], recipient=recipient, subject="x", body="y")
    assert not Correspondence.objects.exists()


def test_the_other_side_s_contact_point_is_the_default_recipient(cast):
    from_tajikistan = services.draft_correspondence(cast["tj_officer"], subject="x", body="y")
    from_japan = services.draft_correspondence(cast["jp_officer"], subject="x", body="y")
    assert from_tajikistan.recipient.code == JAPAN_CP
    assert from_japan.recipient.code == TAJIK_CP
    # A signatory ministry sends, its own organization the origin (clause 2).
    assert from_tajikistan.origin.code == "tj-mlme" and from_tajikistan.origin.is_signatory


def test_an_edit_is_held_to_the_same_rule(cast):
    draft = letter(cast["tj_contact"], send=False)
    with pytest.raises(InvalidInput, match="contact point of the other side"):
        services.update_record(draft, cast["tj_contact"], recipient=Organization.objects.get(code="jp-mhlw"))
    draft.refresh_from_db()
    assert draft.recipient.code == JAPAN_CP


def test_an_old_draft_to_another_ministry_is_not_sent(cast):
    """A draft written before the rule, to a ministry that is not a contact point."""
    draft = letter(cast["tj_contact"], send=False)
    Correspondence.objects.filter(pk=draft.pk).update(recipient=Organization.objects.get(code="jp-mhlw"))
    draft.refresh_from_db()
    with pytest.raises(InvalidInput, match="contact point of the other side"):
        services.send_correspondence(draft, cast["tj_contact"])
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_form_offers_only_the_other_side_s_contact_point(cast, client_for):
    client = client_for("tj_officer")
    form = client.get("/correspondence/new/").context["form"]
    assert [org.code for org in form.fields["recipient"].queryset] == [JAPAN_CP]
    refused = client.post(
        "/correspondence/new/",
        {"recipient": Organization.objects.get(code="jp-mhlw").pk, "subject": "x", "body": "y"},
    )
    assert refused.status_code == 200 and "recipient" in refused.context["form"].errors
    assert not Correspondence.objects.exists()
    sent = client.post(
        "/correspondence/new/",
        {"recipient": Organization.objects.get(code=JAPAN_CP).pk, "subject": "x", "body": "y"},
    )
    assert sent.status_code == 302
    assert Correspondence.objects.get().recipient.code == JAPAN_CP


def test_the_refusal_is_translated(cast):
    from django.utils import translation

    with translation.override("ru"), pytest.raises(InvalidInput) as refused:
        services.draft_correspondence(
            cast["tj_contact"], recipient=Organization.objects.get(code="jp-mhlw"), subject="x", body="y"
        )
    assert "contact point" not in refused.value.message and refused.value.message


# --- Replies -------------------------------------------------------------------------------


def test_a_reply_joins_the_thread_of_the_first_letter(cast, thread):
    first, answer, again = thread
    assert (first.thread_root_id, answer.thread_root_id, again.thread_root_id) == (None, first.pk, first.pk)
    assert (answer.in_reply_to_id, again.in_reply_to_id) == (first.pk, answer.pk)
    assert answer.recipient.code == TAJIK_CP and again.recipient.code == JAPAN_CP
    assert answer.memorandum_id == first.memorandum_id == again.memorandum_id
    # "Re: " once, not "Re: Re: ".
    assert answer.subject == again.subject == "Re: Deposits taken by brokers"
    assert list(services.letter_thread(again, cast["jp_contact"])) == [first, answer, again]


def test_a_reply_keeps_the_subject_its_writer_gives(cast):
    first = letter(cast["tj_contact"])
    answer = letter(cast["jp_officer"], "Our answer on quotas", in_reply_to=first)
    assert answer.subject == "Our answer on quotas" and answer.thread_root_id == first.pk


def test_the_reply_subject_prefix_is_translated(cast):
    from django.utils import translation

    first = letter(cast["tj_contact"], "Квота")
    with translation.override("ru"):
        answer = letter(cast["jp_contact"], "", in_reply_to=first)
    assert answer.subject != "Re: Квота" and answer.subject.endswith("Квота")


@pytest.mark.parametrize("name", ["embassy_viewer", "maff_viewer"])
def test_a_third_party_never_replies_even_to_a_letter_it_was_shown(cast, name):
    first = letter(cast["tj_contact"])
    consent(first, cast, third_party=cast[name].organization.code)
    with pytest.raises(PermissionDenied):
        services.draft_correspondence(cast[name], in_reply_to=first, body="x")
    assert Correspondence.objects.count() == 1


def test_readers_do_not_reply(cast):
    first = letter(cast["tj_contact"])
    with pytest.raises(PermissionDenied):
        services.draft_correspondence(cast["jp_analyst"], in_reply_to=first, body="x")


def test_only_a_letter_one_reads_is_answered(cast):
    """Another organization's draft is answered like a letter that does not exist."""
    draft = letter(cast["tj_contact"], send=False)
    with pytest.raises(InvalidInput) as hidden:
        services.draft_correspondence(cast["jp_contact"], in_reply_to=draft, body="x")
    with pytest.raises(InvalidInput) as missing:
        services.draft_correspondence(cast["jp_contact"], in_reply_to=draft.pk + 1000, body="x")
    assert hidden.value.message == missing.value.message


def test_a_draft_is_not_answered(cast):
    draft = letter(cast["tj_contact"], send=False)
    with pytest.raises(TransitionError):
        services.draft_correspondence(cast["tj_contact"], in_reply_to=draft, body="x")


def test_a_sent_reply_is_in_the_other_contact_point_s_inbox_with_its_reference(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    first = letter(cast["tj_contact"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = letter(cast["jp_officer"], "", in_reply_to=first)
    [item] = Notification.objects.filter(kind="correspondence.received", url=answer.get_absolute_url())
    assert item.organization.code == TAJIK_CP and item.url == answer.get_absolute_url()
    assert item.params["reference"] == answer.reference
    assert answer.reference in item.message and "Re: Quota for 2027" in item.message
    # The e-mail to Tajikistan's contact point names it too, in the reader's language.
    [mail] = [mail for mail in mailoutbox if answer.get_absolute_url() in mail.body]
    assert mail.to == [cast["tj_contact"].email] and answer.reference in mail.subject


# --- Pages ---------------------------------------------------------------------------------


def test_the_thread_page_lists_the_thread_oldest_first(cast, client_for, thread):
    first, answer, again = thread
    response = client_for("jp_contact").get(f"/correspondence/{answer.pk}/")
    assert [item.pk for item in response.context["thread"]] == [first.pk, answer.pk, again.pk]
    html = response.content.decode()
    section = html[html.index('id="thread-heading"') :]
    positions = [section.index(letter.reference) for letter in (first, answer, again)]
    assert positions == sorted(positions)
    for item in thread:
        assert item.origin.name in html and item.recipient.name in html
    assert f'href="/correspondence/{answer.pk}/reply/"' in html


def test_a_letter_alone_shows_no_thread(cast, client_for):
    first = letter(cast["tj_contact"])
    response = client_for("jp_contact").get(f"/correspondence/{first.pk}/")
    assert response.context["thread"] == []


def test_the_reply_page_starts_with_re_and_saves_a_draft_in_the_thread(cast, client_for):
    first = letter(cast["tj_contact"])
    client = client_for("jp_contact")
    page = client.get(f"/correspondence/{first.pk}/reply/")
    assert page.status_code == 200
    assert page.context["form"]["subject"].value() == "Re: Quota for 2027"
    assert [org.code for org in page.context["form"].fields["recipient"].queryset] == [TAJIK_CP]
    response = client.post(
        f"/correspondence/{first.pk}/reply/",
        {
            "recipient": Organization.objects.get(code=TAJIK_CP).pk,
            "subject": "Re: Quota for 2027",
            "body": "Yes.",
        },
    )
    reply = Correspondence.objects.get(in_reply_to=first)
    assert response.status_code == 302 and response["Location"] == f"/correspondence/{reply.pk}/"
    assert reply.status == "draft" and reply.thread_root_id == first.pk and reply.origin.code == JAPAN_CP


@pytest.mark.parametrize("name", ["embassy_viewer", "jp_analyst", "tj_analyst", "maff_viewer"])
def test_whoever_may_not_reply_finds_no_reply_page(cast, client_for, name):
    first = letter(cast["tj_contact"])
    consent(first, cast)  # the Embassy reads it, and still does not reply
    client = client_for(name)
    assert client.get(f"/correspondence/{first.pk}/reply/").status_code == 404
    assert client.post(f"/correspondence/{first.pk}/reply/", {"subject": "x", "body": "y"}).status_code == 404
    assert Correspondence.objects.count() == 1


def test_a_draft_has_no_reply_page(cast, client_for):
    draft = letter(cast["tj_contact"], send=False)
    assert client_for("tj_contact").get(f"/correspondence/{draft.pk}/reply/").status_code == 404
    assert 'reply/"' not in client_for("tj_contact").get(f"/correspondence/{draft.pk}/").content.decode()


def test_a_third_party_sees_only_the_letter_it_was_shown(cast, client_for, thread):
    first, answer, again = thread
    client = client_for("embassy_viewer")
    # Without consent: nothing of the thread.
    for item in thread:
        assert client.get(f"/correspondence/{item.pk}/").status_code == 404
    consent(answer, cast)  # Japan's written consent for its answer alone
    page = client.get(f"/correspondence/{answer.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert answer.reference in html and "We have three cases." in html
    assert page.context["thread"] == []  # not even a list of one
    for other in (first, again):
        assert other.reference not in html and f"/correspondence/{other.pk}/" not in html
    assert "Please send the names." not in html and 'reply/"' not in html
    assert client.get(f"/correspondence/{first.pk}/").status_code == 404
    # The list: its one letter, and not whose reply it is.
    listing = client.get("/correspondence/").content.decode()
    assert answer.reference in listing and first.reference not in listing and again.reference not in listing
    # With consent for the first letter too, the thread holds those two, not the third.
    consent(first, cast)
    page = client.get(f"/correspondence/{answer.pk}/")
    assert [item.pk for item in page.context["thread"]] == [first.pk, answer.pk]
    assert again.reference not in page.content.decode()


def test_the_list_marks_replies_with_the_letter_they_answer(cast, client_for, thread):
    first, answer, again = thread
    html = client_for("tj_contact").get("/correspondence/").content.decode()
    assert f"reply to {first.reference}" in html and f"reply to {answer.reference}" in html
    for item in thread:
        assert item.reference in html


def test_the_thread_page_costs_the_same_queries_however_long_the_thread(cast, client_for):
    first = letter(cast["tj_contact"], "Thread")
    client = client_for("jp_contact")

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/correspondence/{first.pk}/").status_code == 200
        return [query["sql"] for query in captured]

    letter(cast["jp_contact"], "", in_reply_to=first)
    queries()  # the first request fills per-process caches (content types, permission ids)
    short = queries()
    parent = first
    for author in ("tj_contact", "jp_officer", "tj_officer", "jp_contact", "tj_contact"):
        parent = letter(cast[author], "", in_reply_to=parent)
    assert len(client.get(f"/correspondence/{first.pk}/").context["thread"]) == 7
    long = queries()
    assert len(long) == len(short), "\n".join(sorted(set(long) - set(short)))


def test_the_reference_is_on_the_list_and_the_page(cast, client_for):
    first = letter(cast["tj_contact"])
    assert first.reference.startswith("TJ-LET-")
    assert first.reference in client_for("jp_contact").get("/correspondence/").content.decode()
    page = client_for("jp_contact").get(f"/correspondence/{first.pk}/").content.decode()
    assert page.count(first.reference) >= 2  # the lead and the kit's panel


# --- Files: the kit's panel and its disclosure rule ------------------------------------


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_letter_s_files_are_the_kit_s_and_obey_its_disclosure_rule(cast, client_for):
    first = letter(cast["tj_contact"])
    tajik_file = services.attach(first, cast["tj_contact"], pdf("tajik-statement.pdf"), description="Tajik")
    japan_file = services.attach(first, cast["jp_officer"], pdf("japan-note.pdf"), description="Japanese")

    page = client_for("jp_contact").get(f"/correspondence/{first.pk}/")
    html = page.content.decode()
    assert 'id="record-files-heading"' in html
    assert {a.pk for a in page.context["kit"]["attachments"]} == {tajik_file.pk, japan_file.pk}
    assert f"/records/portal/correspondence/{first.pk}/attach/" in html

    embassy = client_for("embassy_viewer")
    assert embassy.get(tajik_file.get_absolute_url()).status_code == 404
    consent(first, cast)  # Tajikistan consents: its own file, not Japan's
    page = embassy.get(f"/correspondence/{first.pk}/")
    assert [a.pk for a in page.context["kit"]["attachments"]] == [tajik_file.pk]
    html = page.content.decode()
    assert "tajik-statement.pdf" in html and "japan-note.pdf" not in html
    assert embassy.get(tajik_file.get_absolute_url()).status_code == 200
    assert embassy.get(japan_file.get_absolute_url()).status_code == 404


# --- API -------------------------------------------------------------------------------------


def api(client_for, name):
    return client_for(name)


def test_the_api_refuses_a_wrong_recipient_with_a_field_error(cast, client_for):
    client = client_for("tj_contact")
    for code in ("jp-mhlw", TAJIK_CP, EMBASSY):
        response = client.post(
            "/api/v1/correspondence/",
            {"recipient": code, "subject": "x", "body": "y"},
            content_type="application/json",
        )
        assert response.status_code == 400, code
        assert "contact point of the other side" in response.json()["recipient"][0]
    assert not Correspondence.objects.exists()
    created = client.post(
        "/api/v1/correspondence/", {"subject": "x", "body": "y"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["recipient"] == JAPAN_CP


def test_the_api_answers_a_letter_and_shows_its_thread(cast, client_for):
    first = letter(cast["tj_contact"])
    client = client_for("jp_officer")
    response = client.post(
        "/api/v1/correspondence/", {"in_reply_to": first.pk, "body": "Yes."}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["in_reply_to"] == first.pk and body["thread_root"] == first.pk
    assert body["subject"] == "Re: Quota for 2027" and body["recipient"] == TAJIK_CP
    assert client.post(f"/api/v1/correspondence/{body['id']}/send/").status_code == 200
    thread = client_for("tj_contact").get(f"/api/v1/correspondence/{first.pk}/thread/")
    assert [row["reference"] for row in thread.json()] == [first.reference, body["reference"]]


def test_the_api_treats_a_hidden_letter_like_a_missing_one(cast, client_for):
    draft = letter(cast["tj_contact"], send=False)
    client = client_for("jp_contact")
    answers = [
        client.post(
            "/api/v1/correspondence/", {"in_reply_to": pk, "body": "x"}, content_type="application/json"
        )
        for pk in (draft.pk, draft.pk + 1000)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json()["in_reply_to"][0].replace(str(draft.pk), "#") == answers[1].json()[
        "in_reply_to"
    ][0].replace(str(draft.pk + 1000), "#")


def test_the_api_thread_of_a_third_party_is_what_it_was_shown(cast, client_for, thread):
    first, answer, again = thread
    client = client_for("embassy_viewer")
    assert client.get(f"/api/v1/correspondence/{answer.pk}/thread/").status_code == 404
    consent(answer, cast)
    rows = client.get(f"/api/v1/correspondence/{answer.pk}/thread/").json()
    assert [row["id"] for row in rows] == [answer.pk]
    detail = client.get(f"/api/v1/correspondence/{answer.pk}/").json()
    assert "in_reply_to" not in detail and "thread_root" not in detail
    # The sides see where it sits.
    assert (
        client_for("tj_analyst").get(f"/api/v1/correspondence/{answer.pk}/").json()["in_reply_to"] == first.pk
    )


def test_the_demo_letters_hold_a_thread_and_a_second_run_adds_nothing(cast):
    from portal.demo import DRAFT_FROM_JAPAN, LETTER_FROM_JAPAN, LETTER_FROM_TAJIKISTAN, seed_correspondence

    users = {name.replace("_", "-"): user for name, user in cast.items()}
    seed_correspondence(users)
    seed_correspondence(users)
    assert Correspondence.objects.count() == 4
    for subject in (LETTER_FROM_TAJIKISTAN, LETTER_FROM_JAPAN):
        first = Correspondence.objects.get(subject=subject)
        [answer] = Correspondence.objects.filter(in_reply_to=first)
        assert answer.thread_root_id == first.pk and answer.recipient.is_contact_point
    assert Correspondence.objects.get(subject=DRAFT_FROM_JAPAN).status == "draft"
    # Every demo letter keeps clause 2's rule.
    for item in Correspondence.objects.all():
        item.full_clean()
