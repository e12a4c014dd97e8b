"""Helpers for the suspensions' tests: how the canary crawl creates temporary
suspensions of acceptance (``portal.testing.canary``) and their write actions in the
permission matrix (``portal.testing.matrix``). Loaded by ``notices.testing``.

At most one suspension of a sector is in force: each suspension made here takes a
sector of its own (the canary the next free one, the matrix a named one per action, as
the matrix builds every action's state in one world)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.testing import canary as _canary
from portal.testing import matrix as _matrix

from . import policies, services

#: Valid facts of a suspension; the tests give their own sector where they need to.
FACTS = {
    "sector": "construction",
    "reason": "The expected number of workers in the sector was reached.",
    "those_in_japan": "Workers already in Japan keep their status of residence.",
    "internal_notes": "Announced by the ISA the same day.",
}


def facts(**more) -> dict:
    return {**FACTS, "suspended_from": timezone.localdate() - dt.timedelta(days=10), **more}


def free_sector(memorandum):
    """A sector with no suspension in force in ``memorandum`` (the canary's next)."""
    from agencies.models import Sector
    from notices.models import AcceptanceSuspension

    taken = AcceptanceSuspension.objects.filter(
        memorandum=memorandum, state="in_force", status="shared"
    ).values_list("sector_id", flat=True)
    return Sector.objects.exclude(pk__in=taken).order_by("pk").first()


# --- The canary crawl --------------------------------------------------------------------


class CanarySuspensionFactory(_canary.RecordFactory):
    """A suspension recorded through the service when the officer's side accepts the
    workers (Japan); a draft, and a suspension of the partner side's officer, are
    states the services never make: the kit makes them, so that the crawl proves what
    would show of them too. The lifting's reason is written directly (a suspension in
    force has none; planted, it is published with the row)."""

    DIRECT = ("lifting_reason",)

    def public_fields(self, model, officer, situation):
        """A suspension Japan records is shown at once with every public list: its
        reason, what happens to those in Japan and the lifting's reason are anyone's in
        every situation but the draft. Internal notes never."""
        if situation == "draft" or not policies.is_accepting_side_officer(officer):
            return set()
        return {"reason", "those_in_japan", "lifting_reason"}

    def create(self, canary, model, officer, values, *, shared):
        from portal.records import services as kit

        values = dict(values)
        direct = {name: values.pop(name) for name in self.DIRECT if name in values}
        given = services._facts(facts(sector=free_sector(officer.organization.side.memorandum), **values))
        if shared and policies.is_accepting_side_officer(officer):
            suspension = services.record_suspension(officer, **given)
        else:
            suspension = kit.create_record(model, officer, **given)
            if shared:
                suspension = kit.share_record(suspension, officer)
        if direct:
            model.objects.filter(pk=suspension.pk).update(**direct)
        return model.objects.get(pk=suspension.pk)


def _register_canary() -> None:
    from notices.models import AcceptanceSuspension

    _canary.RECORD_FACTORIES.setdefault(AcceptanceSuspension, CanarySuspensionFactory())


_register_canary()


# --- The permission matrix of writes -----------------------------------------------------
#
# Who may change suspensions, from the rules (clause 8, DESIGN.md §2-3): Japan's writers
# (its contact point and officers) record a suspension, shared at once, correct and lift
# it; Tajikistan's writers acknowledge and assign it; either side's writers add files
# and ask for consent; Japan's contact point alone consents to disclose it. Analysts,
# administrators and third parties never write (403 in the API); the superuser is
# refused by the services (403); the anonymous caller is 401. A page a role cannot use
# at all is not found.

_each = _matrix.each
_API_NO = _matrix.API_NO
_API_JAPAN = {**_API_NO, **_each(_matrix.JP_WRITERS, 200), **_each(_matrix.TJ_WRITERS, 403)}
#: Recording, correcting and lifting tell the other side and ask every public list for
#: a new version (the notice shown with every list).
_PUBLISHED = {"notify", "publication.publish"}
_PAGE_JAPAN = {**_each(_matrix.JP_WRITERS, 302), "anonymous": _matrix.LOGIN, "*": 404}


def _suspension(sector: str):
    def setup(w) -> dict:
        return {"suspension": services.record_suspension(w.users["jp-officer"], **facts(sector=sector))}

    return setup


def _lifted(w) -> dict:
    suspension = services.record_suspension(w.users["jp-officer"], **facts(sector="forestry"))
    lifted = services.lift_suspension(
        suspension, w.users["jp-officer"], lifted_on=timezone.localdate(), reason="Shortage again."
    )
    return {"suspension": lifted}


def _api(path: str = ""):
    return lambda f: f"/api/v1/acceptance-suspensions/{f.suspension.pk}/{path}"


def _page(path: str):
    return lambda f: f"/notices/suspensions/{f.suspension.pk}/{path}"


def _sector_pk(code: str) -> int:
    from agencies.models import Sector

    return Sector.objects.get(code=code).pk


def _page_body(sector: str, **more) -> dict:
    return {**facts(sector=_sector_pk(sector)), "suspended_from": _ago(3), **more}


def _ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


_row = _matrix.row_of("suspension")
_count = _matrix.count_of("notices.AcceptanceSuspension")

for _action in [
    _matrix.Action(
        "api.suspension.record",
        "post",
        url=lambda f: "/api/v1/acceptance-suspensions/",
        data=lambda f: {**facts(sector="shipbuilding"), "suspended_from": _ago(3)},
        expected={**_API_NO, **_each(_matrix.JP_WRITERS, 201), **_each(_matrix.TJ_WRITERS, 403)},
        audit=("record.created", "record.shared", "suspension.recorded"),
        outbox=_PUBLISHED,
        row=_count,
    ),
    _matrix.Action(
        "api.suspension.correction",
        "post",
        url=_api("correction/"),
        data=lambda f: {"those_in_japan": "They may change employer within the sector."},
        setup=_suspension("aviation"),
        expected=_API_JAPAN,
        audit="suspension.corrected",
        outbox=_PUBLISHED,
        row=_row,
    ),
    _matrix.Action(
        "api.suspension.correction.lifted",
        "post",
        url=_api("correction/"),
        data=lambda f: {"reason": "Corrected."},
        setup=_lifted,
        expected={**_API_JAPAN, **_each(_matrix.JP_WRITERS, 409)},
        audit="suspension.corrected",
        row=_row,
    ),
    _matrix.Action(
        "api.suspension.lift",
        "post",
        url=_api("lift/"),
        data=lambda f: {"lifted_on": timezone.localdate().isoformat(), "reason": "The shortage returned."},
        setup=_suspension("accommodation"),
        expected=_API_JAPAN,
        audit="suspension.lifted",
        outbox=_PUBLISHED,
        row=_row,
    ),
    *_matrix.kit_actions(
        "suspension",
        url=_api,
        setup={
            "acknowledge": _suspension("railway"),
            "assign": _suspension("automobile-repair"),
            "attach": _suspension("automobile-transport"),
            "request-consent": _suspension("wood-industry"),
            "consent": _suspension("linen-supply"),
        },
        receiving="tj",
        origin="jp",
        consenting={"jp-contact": 201, **_matrix.each({"jp-officer", "tj-officer", "tj-contact"}, 403)},
        row=_row,
        third_party="tj-embassy-jp",
    ),
    # The pages ---------------------------------------------------------------------------
    _matrix.Action(
        "suspension.record",
        "post",
        url=lambda f: "/notices/suspensions/new/",
        data=lambda f: _page_body("logistics-warehousing"),
        expected=_PAGE_JAPAN,
        audit=("record.created", "record.shared", "suspension.recorded"),
        outbox=_PUBLISHED,
        row=_count,
    ),
    _matrix.Action(
        "suspension.correct",
        "post",
        url=_page("correct/"),
        data=lambda f: _page_body(
            "resource-circulation",
            reason="The expected number was reached in May.",
            reason_for_correction="Date.",
        ),
        setup=_suspension("resource-circulation"),
        expected=_PAGE_JAPAN,
        audit="suspension.corrected",
        outbox=_PUBLISHED,
        row=_row,
    ),
    _matrix.Action(
        "suspension.lift",
        "post",
        url=_page("lift/"),
        data=lambda f: {"lifted_on": timezone.localdate().isoformat(), "reason": "The shortage returned."},
        setup=_suspension("food-manufacturing"),
        expected=_PAGE_JAPAN,
        audit="suspension.lifted",
        outbox=_PUBLISHED,
        row=_row,
    ),
]:
    _matrix.register(_action)
