"""Helpers for the consultations' tests: how the canary crawl creates consultations
(``portal.testing.canary``) and every write of the consultations' pages and API in the
permission matrix (``portal.testing.matrix``). Loaded by ``notices.testing``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.testing import canary as _canary
from portal.testing import matrix as _matrix

from . import services


def facts(**more) -> dict:
    """Valid facts of a consultation, a week ahead."""
    return {
        "kind": "regular",
        "starts_at": timezone.now() + dt.timedelta(days=7),
        "place": "法務省 会議室 / Ministry of Justice, Tokyo",
        **more,
    }


def schedule(officer, **more):
    return services.schedule_consultation(officer, **facts(**more))


# --- The canary crawl -------------------------------------------------------------------


class CanaryConsultationFactory(_canary.RecordFactory):
    """A consultation called through the service (shared at once); a draft is the
    kit's. The minutes (both sides' part) are planted by ``add_counterpart``."""

    def create(self, canary, model, officer, values, *, shared):
        from portal.records import services as kit

        values = dict(values)
        minutes = values.pop("minutes", None)
        given = {
            **facts(),
            **{name: value for name, value in values.items() if name in services.CONSULTATION_FIELDS},
        }
        if shared:
            record = services.schedule_consultation(officer, **given)
            self.add_parts(record, officer, values.get("place") or "Canary")
        else:
            record = kit.create_record(model, officer, **given)
        if minutes is not None:
            model.objects.filter(pk=record.pk).update(minutes=minutes)
        return model.objects.get(pk=record.pk)

    @staticmethod
    def add_parts(record, officer, text: str) -> None:
        """What the calling side's officer adds to a shared consultation — a participant,
        an agenda item, an action item, a briefing pack (rendered when the crawl drains
        the outbox) — each carrying ``text``, a marker of the calling side's part, so
        that their pages, the API and the pack's PDF are read for it too."""
        side = officer.organization.side
        services.add_participant(record, officer, name=text, title=text, sits_for=side)
        services.add_agenda_item(record, officer, topic="a", title=text, notes=text)
        services.add_action_item(record, officer, description=text, owner_side=side)
        services.request_pack(record, officer, language="en")


def _register_canary() -> None:
    from notices.models import Consultation

    _canary.RECORD_FACTORIES.setdefault(Consultation, CanaryConsultationFactory())


_register_canary()


# --- The permission matrix of writes ------------------------------------------------------
#
# Who may change consultations, written from the rules (4(2), DESIGN.md §2-3): the
# writers of both sides (contact points and officers) call consultations and work on
# them together; the calling side alone changes the date and place; analysts,
# administrators and third parties never write (403 in the API; a page they cannot use
# is not found); the superuser, who belongs to no side, is refused like them; the
# anonymous caller is sent to sign in (401 in the API). A briefing pack is asked for by
# the writers of either side (it holds what their organization may read).

_each = _matrix.each
_READERS = _matrix.JP_READERS | _matrix.TJ_READERS
_API_NO = _matrix.API_NO
_API_BOTH = {**_API_NO, **_each(_matrix.WRITERS, 200)}
_API_BOTH_CREATED = {**_API_NO, **_each(_matrix.WRITERS, 201)}
_LOGIN = {"anonymous": _matrix.LOGIN}
_PAGE_BOTH = {**_each(_matrix.WRITERS, 302), **_LOGIN, "*": 404}


def _consultation(w) -> dict:
    return {"consultation": schedule(w.users["jp-officer"])}


def _with_minutes(w) -> dict:
    consultation = schedule(w.users["jp-officer"])
    services.write_minutes(consultation, w.users["jp-officer"], text="1. Both sides reviewed the orders.")
    return {"consultation": consultation}


def _with_item(w) -> dict:
    officer = w.users["jp-officer"]
    consultation = schedule(officer)
    other = schedule(officer, place="Dushanbe")
    item = services.add_agenda_item(consultation, officer, topic="b", title="Brokers")
    action_item = services.add_action_item(
        consultation, officer, description="Share the list.", owner_side=officer.organization.side
    )
    return {"consultation": consultation, "item": item, "action_item": action_item, "other": other}


def _api(path: str = ""):
    return lambda f: f"/api/v1/consultations/{f.consultation.pk}/{path}"


