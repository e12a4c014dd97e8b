"""The returns part's canary factories and permission-matrix rows (loaded by notices.testing).

The canary crawl plants markers in a request's own text (the closing reason: both
sides, and a third party with the origin side's consent, as for any record) and, here,
in every personal-data field of its persons, with the audience the rules give them:
exactly the two contact-point organizations and the Embassy, in every situation — a
written consent to a third party opens nothing of them."""

from __future__ import annotations

import datetime as dt

from portal.testing import canary as _canary
from portal.testing import matrix as _matrix

from . import policies, services

#: Valid personal data of one person; tests give their own where they need to.
PERSON = {
    "full_name": "Karimov Umed",
    "date_of_birth": dt.date(1995, 3, 14),
    "residence_status": "ssw_i",
    "whereabouts": "Aichi Prefecture, Toyota: a friend's flat.",
    "reason": "The employment contract ended early.",
    "dependants": "",
}


def person(**more) -> dict:
    return {**PERSON, **more}


def contact_point_writer(side):
    from portal.models import User

    return User.objects.filter(
        organization__side=side,
        organization__is_contact_point=True,
        role="contact_point_officer",
        is_active=True,
    ).first()


# --- The canary crawl (portal/testing/canary.py) ---------------------------------------


class CanaryReturnFactory(_canary.RecordFactory):
    """A request made through the service (by the contact point of the officer's side)
    when that side asks; a draft, and a request of the partner side, are states the
    services never make: the kit makes them, so that the crawl proves what would show
    of them too. Two persons each, every personal field marked."""

    PERSON_TEXT = ("full_name", "whereabouts", "reason", "dependants")

    def _persons(self, canary, count: int = 2) -> tuple[list[dict], list[str]]:
        from portal.models import Organization

        allowed = set(Organization.objects.filter(is_contact_point=True).values_list("pk", flat=True))
        allowed |= set(
            Organization.objects.filter(kind="embassy", side__isnull=True).values_list("pk", flat=True)
        )
        audience = canary.audience(organizations=allowed, label="the two contact points and the Embassy")
        persons, tokens = [], []
        for _number in range(count):
            values = dict(PERSON)
            for name in self.PERSON_TEXT:
                token = canary.plant(
                    kind="notices.ReturnPerson",
                    field=name,
                    record="?",
                    situation="personal data",
                    audience=audience,
                )
                tokens.append(token)
                values[name] = f"{token} {values[name]}".strip()
            persons.append(values)
        return persons, tokens

    def create(self, canary, model, officer, values, *, shared):
        from notices.models import ReturnPerson
        from portal.models import Organization
        from portal.records import services as kit

        persons, tokens = self._persons(canary)
        embassy = Organization.objects.get(code="tj-embassy-jp")
        writer = contact_point_writer(officer.organization.side)
        if shared and policies.is_requesting_side(officer.organization) and writer is not None:
            record = services.create_request(writer, persons=persons, embassy=embassy)
        else:
            record = kit.create_record(model, officer, embassy=embassy)
            for number, facts in enumerate(persons, 1):
                ReturnPerson.objects.create(request=record, number=number, **facts)
            if shared:
                record = kit.share_record(record, officer)
        if values:
            model.objects.filter(pk=record.pk).update(**values)
        canary.rename_record(tokens, f"{model._meta.label}#{record.pk}")
        return model.objects.get(pk=record.pk)


def _register_canary() -> None:
    from notices.models import ReturnRequest

    _canary.RECORD_FACTORIES.setdefault(ReturnRequest, CanaryReturnFactory())


_register_canary()


# --- The permission matrix of writes (portal/testing/matrix.py) -------------------------
#
# Japan's contact-point writers make a request and add persons; the Tajik side's writers
# and the Embassy's users record steps; the writers of either side's contact point close
# a case; the kit's actions as for any record (Tajikistan acknowledges and assigns, either
# side's writers attach and ask for consent, Japan's contact point consents). A page a
# role cannot use at all is not found; the API says 403 to a reader of the request who may
# not act, 404 to one who cannot read it.

_each = _matrix.each
_API_NO = _matrix.API_NO
_JP_CONTACT = {**_API_NO, **_each(_matrix.WRITERS, 403)}
_LOGIN = {"anonymous": _matrix.LOGIN}


