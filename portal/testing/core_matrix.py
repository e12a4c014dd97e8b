"""The shared core's write actions for the permission matrix (``portal.testing.matrix``):
correspondence (clause 2), written consents (clause 3) and the inbox, on the pages and
through the API.

Written from the rules, not from the views: letters are drafted and sent by the
officers of the organization that writes them (contact-point officers and officers);
analysts, administrators and third parties read, never write; a written consent is given
and withdrawn by a writer of the side the information came from; an inbox item is marked
read by any member of its organization, whatever the role — and by nobody else, not
even a superuser.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import matrix
from .matrix import (
    JP_READERS,
    JP_WRITERS,
    LOGIN,
    THIRD_PARTIES,
    TJ_READERS,
    TJ_WRITERS,
    WRITERS,
    Refused,
    each,
)

JAPAN_CP, TAJIK_CP, EMBASSY = "jp-isa-rmd", "tj-ms-lpsa", "tj-embassy-jp"
NON_WRITERS = JP_READERS | TJ_READERS | THIRD_PARTIES

# --- States ---------------------------------------------------------------------------


def japan_draft(w) -> dict:
    """A letter Japan's contact point has drafted and not sent."""
    from portal import services

    letter = services.draft_correspondence(
        w.users["jp-contact"], recipient=w.org(TAJIK_CP), subject="Matrix draft", body="…"
    )
    return {"letter": letter}


def tajik_letter(w) -> dict:
    """A letter Tajikistan's contact point has sent to Japan's."""
    from portal import services

    letter = services.draft_correspondence(
        w.users["tj-contact"], recipient=w.org(JAPAN_CP), subject="Matrix letter", body="…"
    )
    return {"letter": services.send_correspondence(letter, w.users["tj-contact"])}