def _page(path: str):
    return lambda f: f"/notices/consultations/{f.consultation.pk}/{path}"


def _side(f) -> str:
    return f.users["tj-contact"].organization.side.code


def _side_pk(f) -> int:
    return f.users["tj-contact"].organization.side_id


def _when(days: int = 10) -> str:
    return (timezone.localtime() + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


_row = _matrix.row_of("consultation")

for _action in [
    _matrix.Action(
        "api.consultation.schedule",
        "post",
        url=lambda f: "/api/v1/consultations/",
        data=lambda f: {"kind": "ad_hoc", "starts_at": _when(), "video_link": "https://meet.example.org/a"},
        expected=_API_BOTH_CREATED,
        audit=("record.created", "record.shared", "consultation.scheduled"),
        outbox={"notify"},
        row=_matrix.count_of("notices.Consultation"),
    ),
    _matrix.Action(
        "api.consultation.change",
        "post",
        url=_api("change/"),
        data=lambda f: {"place": "Dushanbe, Ministry of Labour"},
        setup=_consultation,
        # The calling side (Japan) alone changes the date and place.
        expected={**_API_NO, **_each(_matrix.JP_WRITERS, 200), **_each(_matrix.TJ_WRITERS, 403)},
        audit="consultation.changed",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "api.consultation.participant",
        "post",
        url=_api("participants/"),
        data=lambda f: {"name": "Раҳимов Фаррух", "title": "Migration Service", "sits_for": _side(f)},
        setup=_consultation,
        expected=_API_BOTH_CREATED,
        audit="consultation.participant_added",
        row=_matrix.count_of("notices.Participant"),
    ),
    _matrix.Action(
        "api.consultation.agenda",
        "post",
        url=_api("agenda/"),
        data=lambda f: {"topic": "d", "title": "Conduct of the tests"},
        setup=_consultation,
        expected=_API_BOTH_CREATED,
        audit="consultation.agenda_item_added",
        row=_matrix.count_of("notices.AgendaItem"),
    ),
    _matrix.Action(
        "api.consultation.link",
        "post",
        url=_api("links/"),
        data=lambda f: {"item": f.item.pk, "reference": f.other.reference},
        setup=_with_item,
        expected=_API_BOTH_CREATED,
        audit="consultation.record_linked",
        row=_matrix.count_of("notices.AgendaLink"),
    ),
    _matrix.Action(
        "api.consultation.minutes",
        "post",
        url=_api("minutes/"),
        data=lambda f: {"text": "1. The sides agreed to meet again."},
        setup=_consultation,
        expected=_API_BOTH,
        audit="consultation.minutes_changed",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "api.consultation.agree",
        "post",
        url=_api("agree/"),
        setup=_with_minutes,
        expected=_API_BOTH,
        audit="consultation.minutes_agreed",
        outbox={"notify"},
        row=_matrix.count_of("notices.MinutesAgreement"),
    ),
    _matrix.Action(
        "api.consultation.action-item",
        "post",
        url=_api("action-items/"),
        data=lambda f: {"description": "Send the guidance.", "owner_side": _side(f)},
        setup=_consultation,
        expected=_API_BOTH_CREATED,
        audit="consultation.action_item_added",
        outbox={"notify"},
        row=_matrix.count_of("notices.ActionItem"),
    ),
    _matrix.Action(
        "api.consultation.close-action-item",
        "post",
        url=_api("close-action-item/"),
        data=lambda f: {"item": f.action_item.pk, "status": "done"},
        setup=_with_item,
        expected=_API_BOTH,
        audit="consultation.action_item_closed",
        row=_matrix.row_of("action_item"),
    ),
    _matrix.Action(
        "api.consultation.pack",
        "post",
        url=_api("packs/"),
        data=lambda f: {"language": "en"},
        setup=_consultation,
        expected={**_API_NO, **_each(_matrix.WRITERS, 202)},
        audit="consultation.pack_requested",
        outbox={"notices.briefing_pack"},
        row=_matrix.count_of("notices.BriefingPack"),
    ),
    *_matrix.kit_actions(
        "consultation",
        url=_api,
        setup=_consultation,
        receiving="tj",
        origin="jp",
        consenting={
            **_matrix.each({"jp-contact", "tj-contact"}, 201),
            **_matrix.each({"jp-officer", "tj-officer"}, 403),
        },
        row=_row,
        third_party="tj-embassy-jp",
    ),
    # The pages --------------------------------------------------------------------------
    _matrix.Action(
        "consultation.schedule",
        "post",
        url=lambda f: "/notices/consultations/new/",
        data=lambda f: {"kind": "regular", "starts_at": _when(), "place": "Tokyo", "video_link": ""},
        expected=_PAGE_BOTH,
        audit=("record.created", "record.shared", "consultation.scheduled"),
        outbox={"notify"},
        row=_matrix.count_of("notices.Consultation"),
    ),
    _matrix.Action(
        "consultation.change",
        "post",
        url=_page("edit/"),
        data=lambda f: {"kind": "regular", "starts_at": _when(12), "place": "Osaka", "video_link": ""},
        setup=_consultation,
        expected={**_each(_matrix.JP_WRITERS, 302), **_LOGIN, "*": 404},
        audit="consultation.changed",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "consultation.participant",
        "post",
        url=_page("participants/"),
        data=lambda f: {"name": "佐藤 花子", "title": "ISA", "sits_for": _side_pk(f)},
        setup=_consultation,
        expected=_PAGE_BOTH,
        audit="consultation.participant_added",
        row=_matrix.count_of("notices.Participant"),
    ),
    _matrix.Action(
        "consultation.agenda",
        "post",
        url=_page("agenda/"),
        data=lambda f: {"topic": "e", "title": "Residence management", "notes": "", "references": ""},
        setup=_consultation,
        expected=_PAGE_BOTH,
        audit="consultation.agenda_item_added",
        row=_matrix.count_of("notices.AgendaItem"),
    ),
    _matrix.Action(
        "consultation.link",
        "post",
        url=lambda f: f"/notices/consultations/{f.consultation.pk}/agenda/{f.item.pk}/link/",
        data=lambda f: {"reference": f.other.reference},
        setup=_with_item,
        expected=_PAGE_BOTH,
        audit="consultation.record_linked",
        row=_matrix.count_of("notices.AgendaLink"),
    ),
    _matrix.Action(
        "consultation.minutes",
        "post",
        url=_page("minutes/"),
        data=lambda f: {"text": "1. The sides agreed to meet again."},
        setup=_consultation,
        expected=_PAGE_BOTH,
        audit="consultation.minutes_changed",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "consultation.agree",
        "post",
        url=_page("agree/"),
        setup=_with_minutes,
        # A reader who may not agree is sent back to the page with the reason.
        expected={
            **_each(_matrix.WRITERS, 302),
            **_each(_READERS, _matrix.Refused(302)),
            "superuser": _matrix.Refused(302),
            **_LOGIN,
            "*": 404,
        },
        audit="consultation.minutes_agreed",
        outbox={"notify"},
        row=_matrix.count_of("notices.MinutesAgreement"),
    ),
    _matrix.Action(
        "consultation.action-item",
        "post",
        url=_page("action-items/"),
        data=lambda f: {"description": "Send the guidance.", "owner_side": _side_pk(f), "due_on": ""},
        setup=_consultation,
        expected=_PAGE_BOTH,
        audit="consultation.action_item_added",
        outbox={"notify"},
        row=_matrix.count_of("notices.ActionItem"),
    ),
    _matrix.Action(
        "consultation.close-action-item",
        "post",
        url=lambda f: f"/notices/consultations/{f.consultation.pk}/action-items/{f.action_item.pk}/close/",
        data=lambda f: {"status": "cancelled"},
        setup=_with_item,
        expected=_PAGE_BOTH,
        audit="consultation.action_item_closed",
        row=_matrix.row_of("action_item"),
    ),
    _matrix.Action(
        "consultation.pack",
        "post",
        url=_page("packs/"),
        data=lambda f: {"language": "ja"},
        setup=_consultation,
        expected=_PAGE_BOTH,
        audit="consultation.pack_requested",
        outbox={"notices.briefing_pack"},
        row=_matrix.count_of("notices.BriefingPack"),
    ),
]:
    _matrix.register(_action)