def _request(w) -> dict:
    return {"record": services.create_request(w.users["jp-contact"], persons=[person()])}


def _api(path: str = ""):
    return lambda f: f"/api/v1/return-requests/{f.record.pk}/{path}"


def _page(path: str):
    return lambda f: f"/notices/returns/{f.record.pk}/{path}"


def _yesterday() -> str:
    from portal.timezones import today_in

    return (today_in("JP") - dt.timedelta(days=1)).isoformat()


def _person_body(f) -> dict:
    body = person(full_name="Saidova Zarina")
    body["date_of_birth"] = body["date_of_birth"].isoformat()
    return body


def _step_body(f) -> dict:
    return {"person": f.record.persons.get(number=1).pk, "kind": "contacted", "on": _yesterday()}


_row = _matrix.row_of("record")
_persons = _matrix.count_of("notices.ReturnPerson")
_steps = _matrix.count_of("notices.ReturnStep")
_STEP_WRITERS = {"tj-contact", "tj-officer", "embassy-viewer"}

for _action in [
    _matrix.Action(
        "api.return.create",
        "post",
        url=lambda f: "/api/v1/return-requests/",
        data=lambda f: {"persons": [_person_body(f)]},
        expected={**_JP_CONTACT, "jp-contact": 201},
        audit=("record.created", "record.shared", "return.embassy_access", "return.requested"),
        outbox={"notify"},
        row=_matrix.count_of("notices.ReturnRequest"),
    ),
    _matrix.Action(
        "api.return.persons",
        "post",
        url=_api("persons/"),
        data=_person_body,
        setup=_request,
        expected={**_JP_CONTACT, "jp-contact": 201},
        audit="return.person_added",
        outbox={"notify"},
        row=_persons,
    ),
    _matrix.Action(
        "api.return.steps",
        "post",
        url=_api("steps/"),
        data=_step_body,
        setup=_request,
        expected={**_API_NO, **_each(_matrix.WRITERS, 403), **_each(_STEP_WRITERS, 201), "maff-viewer": 404},
        audit="return.step_recorded",
        row=_steps,
    ),
    _matrix.Action(
        "api.return.close",
        "post",
        url=_api("close/"),
        data=lambda f: {"reason": "The person left Japan on their own."},
        setup=_request,
        expected={**_JP_CONTACT, "jp-contact": 200, "tj-contact": 200},
        audit="return.closed",
        outbox={"notify"},
        row=_row,
    ),
    *_matrix.kit_actions(
        "return",
        url=_api,
        setup=_request,
        receiving="tj",
        origin="jp",
        consenting={"jp-contact": 201, **_matrix.each({"jp-officer", "tj-officer", "tj-contact"}, 403)},
        row=_row,
        third_party="jp-maff",
    ),
    # The pages ---------------------------------------------------------------------------
    _matrix.Action(
        "return.create",
        "post",
        url=lambda f: "/notices/returns/new/",
        data=_person_body,
        expected={"jp-contact": 302, **_LOGIN, "*": 404},
        audit=("record.created", "record.shared", "return.embassy_access", "return.requested"),
        outbox={"notify"},
        row=_matrix.count_of("notices.ReturnRequest"),
    ),
    _matrix.Action(
        "return.person",
        "post",
        url=_page("persons/new/"),
        data=_person_body,
        setup=_request,
        expected={"jp-contact": 302, **_LOGIN, "*": 404},
        audit="return.person_added",
        outbox={"notify"},
        row=_persons,
    ),
    _matrix.Action(
        "return.step",
        "post",
        url=_page("steps/new/"),
        data=_step_body,
        setup=_request,
        expected={**_each(_STEP_WRITERS, 302), **_LOGIN, "*": 404},
        audit="return.step_recorded",
        row=_steps,
    ),
    _matrix.Action(
        "return.close",
        "post",
        url=_page("close/"),
        data=lambda f: {"withdraw": "0", "reason": "The person left Japan on their own."},
        setup=_request,
        expected={"jp-contact": 302, "tj-contact": 302, **_LOGIN, "*": 404},
        audit="return.closed",
        outbox={"notify"},
        row=_row,
    ),
]:
    _matrix.register(_action)