def tajik_consent(w, *, withdrawn: bool = False) -> dict:
    """Tajikistan's written consent to show its letter to the Embassy."""
    from portal import services

    state = tajik_letter(w)
    consent = services.grant_consent(
        state["letter"],
        w.users["tj-contact"],
        third_party=w.org(EMBASSY),
        document_reference="No. 7/26",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    if withdrawn:
        consent = services.withdraw_consent(consent, w.users["tj-contact"])
    return {**state, "consent": consent}


def japan_inbox_item(w) -> dict:
    """An unread item in the inbox of Japan's contact point, delivered by the outbox
    handler from a letter Tajikistan sent."""
    from portal import notifications
    from portal.models import Notification

    entry = notifications.notify(
        [w.org(JAPAN_CP).pk], "correspondence.received", sender=w.org(TAJIK_CP), params={"subject": "x"}
    )
    notifications.deliver_notification(entry)
    return {"notification": Notification.objects.get(source=entry)}


def counterpart_contact_point(f):
    """The contact point of the other side of whoever tries (Japan's for anyone
    without a side)."""
    side = f.user.organization.side if f.user is not None and f.user.organization_id else None
    if side is None:
        return f.org(JAPAN_CP)
    return side.counterpart().contact_point()


def _expires() -> str:
    return (timezone.now() + dt.timedelta(days=30)).strftime("%Y-%m-%d %H:%M")


# --- Pages ----------------------------------------------------------------------------

matrix.register(
    matrix.Action(
        "correspondence.draft",
        "post",
        url=lambda f: "/correspondence/new/",
        data=lambda f: {"recipient": counterpart_contact_point(f).pk, "subject": "New letter", "body": "…"},
        expected={**each(WRITERS, 302), "anonymous": LOGIN, "*": 404},
        audit="record.created",
        row=matrix.count_of("portal.Correspondence"),
    )
)

matrix.register(
    matrix.Action(
        "correspondence.send",
        "post",
        url=lambda f: f"/correspondence/{f.letter.pk}/send/",
        setup=japan_draft,
        # The draft's organization holds "change": its administrator reaches the
        # service, which refuses a role that does not write.
        expected={
            "jp-contact": 302,
            "jp-administrator": Refused(302),
            "superuser": Refused(302),
            "anonymous": LOGIN,
            "*": 404,
        },
        audit="record.shared",
        outbox={"notify"},
        row=matrix.row_of("letter"),
    )
)

matrix.register(
    matrix.Action(
        "correspondence.reply",
        "post",
        url=lambda f: f"/correspondence/{f.letter.pk}/reply/",
        data=lambda f: {
            "recipient": counterpart_contact_point(f).pk,
            "subject": "Re: Matrix letter",
            "body": "…",
        },
        setup=tajik_letter,
        # Whoever of either side reads the letter and writes answers it (a draft in its
        # thread); readers, administrators and third parties find no such page.
        expected={**each(WRITERS, 302), "anonymous": LOGIN, "*": 404},
        audit="record.created",
        row=matrix.count_of("portal.Correspondence"),
    )
)

_CONSENT_PAGE = {
    # The contact point of the side the letter came from consents (clause 3); the page
    # is not found for anyone else: the other side has no part of the letter, an
    # officer or a reader does not decide for the side, a third party never sees it.
    "tj-contact": 302,
    "anonymous": LOGIN,
    "*": 404,
}

matrix.register(
    matrix.Action(
        "consent.grant",
        "post",
        url=lambda f: f"/records/portal/correspondence/{f.letter.pk}/consent/",
        data=lambda f: {
            "third_party": f.org(EMBASSY).pk,
            "document_reference": "No. 8/26",
            "expires_at": _expires(),
        },
        setup=tajik_letter,
        expected=_CONSENT_PAGE,
        audit="consent.granted",
        outbox={"notify", "records.consent_letter"},  # the third party is told; the letter PDF
        row=matrix.count_of("portal.DisclosureConsent"),
    )
)

matrix.register(
    matrix.Action(
        "consent.grant.already-disclosed",
        "post",
        url=lambda f: f"/records/portal/correspondence/{f.letter.pk}/consent/",
        data=lambda f: {
            "third_party": f.org("jp-maff").pk,
            "document_reference": "No. 11/26",
            "expires_at": _expires(),
        },
        setup=tajik_consent,
        # The Embassy reads the letter with a consent: reading is all it may do, and
        # the consent page is not found for it.
        expected=_CONSENT_PAGE,
        audit="consent.granted",
        outbox={"notify", "records.consent_letter"},
        row=matrix.count_of("portal.DisclosureConsent"),
    )
)

_WITHDRAW_PAGE = {
    # The consent is visible to its side and to the third party it names; its side's
    # contact point withdraws it.
    "tj-contact": 302,
    **each(TJ_READERS | {"tj-officer", "embassy-viewer", "superuser"}, Refused(302)),
    "anonymous": LOGIN,
    "*": 404,
}

matrix.register(
    matrix.Action(
        "consent.withdraw",
        "post",
        url=lambda f: f"/consents/{f.consent.pk}/withdraw/",
        setup=tajik_consent,
        expected=_WITHDRAW_PAGE,
        audit="consent.withdrawn",
        outbox={"notify"},
        row=matrix.row_of("consent"),
    )
)

matrix.register(
    matrix.Action(
        "consent.withdraw.already-withdrawn",
        "post",
        url=lambda f: f"/consents/{f.consent.pk}/withdraw/",
        setup=lambda w: tajik_consent(w, withdrawn=True),
        expected={**_WITHDRAW_PAGE, "tj-contact": Refused(302)},
        audit="consent.withdrawn",
        row=matrix.row_of("consent"),
    )
)

matrix.register(
    matrix.Action(
        "inbox.read",
        "post",
        url=lambda f: f"/inbox/{f.notification.pk}/read/",
        setup=japan_inbox_item,
        expected={**each({"jp-contact", "jp-administrator"}, 302), "anonymous": LOGIN, "*": 404},
        audit="notification.read",
        row=matrix.row_of("notification"),
    )
)

matrix.register(
    matrix.Action(
        "inbox.read_all",
        "post",
        url=lambda f: "/inbox/read-all/",
        setup=japan_inbox_item,
        # Each member marks its own organization's inbox: with nothing unread there,
        # nothing is written and the inbox says so.
        expected={**each({"jp-contact", "jp-administrator"}, 302), "anonymous": LOGIN, "*": Refused(302)},
        audit="notification.read",
        row=matrix.row_of("notification"),
    )
)

# --- API ------------------------------------------------------------------------------

#: Analysts, administrators and third parties may not write through the API at all
#: (403 before any lookup); the anonymous caller is asked to authenticate.
API_READ_ONLY = {**each(NON_WRITERS, 403), "anonymous": 401}

matrix.register(
    matrix.Action(
        "api.correspondence.draft",
        "post",
        url=lambda f: "/api/v1/correspondence/",
        data=lambda f: {"recipient": counterpart_contact_point(f).code, "subject": "New letter", "body": "…"},
        expected={**API_READ_ONLY, **each(WRITERS, 201), "superuser": 403},
        audit="record.created",
        row=matrix.count_of("portal.Correspondence"),
    )
)

matrix.register(
    matrix.Action(
        "api.correspondence.reply",
        "post",
        url=lambda f: "/api/v1/correspondence/",
        data=lambda f: {"in_reply_to": f.letter.pk, "body": "…"},
        setup=tajik_letter,
        expected={**API_READ_ONLY, **each(WRITERS, 201), "superuser": 403},
        audit="record.created",
        row=matrix.count_of("portal.Correspondence"),
    )
)

#: A Japanese draft: only its organization holds "change" on it.
_API_JAPAN_DRAFT = {**API_READ_ONLY, "jp-contact": 200, "superuser": 403, "*": 404}

matrix.register(
    matrix.Action(
        "api.correspondence.edit",
        "patch",
        url=lambda f: f"/api/v1/correspondence/{f.letter.pk}/",
        data=lambda f: {"subject": "Changed subject"},
        setup=japan_draft,
        expected=_API_JAPAN_DRAFT,
        audit="record.updated",
        row=matrix.row_of("letter"),
    )
)

matrix.register(
    matrix.Action(
        "api.correspondence.send",
        "post",
        url=lambda f: f"/api/v1/correspondence/{f.letter.pk}/send/",
        setup=japan_draft,
        expected=_API_JAPAN_DRAFT,
        audit="record.shared",
        outbox={"notify"},
        row=matrix.row_of("letter"),
    )
)

matrix.register(
    matrix.Action(
        "api.correspondence.withdraw",
        "post",
        url=lambda f: f"/api/v1/correspondence/{f.letter.pk}/withdraw/",
        setup=japan_draft,
        expected=_API_JAPAN_DRAFT,
        audit="record.withdrawn",
        row=matrix.row_of("letter"),
    )
)


def _consent_body(f) -> dict:
    return {
        "third_party": EMBASSY,
        "document_reference": "No. 9/26",
        "expires_at": (timezone.now() + dt.timedelta(days=30)).isoformat(),
    }


matrix.register(
    matrix.Action(
        "api.correspondence.consent",
        "post",
        url=lambda f: f"/api/v1/correspondence/{f.letter.pk}/consent/",
        data=_consent_body,
        setup=tajik_letter,
        expected={
            **API_READ_ONLY,
            "tj-contact": 201,
            **each({"tj-officer"} | JP_WRITERS, 403),
            "superuser": 403,
        },
        audit="consent.granted",
        outbox={"notify", "records.consent_letter"},  # the third party is told; the letter PDF
        row=matrix.count_of("portal.DisclosureConsent"),
    )
)

matrix.register(
    matrix.Action(
        "api.correspondence.consent.draft",
        "post",
        url=lambda f: f"/api/v1/correspondence/{f.letter.pk}/consent/",
        data=_consent_body,
        setup=japan_draft,
        # Only a shared record can be disclosed: its author's side gets the 409.
        expected={**_API_JAPAN_DRAFT, "jp-contact": 409},
        audit="consent.granted",
        row=matrix.count_of("portal.DisclosureConsent"),
    )
)

_API_WITHDRAW = {
    **API_READ_ONLY,
    "tj-contact": 200,
    "tj-officer": 403,
    **each(JP_WRITERS, 404),
    "superuser": 403,
}

matrix.register(
    matrix.Action(
        "api.consent.withdraw",
        "post",
        url=lambda f: f"/api/v1/consents/{f.consent.pk}/withdraw/",
        setup=tajik_consent,
        expected=_API_WITHDRAW,
        audit="consent.withdrawn",
        outbox={"notify"},
        row=matrix.row_of("consent"),
    )
)

matrix.register(
    matrix.Action(
        "api.consent.withdraw.already-withdrawn",
        "post",
        url=lambda f: f"/api/v1/consents/{f.consent.pk}/withdraw/",
        setup=lambda w: tajik_consent(w, withdrawn=True),
        expected={**_API_WITHDRAW, "tj-contact": 409},
        audit="consent.withdrawn",
        row=matrix.row_of("consent"),
    )
)

matrix.register(
    matrix.Action(
        "api.inbox.read",
        "post",
        url=lambda f: f"/api/v1/notifications/{f.notification.pk}/read/",
        setup=japan_inbox_item,
        expected={**each({"jp-contact", "jp-administrator"}, 200), "anonymous": 401, "*": 404},
        audit="notification.read",
        row=matrix.row_of("notification"),
    )
)

# --- The shared-record kit's actions (portal/records), on a letter Tajikistan sent ------
#
# The side that received a record acknowledges it and assigns it to one of its officers;
# a writer of either side adds a file to a shared record and asks for written consent;
# the contact point of the side asked grants or refuses; the organization that asked
# may cancel. Whoever reads the record reaches the form (404 otherwise) and the service
# refuses the rest.


def _kit(action: str):
    return lambda f: f"/records/portal/correspondence/{f.letter.pk}/{action}/"


def consent_request(w) -> dict:
    """Japan's officer asks Tajikistan to consent to showing its letter to the Embassy."""
    from portal.records import services as kit

    state = tajik_letter(w)
    request = kit.request_consent(
        state["letter"],
        w.users["jp-officer"],
        third_party=w.org(EMBASSY),
        side=w.users["tj-contact"].organization.side,
        purpose="The Embassy assists the workers concerned.",
        requested_until=timezone.localdate() + dt.timedelta(days=30),
    )
    return {**state, "request": request}


def decided_consent_request(w) -> dict:
    from portal.records import services as kit

    state = consent_request(w)
    kit.decide_consent(state["request"], w.users["tj-contact"], grant_it=False, note="Not needed.")
    return state


def _pdf(f):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .files import PDF

    return SimpleUploadedFile("statement.pdf", PDF, content_type="application/pdf")


#: Japan received the letter: its writers act; whoever else reads the letter is refused
#: by the service; third parties do not read it.
_RECEIVER_FORM = {
    **each(JP_WRITERS, 302),
    **each(JP_READERS | TJ_WRITERS | TJ_READERS | {"superuser"}, Refused(200)),
    "anonymous": LOGIN,
    "*": 404,
}
_READERS_REFUSED = JP_READERS | TJ_READERS | {"superuser"}

for _action in [
    matrix.Action(
        "record.acknowledge",
        "post",
        url=_kit("acknowledge"),
        setup=tajik_letter,
        expected={
            **_RECEIVER_FORM,
            **each(JP_READERS | TJ_WRITERS | TJ_READERS | {"superuser"}, Refused(302)),
        },
        audit="record.acknowledged",
        outbox={"notify"},  # the side that wrote it is told
        row=matrix.row_of("letter"),
    ),
    matrix.Action(
        "record.assign",
        "post",
        url=_kit("assign"),
        data=lambda f: {"assignee": f.users["jp-officer"].pk},
        setup=tajik_letter,
        expected=_RECEIVER_FORM,
        audit="record.assigned",
        outbox={"notify"},  # the officer is told
        row=matrix.row_of("letter"),
    ),
    matrix.Action(
        "record.attach",
        "post",
        url=_kit("attach"),
        data=lambda f: {"file": _pdf(f), "description": "Statement"},
        setup=tajik_letter,
        expected={
            **each(WRITERS, 302),
            **each(_READERS_REFUSED, Refused(200)),
            "anonymous": LOGIN,
            "*": 404,
        },
        audit="record.attached",
        outbox={"notify"},  # the other side's contact point is told
        row=matrix.count_of("records.Attachment"),
    ),
    matrix.Action(
        "record.request-consent",
        "post",
        url=_kit("request-consent"),
        data=lambda f: {
            "third_party": f.org(EMBASSY).pk,
            "side": f.users["tj-contact"].organization.side_id,
            "purpose": "The Embassy assists the workers concerned.",
            "requested_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
        setup=tajik_letter,
        expected={
            **each(WRITERS, 302),
            **each(_READERS_REFUSED, Refused(200)),
            "anonymous": LOGIN,
            "*": 404,
        },
        audit="consent.requested",
        outbox={"notify"},  # the asked side's contact point is told
        row=matrix.count_of("records.ConsentRequest"),
    ),
    matrix.Action(
        "consent-request.grant",
        "post",
        url=lambda f: f"/consent-requests/{f.request.pk}/decide/",
        data=lambda f: {"decision": "grant", "note": ""},
        setup=consent_request,
        # The contact point of the side asked decides; not its other officers (issue 9).
        expected={
            "tj-contact": 302,
            **each(JP_WRITERS | JP_READERS | TJ_READERS | {"tj-officer", "superuser"}, Refused(200)),
            "anonymous": LOGIN,
            "*": 404,
        },
        audit=("consent.request_granted", "consent.granted"),
        outbox={"notify", "records.consent_letter"},
        row=matrix.row_of("request"),
    ),
    matrix.Action(
        "consent-request.refuse",
        "post",
        url=lambda f: f"/consent-requests/{f.request.pk}/decide/",
        data=lambda f: {"decision": "refuse", "note": "Not needed."},
        setup=consent_request,
        expected={
            "tj-contact": 302,
            **each(JP_WRITERS | JP_READERS | TJ_READERS | {"tj-officer", "superuser"}, Refused(200)),
            "anonymous": LOGIN,
            "*": 404,
        },
        audit="consent.refused",
        outbox={"notify"},  # the organization that asked is told
        row=matrix.row_of("request"),
    ),
    matrix.Action(
        "consent-request.grant.already-decided",
        "post",
        url=lambda f: f"/consent-requests/{f.request.pk}/decide/",
        data=lambda f: {"decision": "grant", "note": ""},
        setup=decided_consent_request,
        expected={
            **each(WRITERS | JP_READERS | TJ_READERS | {"superuser"}, Refused(200)),
            "anonymous": LOGIN,
            "*": 404,
        },
        audit=("consent.request_granted", "consent.granted"),
        row=matrix.row_of("request"),
    ),
    matrix.Action(
        "consent-request.cancel",
        "post",
        url=lambda f: f"/consent-requests/{f.request.pk}/cancel/",
        setup=consent_request,
        # Only the organization that asked (jp-officer's ministry) cancels.
        expected={
            "jp-officer": 302,
            **each((WRITERS | JP_READERS | TJ_READERS | {"superuser"}) - {"jp-officer"}, Refused(302)),
            "anonymous": LOGIN,
            "*": 404,
        },
        audit="consent.request_cancelled",
        row=matrix.row_of("request"),
    ),
]:
    matrix.register(_action)

# The kit's actions through the API: roles that do not write are refused before any
# lookup (403); a writer who reads the record but may not act is refused by the service.


def _api_kit(action: str):
    return lambda f: f"/api/v1/correspondence/{f.letter.pk}/{action}/"


_API_KIT_NO = {**API_READ_ONLY, "superuser": 403}

for _action in [
    matrix.Action(
        "api.record.acknowledge",
        "post",
        url=_api_kit("acknowledge"),
        setup=tajik_letter,
        expected={**_API_KIT_NO, **each(JP_WRITERS, 200), **each(TJ_WRITERS, 403)},
        audit="record.acknowledged",
        outbox={"notify"},
        row=matrix.row_of("letter"),
    ),
    matrix.Action(
        "api.record.assign",
        "post",
        url=_api_kit("assign"),
        data=lambda f: {"assignee": f.users["jp-officer"].pk},
        setup=tajik_letter,
        expected={**_API_KIT_NO, **each(JP_WRITERS, 200), **each(TJ_WRITERS, 403)},
        audit="record.assigned",
        outbox={"notify"},
        row=matrix.row_of("letter"),
    ),
    matrix.Action(
        "api.record.attach",
        "post",
        url=_api_kit("attachments"),
        data=lambda f: {"file": _pdf(f), "description": "Statement"},
        setup=tajik_letter,
        expected={**_API_KIT_NO, **each(WRITERS, 201)},
        audit="record.attached",
        outbox={"notify"},
        row=matrix.count_of("records.Attachment"),
        multipart=True,
    ),
    matrix.Action(
        "api.record.request-consent",
        "post",
        url=_api_kit("consent-requests"),
        data=lambda f: {
            "third_party": EMBASSY,
            "side": f.users["tj-contact"].organization.side.code,
            "purpose": "The Embassy assists the workers concerned.",
            "requested_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
        setup=tajik_letter,
        expected={**_API_KIT_NO, **each(WRITERS, 201)},
        audit="consent.requested",
        outbox={"notify"},
        row=matrix.count_of("records.ConsentRequest"),
    ),
    matrix.Action(
        "api.consent-request.grant",
        "post",
        url=lambda f: f"/api/v1/consent-requests/{f.request.pk}/decide/",
        data=lambda f: {"decision": "grant"},
        setup=consent_request,
        expected={**_API_KIT_NO, **each(WRITERS, 403), "tj-contact": 200},
        audit=("consent.request_granted", "consent.granted"),
        outbox={"notify", "records.consent_letter"},
        row=matrix.row_of("request"),
    ),
    matrix.Action(
        "api.consent-request.refuse",
        "post",
        url=lambda f: f"/api/v1/consent-requests/{f.request.pk}/decide/",
        data=lambda f: {"decision": "refuse", "note": "Not needed."},
        setup=consent_request,
        expected={**_API_KIT_NO, **each(WRITERS, 403), "tj-contact": 200},
        audit="consent.refused",
        outbox={"notify"},
        row=matrix.row_of("request"),
    ),
    matrix.Action(
        "api.consent-request.grant.already-decided",
        "post",
        url=lambda f: f"/api/v1/consent-requests/{f.request.pk}/decide/",
        data=lambda f: {"decision": "grant"},
        setup=decided_consent_request,
        expected={**_API_KIT_NO, **each(WRITERS, 403), "tj-contact": 409},
        audit=("consent.request_granted", "consent.granted"),
        row=matrix.row_of("request"),
    ),
    matrix.Action(
        "api.consent-request.cancel",
        "post",
        url=lambda f: f"/api/v1/consent-requests/{f.request.pk}/cancel/",
        setup=consent_request,
        expected={**_API_KIT_NO, **each(WRITERS, 403), "jp-officer": 200},
        audit="consent.request_cancelled",
        row=matrix.row_of("request"),
    ),
]:
    matrix.register(_action)

# The wrong states of the kit's API actions: a record acknowledged once is not
# acknowledged again, a withdrawn draft takes no file, a request decided or cancelled is
# not cancelled again (409 for whoever could otherwise act).


def acknowledged_tajik_letter(w) -> dict:
    from portal.records import services as kit

    state = tajik_letter(w)
    return {**state, "letter": kit.acknowledge(state["letter"], w.users["jp-contact"])}


def withdrawn_japan_draft(w) -> dict:
    from portal import services

    state = japan_draft(w)
    return {**state, "letter": services.withdraw_draft(state["letter"], w.users["jp-contact"])}


def cancelled_consent_request(w) -> dict:
    from portal.records import services as kit

    state = consent_request(w)
    return {**state, "request": kit.cancel_consent_request(state["request"], w.users["jp-officer"])}


for _action in [
    matrix.Action(
        "api.record.acknowledge.already-acknowledged",
        "post",
        url=_api_kit("acknowledge"),
        setup=acknowledged_tajik_letter,
        expected={**_API_KIT_NO, **each(JP_WRITERS, 409), **each(TJ_WRITERS, 403)},
        audit="record.acknowledged",
        row=matrix.row_of("letter"),
    ),
    matrix.Action(
        "api.record.attach.withdrawn-draft",
        "post",
        url=_api_kit("attachments"),
        data=lambda f: {"file": _pdf(f)},
        setup=withdrawn_japan_draft,
        # Only its organization still reads the withdrawn draft: the others get a 404.
        expected={**_API_JAPAN_DRAFT, "jp-contact": 409},
        audit="record.attached",
        row=matrix.count_of("records.Attachment"),
        multipart=True,
    ),
    matrix.Action(
        "api.consent-request.cancel.already-cancelled",
        "post",
        url=lambda f: f"/api/v1/consent-requests/{f.request.pk}/cancel/",
        setup=cancelled_consent_request,
        expected={**_API_KIT_NO, **each(WRITERS, 403), "jp-officer": 409},
        audit="consent.request_cancelled",
        row=matrix.row_of("request"),
    ),
]:
    matrix.register(_action)


# --- The Memorandum (clauses 9 and 10) ------------------------------------------------
# Either side's contact point records a termination notice (once) and an amendment with
# both written consents; the Memorandum is reference data every signed-in user reads, so
# the others are shown the form's refusal (pages) or a 403 (API), never a 404. There is
# one Memorandum in the matrix's world, so the second notice's refusal (409) is
# tests/test_memorandum.py's, not a wrong-state action here.


def memorandum_in_force(w) -> dict:
    from portal.models import Memorandum

    return {"memorandum": Memorandum.objects.get(partner_country="TJ")}


def _amendment(f) -> dict:
    return {
        "agreed_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "summary_en": "Annex on the exchange of statistics.",
        "japan_consent_reference": "MOFA-2026-117",
        "partner_consent_reference": "MFA-TJ-2026-42",
    }


_CONTACT_POINTS = frozenset({"jp-contact", "tj-contact"})
_MEMORANDUM_PAGE = {
    **each(_CONTACT_POINTS, 302),
    "anonymous": LOGIN,
    "*": Refused(200),
}
_API_MEMORANDUM_NO = {**API_READ_ONLY, **each(WRITERS, 403), "superuser": 403}

for _action in [
    matrix.Action(
        "memorandum.terminate",
        "post",
        url=lambda f: f"/memorandum/{f.memorandum.pk}/terminate/",
        data=lambda f: {"notified_on": timezone.localdate().isoformat()},
        setup=memorandum_in_force,
        expected=_MEMORANDUM_PAGE,
        audit="memorandum.termination_notified",
        outbox={"notify"},
        row=matrix.row_of("memorandum"),
    ),
    matrix.Action(
        "memorandum.amend",
        "post",
        url=lambda f: f"/memorandum/{f.memorandum.pk}/amendments/new/",
        data=_amendment,
        setup=memorandum_in_force,
        expected=_MEMORANDUM_PAGE,
        audit="memorandum.amended",
        outbox={"notify"},
        row=matrix.count_of("portal.Amendment"),
    ),
    matrix.Action(
        "api.memorandum.terminate",
        "post",
        url=lambda f: f"/api/v1/memoranda/{f.memorandum.pk}/terminate/",
        data=lambda f: {"notified_on": timezone.localdate().isoformat()},
        setup=memorandum_in_force,
        expected={**_API_MEMORANDUM_NO, **each(_CONTACT_POINTS, 200)},
        audit="memorandum.termination_notified",
        outbox={"notify"},
        row=matrix.row_of("memorandum"),
    ),
    matrix.Action(
        "api.memorandum.amend",
        "post",
        url=lambda f: f"/api/v1/memoranda/{f.memorandum.pk}/amendments/",
        data=_amendment,
        setup=memorandum_in_force,
        expected={**_API_MEMORANDUM_NO, **each(_CONTACT_POINTS, 201)},
        audit="memorandum.amended",
        outbox={"notify"},
        row=matrix.count_of("portal.Amendment"),
    ),
]:
    matrix.register(_action)
