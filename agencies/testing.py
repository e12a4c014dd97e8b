"""Helpers for the agencies tests and benchmarks: an agency taken through screening to
certification with the services, as an officer would, and the operations an officer may
attempt in any order (the property-based tests)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from portal.exceptions import InvalidInput

from . import services
from .choices import CriterionResult, RevocationReason
from .models import Sector

_numbers = itertools.count(1)


def register(officer, **overrides):
    fields = {
        "name_tg": "Ширкати «Роҳи Ҷопон»",
        "name_ru": "ООО «Путь в Японию»",
        "name_en": "Japan Way LLC",
        "name_ja": "ジャパン・ウェイ",
        "registration_number": f"REG-{next(_numbers):05d}",
        "region": "Sughd",
        "city": "Khujand",
    }
    fields.update(overrides)
    sectors = fields.pop("sectors", None)
    if sectors is None:
        sectors = list(Sector.objects.filter(code__in=["nursing-care", "construction"]))
    return services.register_agency(officer, sectors=sectors, **fields)


def screen(agency, officer, *, failing: set[int] = frozenset()):
    screening = services.start_screening(agency, officer)
    results = {
        row.criterion_id: (
            CriterionResult.NOT_MET if row.criterion.number in failing else CriterionResult.MET,
            "",
        )
        for row in screening.results.select_related("criterion")
    }
    return services.record_screening(screening, officer, results)


def certified(officer, number: str | None = None, **overrides):
    agency = register(officer, **overrides)
    screen(agency, officer)
    today = timezone.localdate()
    return services.certify(
        agency,
        officer,
        certification_number=number or f"TJ-SSW-{next(_numbers):05d}",
        certified_on=today,
        valid_until=today + dt.timedelta(days=365),
    )


#: What an officer may attempt on an agency, in any order; a refusal is a valid outcome.
OPERATIONS = [
    "screen_pass",
    "screen_fail",
    "certify",
    "reject",
    "revoke",
    "reapply",
    "expire",
    "record_pass",
    "edit",
]


def attempt(operation: str, agency, officer) -> None:
    agency.refresh_from_db()
    if operation in {"screen_pass", "screen_fail"}:
        screening = services.start_screening(agency, officer)
        failing = operation == "screen_fail"
        services.record_screening(
            screening,
            officer,
            {
                row.criterion_id: (
                    CriterionResult.NOT_MET if failing and row.criterion.mandatory else CriterionResult.MET,
                    "",
                )
                for row in screening.results.select_related("criterion")
            },
        )
    elif operation == "record_pass":
        screening = agency.screenings.first()
        if screening is None:
            raise InvalidInput("no screening")
        services.record_screening(
            screening,
            officer,
            {row.criterion_id: (CriterionResult.MET, "") for row in screening.results.all()},
        )
    elif operation == "certify":
        services.certify(
            agency,
            officer,
            certification_number=f"P-{next(_numbers)}",
            certified_on=dt.date(2026, 1, 1),
            valid_until=dt.date(2027, 1, 1),
        )
    elif operation == "reject":
        services.reject(agency, officer, reason="incomplete")
    elif operation == "revoke":
        services.revoke(agency, officer, reason="breach", public_reason=RevocationReason.CRITERIA_NOT_MET)
    elif operation == "reapply":
        services.reapply(agency, officer)
    elif operation == "expire":
        services.expire_certifications(dt.date(2027, 1, 2))
    elif operation == "edit":
        count = next(_numbers)
        services.update_agency(
            agency,
            officer,
            phone=f"+992 {count:09d}",
            sectors=list(Sector.objects.filter(is_open=True).order_by("code")[count % 3 : count % 3 + 2]),
        )


# --- The canary crawl (portal/testing/canary.py, issue 8) ------------------------------

from portal.testing.canary import RecordFactory as _CanaryRecordFactory  # noqa: E402

#
# Who may read what of the register, written from the rules (7(1)-(4), DESIGN.md §3),
# not from agencies.querysets: the partner ministry's officers read everything of its
# register; Japan's side reads an agency once it was certified (its information was
# provided to Japan), never the partner's tax number; anyone reads the published fields
# of an agency ever certified (the public lists). Screening notes, guidance and the
# reason of a rejection stay with the partner ministry; the internal reason of a
# certification or revocation is provided to Japan (the public list shows only its
# category).

#: Fields of the partner ministry's own register that Japan never receives.
CANARY_PARTNER_ONLY = frozenset({"tax_number"})

CANARY_AGENCY_SITUATIONS = [
    "application received",
    "under screening",
    "rejected",
    "certified",
    "revoked",
    "certified after a rejection",
]


def _canary_sides(canary):
    from portal.models import Memorandum

    memorandum = Memorandum.objects.order_by("pk").first()
    partner = memorandum.sides.get(country=memorandum.partner_country)
    return partner, partner.counterpart()


def _canary_screen(canary, agency, officer, partner, situation, *, failing: bool):
    screening = services.start_screening(agency, officer)
    label = f"agencies.SendingAgency#{agency.pk}"
    audience = canary.audience(sides={partner.pk}, label="the partner ministry's side")
    results = {}
    for row in screening.results.select_related("criterion"):
        token = canary.plant(
            kind="agencies.Screening",
            field="results.note",
            record=label,
            situation=situation,
            audience=audience,
        )
        met = CriterionResult.NOT_MET if failing and row.criterion.mandatory else CriterionResult.MET
        results[row.criterion_id] = (met, f"Note {token}")
    note = canary.plant(
        kind="agencies.Screening", field="note", record=label, situation=situation, audience=audience
    )
    services.record_screening(screening, officer, results, note=f"Overall {note}")
    canary.add(screening)
    return screening


def canary_agencies(canary) -> None:
    """Sending agencies in each status, every text field marked."""
    from portal.publication.reading import published_lists
    from portal.testing.canary import text_fields, value_for

    from .models import PUBLISHED_FIELDS, SendingAgency

    published_lists.clear()
    canary.cleanups.append(published_lists.clear)
    officer = canary.cast["tj_officer"]
    partner, japan = _canary_sides(canary)
    both = canary.audience(sides={partner.pk, japan.pk}, label="both sides")
    partner_only = canary.audience(sides={partner.pk}, label="the partner ministry's side")
    public = canary.audience(public=True, label="anyone (published)")
    today = timezone.localdate()
    for situation in CANARY_AGENCY_SITUATIONS:
        ever_certified = situation.startswith("certified") or situation == "revoked"
        values, tokens = {}, []
        for f in text_fields(SendingAgency):
            if f.name in CANARY_PARTNER_ONLY:
                audience = partner_only
            elif ever_certified and f.name in PUBLISHED_FIELDS:
                audience = public
            elif ever_certified:
                audience = both
            else:
                audience = partner_only
            token = canary.plant(
                kind="agencies.SendingAgency",
                field=f.name,
                record="?",
                situation=situation,
                audience=audience,
            )
            tokens.append(token)
            values[f.name] = value_for(f, token)
        # Names in each script the agency writes them in.
        values["name_tg"] = f"Ширкати {values['name_tg']}"
        values["name_ru"] = f"ООО {values['name_ru']}"
        values["name_en"] = f"{values['name_en']} LLC"
        values["name_ja"] = f"{values['name_ja']}株式会社"
        agency = register(officer, **values)
        label = f"agencies.SendingAgency#{agency.pk}"
        canary.rename_record(tokens, label)
        canary.add(agency)

        def reason(field: str, audience, agency=agency, situation=situation, label=label) -> str:
            return "Internal " + canary.plant(
                kind="agencies.AgencyEvent", field=field, record=label, situation=situation, audience=audience
            )

        if situation == "under screening":
            _canary_screen(canary, agency, officer, partner, situation, failing=False)
        elif situation in {"rejected", "certified after a rejection"}:
            _canary_screen(canary, agency, officer, partner, situation, failing=True)
            services.reject(agency, officer, reason=reason("reason (rejection)", partner_only))
        if situation == "certified after a rejection":
            services.reapply(agency, officer)
        if ever_certified:
            _canary_screen(canary, agency, officer, partner, situation, failing=False)
            agency = services.certify(
                agency,
                officer,
                certification_number=f"TJ-CANARY-{agency.pk:04d}",
                certified_on=today,
                valid_until=today + dt.timedelta(days=365),
            )
            guidance = services.give_guidance(
                agency,
                officer,
                given_on=today,
                subject=canary.plant(
                    kind="agencies.Guidance",
                    field="subject",
                    record=label,
                    situation=situation,
                    audience=partner_only,
                ),
                outcome=canary.plant(
                    kind="agencies.Guidance",
                    field="outcome",
                    record=label,
                    situation=situation,
                    audience=partner_only,
                ),
            )
            canary.add(guidance)
        if situation == "revoked":
            services.revoke(
                agency,
                officer,
                reason=reason("reason (revocation)", both),
                public_reason=RevocationReason.IMPROPER_CONDUCT,
            )
        if situation == "certified":
            canary.state["agencies.subject"] = agency  # what the investigations are about
        canary.add(*agency.events.all())

    def published_versions():
        from portal.publication.models import Publication

        return sorted(set(Publication.objects.values_list("version", flat=True)))

    def published_keys():
        return sorted(
            SendingAgency.objects.exclude(certification_number=None).values_list(
                "certification_number", flat=True
            )
        )

    def publisher_urls():
        # The public API names the publisher in the query string, which the schema omits.
        from django.conf import settings
        from django.urls import reverse

        from portal.publication.models import Publication

        urls = []
        for side in (partner, japan):
            query = f"?publisher={side.code}"
            urls.append(reverse("api:published-agency-list-list") + query)
            urls.append(reverse("api:published-agency-list-current") + query)
            for version in Publication.objects.filter(side=side).values_list("version", flat=True):
                urls.append(reverse("api:published-agency-list-detail", args=[version]) + query)
            for status in ("certified", "revoked", "expired"):
                urls.append(reverse("public:agency-list", args=[side.code]) + f"?status={status}")
        api = [variant for url in urls for variant in (url, f"{url}&format=api")]
        # Each language's pre-rendered page of each side's list.
        pages = [
            reverse(name, args=[side.code]) + f"?lang={language}"
            for side in (partner, japan)
            for name in ("public:agency-list", "public:agency-versions")
            for language, _label in settings.LANGUAGES
        ]
        return api + pages

    canary.kwarg_values["side_code"] = [partner.code, japan.code]
    canary.kwarg_values["kind"] = ["csv", "json", "html", "pdf"]
    canary.kwarg_values["version"] = published_versions
    canary.kwarg_values["key"] = published_keys
    canary.extra_urls.append(publisher_urls)


class CanaryInvestigationFactory(_CanaryRecordFactory):
    """Investigations through the services: Japan reports (7(3)); the partner ministry
    assigns, gives guidance and sends its result — its part of the record."""

    def required(self, canary, model, officer):
        values = super().required(canary, model, officer)
        values["agency"] = canary.state["agencies.subject"]
        values["due_on"] = timezone.localdate() + dt.timedelta(days=30)
        return values

    def create(self, canary, model, officer, values, *, shared):
        from .querysets import is_partner_officer

        agency = canary.state["agencies.subject"]
        if not shared or is_partner_officer(officer, agency.memorandum):
            return super().create(canary, model, officer, values, shared=shared)
        values = dict(values)
        own = {name: values.pop(name) for name in ("facts", "related_references") if name in values}
        record = services.report_for_investigation(
            officer, agency, due_on=timezone.localdate() + dt.timedelta(days=30), **own
        )
        if values:  # text fields added to the model since: set as written
            model.objects.filter(pk=record.pk).update(**values)
        return record

    def add_counterpart(self, canary, record, officer, values, plant):
        from .choices import InvestigationOutcome
        from .querysets import is_partner_officer

        if not is_partner_officer(officer, record.memorandum):
            return super().add_counterpart(canary, record, officer, values, plant)
        values = dict(values)
        services.assign_investigation(record, officer, assignee=officer)
        services.send_investigation_result(
            record,
            officer,
            findings=values.pop("findings", "Findings"),
            measures=values.pop("measures", ""),
            outcome=InvestigationOutcome.GUIDANCE,
        )
        guidance = services.give_guidance(
            record.agency,
            officer,
            given_on=timezone.localdate(),
            subject=plant("guidance.subject"),
            outcome=plant("guidance.outcome"),
            investigation=record,
        )
        canary.add(guidance)
        if values:
            type(record).objects.filter(pk=record.pk).update(**values)
        return None


def _register_canary() -> None:
    from portal.testing import canary

    from .models import Investigation

    canary.register_scenario(canary_agencies)
    canary.RECORD_FACTORIES.setdefault(Investigation, CanaryInvestigationFactory())


_register_canary()


# --- The permission matrix of writes (portal/testing/matrix.py, issue 9) ---------------
#
# Who may change the register, written from the rules (7(1)-(4), DESIGN.md §2-3): the
# officers of the ministry that keeps it (the partner side's contact-point officers and
# officers) register, screen, certify, reject, revoke, re-admit and guide; Japan's
# officers acknowledge a certification or revocation and ask for an investigation of a
# certified agency; the partner's officers assign it and send its result. Analysts,
# administrators and third parties never write; the superuser administers in Django
# admin and is refused on the officers' pages (a form showing the service's reason, or
# a redirect with it as a message) and in the API (403). An agency Japan cannot see is
# a 404; an agency it can see but may not change is refused by the service.

from portal.testing import matrix as _matrix  # noqa: E402

from .models import PUBLISHED_FIELDS as _PUBLISHED_FIELDS  # noqa: E402


def _matrix_today() -> str:
    return timezone.localdate().isoformat()


def _matrix_in(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _matrix_application(w) -> dict:
    return {"agency": register(w.users["tj-officer"])}


def _matrix_under_screening(w, failing=frozenset()) -> dict:
    """Under screening, every criterion recorded: met, or not met for ``failing``."""
    agency = register(w.users["tj-officer"])
    screening = screen(agency, w.users["tj-officer"], failing=failing)
    return {"agency": agency, "screening": screening}


def _matrix_screening_started(w) -> dict:
    agency = register(w.users["tj-officer"])
    return {"agency": agency, "screening": services.start_screening(agency, w.users["tj-officer"])}


def _matrix_certified(w) -> dict:
    from .choices import AgencyStatus

    agency = certified(w.users["tj-officer"])
    event = agency.events.get(to_status=AgencyStatus.CERTIFIED)
    return {"agency": agency, "event": event}


def _matrix_acknowledged(w) -> dict:
    state = _matrix_certified(w)
    services.acknowledge(state["event"], w.users["jp-contact"])
    return state


def _matrix_rejected(w) -> dict:
    state = _matrix_under_screening(w, failing={1})
    services.reject(state["agency"], w.users["tj-officer"], reason="incomplete")
    return state


def _matrix_reported(w) -> dict:
    """An investigation Japan asked for, of a certified agency, not yet assigned."""
    agency = certified(w.users["tj-officer"])
    investigation = services.report_for_investigation(
        w.users["jp-officer"],
        agency,
        facts="Fees charged to workers.",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return {"agency": agency, "investigation": investigation}


def _matrix_reported_and_disclosed(w) -> dict:
    """Reported, and Japan's part disclosed to the Embassy with Japan's consent."""
    from portal import services as core

    state = _matrix_reported(w)
    core.grant_consent(
        state["investigation"],
        w.users["jp-contact"],
        third_party=w.org("tj-embassy-jp"),
        document_reference="No. 12/26",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return state


def _matrix_under_investigation(w) -> dict:
    state = _matrix_reported(w)
    officer = w.users["tj-officer"]
    state["investigation"] = services.assign_investigation(state["investigation"], officer, assignee=officer)
    return state


def _matrix_result_sent(w) -> dict:
    from .choices import InvestigationOutcome

    state = _matrix_under_investigation(w)
    state["investigation"] = services.send_investigation_result(
        state["investigation"],
        w.users["tj-officer"],
        findings="Found.",
        measures="",
        outcome=InvestigationOutcome.GUIDANCE,
    )
    return state


def _matrix_agency_form(f, **changes) -> dict:
    """The agency form as the officer would submit it, with ``changes``."""
    agency = f.agency
    data = {name: getattr(agency, name) or "" for name in (*_PUBLISHED_FIELDS, "tax_number")}
    data["sectors"] = [sector.pk for sector in agency.sectors.all()]
    data.update(changes)
    return data


def _matrix_new_agency(f) -> dict:
    return {
        "name_tg": "Ширкати «Матритса»",
        "registration_number": "REG-MATRIX",
        "region": "Sughd",
        "city": "Khujand",
        "sectors": [sector.pk for sector in Sector.objects.filter(code="construction")],
    }


def _matrix_screening_form(f) -> dict:
    data = {"note": "Checked on site."}
    for row in f.screening.results.all():
        data[f"result_{row.criterion_id}"] = CriterionResult.MET
        data[f"note_{row.criterion_id}"] = "ok"
    return data


def _matrix_screening_row(f):
    from .models import Screening

    return (
        list(f.screening.results.order_by("pk").values_list("result", "note")),
        Screening.objects.filter(pk=f.screening.pk).values_list("note", flat=True).first(),
    )


def _matrix_certification(f) -> dict:
    return {
        "certification_number": "TJ-MATRIX-1",
        "certified_on": _matrix_today(),
        "valid_until": _matrix_in(365),
    }


def _matrix_revocation(f) -> dict:
    return {
        "public_reason": RevocationReason.CRITERIA_NOT_MET,
        "reason": "Breach found.",
        "effective_on": _matrix_today(),
    }


_agency = _matrix.row_of("agency")
_agency_and_events = _matrix.row_of("agency", "events")

#: A change to the register on a page that names the agency: its ministry's officers
#: succeed (redirected to the agency), an agency out of reach is a 404.
_REGISTER_FORM = {
    **_matrix.each(_matrix.TJ_WRITERS, 302),
    "superuser": _matrix.Refused(200),
    "anonymous": _matrix.LOGIN,
    "*": 404,
}
_REGISTER_BUTTON = {**_REGISTER_FORM, "superuser": _matrix.Refused(302)}
#: Japan acts on what it can see of a certified agency: everyone of both sides sees it.
_JAPAN_ACTS = {
    **_matrix.each(_matrix.JP_WRITERS, 302),
    **_matrix.each(
        _matrix.JP_READERS | _matrix.TJ_WRITERS | _matrix.TJ_READERS | {"superuser"}, _matrix.Refused(200)
    ),
    "anonymous": _matrix.LOGIN,
    "*": 404,
}
#: The partner acts on an investigation both sides read (third parties: no consent).
_PARTNER_ACTS = {
    **_matrix.each(_matrix.TJ_WRITERS, 302),
    **_matrix.each(
        _matrix.JP_WRITERS | _matrix.JP_READERS | _matrix.TJ_READERS | {"superuser"}, _matrix.Refused(200)
    ),
    "anonymous": _matrix.LOGIN,
    "*": 404,
}

for _action in [
    _matrix.Action(
        "agency.register",
        "post",
        url=lambda f: "/agencies/new/",
        data=_matrix_new_agency,
        expected={**_REGISTER_FORM, "superuser": 404},  # no side: not the register's ministry
        audit="agency.registered",
        row=_matrix.count_of("agencies.SendingAgency"),
    ),
    _matrix.Action(
        "agency.edit",
        "post",
        url=lambda f: f"/agencies/{f.agency.pk}/edit/",
        data=lambda f: _matrix_agency_form(f, phone="+992 37 000 00 01"),
        setup=_matrix_certified,
        expected=_REGISTER_FORM,
        audit="agency.updated",
        outbox={"publication.publish"},  # a published field of a certified agency
        row=_agency,
    ),
    _matrix.Action(
        "agency.start-screening",
        "post",
        url=lambda f: f"/agencies/{f.agency.pk}/screening/start/",
        setup=_matrix_application,
        expected=_REGISTER_BUTTON,
        audit="agency.transition",
        row=_agency,
    ),
    _matrix.Action(
        "agency.record-screening",
        "post",
        url=lambda f: f"/agencies/{f.agency.pk}/screenings/{f.screening.pk}/",
        data=_matrix_screening_form,
        setup=_matrix_screening_started,
        # The page is read by the register's side: its readers get the form, unsaved.
        expected={**_REGISTER_FORM, **_matrix.each(_matrix.TJ_READERS, _matrix.Refused(200))},
        audit="agency.screening_recorded",
        row=_matrix_screening_row,
    ),
    _matrix.Action(
        "agency.certify",
        "post",
        url=lambda f: f"/agencies/{f.agency.pk}/certify/",
        data=_matrix_certification,
        setup=_matrix_under_screening,
        expected=_REGISTER_FORM,
        audit="agency.transition",
        outbox={"publication.publish", "notify"},
        row=_agency,
    ),
    _matrix.Action(
        "agency.certify.failing-criterion",
        "post",
        url=lambda f: f"/agencies/{f.agency.pk}/certify/",
        data=_matrix_certification,
        setup=lambda w: _matrix_under_screening(w, failing={1}),
        expected={**_REGISTER_FORM, **_matrix.each(_matrix.TJ_WRITERS, _matrix.Refused(200))},
        audit="agency.transition",
        row=_agency,
    ),
    _matrix.Action(
        "agency.reject",
        "post",
        url=lambda f: f"/agencies/{f.agency.pk}/reject/",
        data=lambda f: {"reason": "Criterion 1 is not met."},
        setup=lambda w: _matrix_under_screening(w, failing={1}),
        expected=_REGISTER_FORM,
        audit="agency.transition",
        row=_agency,
    ),
    _matrix.Action(
        "agency.revoke",
        "post",
        url=lambda f: f"/agencies/{f.agency.pk}/revoke/",
        data=_matrix_revocation,
        setup=_matrix_certified,
        expected=_REGISTER_FORM,
        audit="agency.transition",
        outbox={"publication.publish", "notify"},
        row=_agency,
    ),
    _matrix.Action(
        "agency.reapply",
        "post",
        url=lambda f: f"/agencies/{f.agency.pk}/reapply/",
        setup=_matrix_rejected,
        expected=_REGISTER_BUTTON,
        audit="agency.transition",
        row=_agency,
    ),
    _matrix.Action(
        "agency.guidance",
        "post",
        url=lambda f: f"/agencies/{f.agency.pk}/guidance/",
        data=lambda f: {"given_on": _matrix_today(), "subject": "Fees", "outcome": "Refunded."},
        setup=_matrix_certified,
        expected=_REGISTER_FORM,
        audit="agency.guidance_given",
        row=_matrix.row_of("agency", "guidance"),
    ),
    _matrix.Action(
        "agency.report",
        "post",
        url=lambda f: f"/agencies/{f.agency.pk}/investigate/",
        data=lambda f: {"facts": "Fees charged to workers.", "due_on": _matrix_in(30)},
        setup=_matrix_certified,
        expected=_JAPAN_ACTS,
        audit=("investigation.reported", "record.created", "record.shared"),
        outbox={"notify"},
        row=_matrix.count_of("agencies.Investigation"),
    ),
    _matrix.Action(
        "agency.acknowledge",
        "post",
        url=lambda f: f"/agencies/{f.agency.pk}/events/{f.event.pk}/acknowledge/",
        setup=_matrix_certified,
        expected={
            **_JAPAN_ACTS,
            **_matrix.each(
                _matrix.JP_READERS | _matrix.TJ_WRITERS | _matrix.TJ_READERS | {"superuser"},
                _matrix.Refused(302),
            ),
        },
        audit="agency.acknowledged",
        row=_matrix.row_of("event"),
    ),
    _matrix.Action(
        "investigation.assign",
        "post",
        url=lambda f: f"/agencies/investigations/{f.investigation.pk}/assign/",
        data=lambda f: {"assignee": f.users["tj-officer"].pk},
        setup=_matrix_reported,
        expected=_PARTNER_ACTS,
        audit="record.assigned",  # the kit's assignment (issue 9)
        outbox={"notify"},  # the assignee is told (issue 9)
        row=_matrix.row_of("investigation"),
    ),
    _matrix.Action(
        "investigation.assign.disclosed",
        "post",
        url=lambda f: f"/agencies/investigations/{f.investigation.pk}/assign/",
        data=lambda f: {"assignee": f.users["tj-officer"].pk},
        setup=_matrix_reported_and_disclosed,
        # The Embassy reads Japan's part with Japan's consent, and may do nothing else.
        expected={**_PARTNER_ACTS, "embassy-viewer": _matrix.Refused(200)},
        audit="record.assigned",  # the kit's assignment (issue 9)
        outbox={"notify"},
        row=_matrix.row_of("investigation"),
    ),
    _matrix.Action(
        "investigation.result",
        "post",
        url=lambda f: f"/agencies/investigations/{f.investigation.pk}/result/",
        data=lambda f: {"findings": "Fees refunded.", "measures": "Guidance.", "outcome": "guidance"},
        setup=_matrix_under_investigation,
        expected=_PARTNER_ACTS,
        audit="investigation.result_sent",
        outbox={"notify"},
        row=_matrix.row_of("investigation"),
    ),
    _matrix.Action(
        "investigation.consent",
        "post",
        url=lambda f: f"/records/agencies/investigation/{f.investigation.pk}/consent/",
        data=lambda f: {
            "third_party": f.org("tj-embassy-jp").pk,
            "document_reference": "No. 10/26",
            "expires_at": (timezone.now() + dt.timedelta(days=30)).strftime("%Y-%m-%d %H:%M"),
        },
        setup=_matrix_reported,
        # Each side's contact point consents to the disclosure of its own part
        # (DESIGN.md §3); for anyone else the page is not found.
        expected={
            **_matrix.each({"jp-contact", "tj-contact"}, 302),
            "anonymous": _matrix.LOGIN,
            "*": 404,
        },
        audit="consent.granted",
        outbox={"notify", "records.consent_letter"},
        row=_matrix.count_of("portal.DisclosureConsent"),
    ),
]:
    _matrix.register(_action)

# The same writes through the API: a role that does not write is refused before any
# lookup (403), a writer who cannot reach the agency gets a 404, a writer who can see it
# but may not act is refused by the service (403), a wrong state is a 409.
_API_NO = {
    **_matrix.each(_matrix.JP_READERS | _matrix.TJ_READERS | _matrix.THIRD_PARTIES, 403),
    "superuser": 403,
    "anonymous": 401,
}
_API_REGISTER = {**_API_NO, **_matrix.each(_matrix.TJ_WRITERS, 200), **_matrix.each(_matrix.JP_WRITERS, 404)}
_API_JAPAN_ACTS = {
    **_API_NO,
    **_matrix.each(_matrix.JP_WRITERS, 200),
    **_matrix.each(_matrix.TJ_WRITERS, 403),
}
_API_PARTNER_ACTS = {
    **_API_NO,
    **_matrix.each(_matrix.TJ_WRITERS, 200),
    **_matrix.each(_matrix.JP_WRITERS, 403),
}


def _api(path: str):
    return lambda f: f"/api/v1/agencies/{f.agency.pk}/{path}"


for _action in [
    _matrix.Action(
        "api.agency.register",
        "post",
        url=lambda f: "/api/v1/agencies/",
        data=lambda f: {**_matrix_new_agency(f), "sectors": ["construction"]},
        expected={
            **_API_REGISTER,
            **_matrix.each(_matrix.TJ_WRITERS, 201),
            **_matrix.each(_matrix.JP_WRITERS, 403),
        },
        audit="agency.registered",
        row=_matrix.count_of("agencies.SendingAgency"),
    ),
    _matrix.Action(
        "api.agency.edit",
        "patch",
        url=_api(""),
        data=lambda f: {"phone": "+992 37 000 00 02"},
        setup=_matrix_certified,
        expected=_API_REGISTER,
        audit="agency.updated",
        outbox={"publication.publish"},
        row=_agency,
    ),
    _matrix.Action(
        "api.agency.start-screening",
        "post",
        url=_api("start-screening/"),
        setup=_matrix_application,
        expected={**_API_REGISTER, **_matrix.each(_matrix.TJ_WRITERS, 201)},
        audit="agency.transition",
        row=_agency,
    ),
    _matrix.Action(
        "api.agency.record-screening",
        "post",
        url=_api("screening/"),
        data=lambda f: {
            "results": [
                {"criterion": row.criterion.number, "result": "met"}
                for row in f.screening.results.select_related("criterion")
            ],
            "note": "Checked.",
        },
        setup=_matrix_screening_started,
        expected=_API_REGISTER,
        audit="agency.screening_recorded",
        row=_matrix_screening_row,
    ),
    _matrix.Action(
        "api.agency.certify",
        "post",
        url=_api("certify/"),
        data=_matrix_certification,
        setup=_matrix_under_screening,
        expected=_API_REGISTER,
        audit="agency.transition",
        outbox={"publication.publish", "notify"},
        row=_agency,
    ),
    _matrix.Action(
        "api.agency.certify.failing-criterion",
        "post",
        url=_api("certify/"),
        data=_matrix_certification,
        setup=lambda w: _matrix_under_screening(w, failing={1}),
        expected={**_API_REGISTER, **_matrix.each(_matrix.TJ_WRITERS, 409)},
        audit="agency.transition",
        row=_agency,
    ),
    _matrix.Action(
        "api.agency.reject",
        "post",
        url=_api("reject/"),
        data=lambda f: {"reason": "Criterion 1 is not met."},
        setup=lambda w: _matrix_under_screening(w, failing={1}),
        expected=_API_REGISTER,
        audit="agency.transition",
        row=_agency,
    ),
    _matrix.Action(
        "api.agency.revoke",
        "post",
        url=_api("revoke/"),
        data=_matrix_revocation,
        setup=_matrix_certified,
        expected=_API_REGISTER,
        audit="agency.transition",
        outbox={"publication.publish", "notify"},
        row=_agency,
    ),
    _matrix.Action(
        "api.agency.revoke.not-certified",
        "post",
        url=_api("revoke/"),
        data=_matrix_revocation,
        setup=_matrix_application,
        expected={**_API_REGISTER, **_matrix.each(_matrix.TJ_WRITERS, 409)},
        audit="agency.transition",
        row=_agency,
    ),
    _matrix.Action(
        "api.agency.reapply",
        "post",
        url=_api("reapply/"),
        setup=_matrix_rejected,
        expected=_API_REGISTER,
        audit="agency.transition",
        row=_agency,
    ),
    _matrix.Action(
        "api.agency.acknowledge",
        "post",
        url=lambda f: f"/api/v1/agencies/{f.agency.pk}/events/{f.event.pk}/acknowledge/",
        setup=_matrix_certified,
        expected=_API_JAPAN_ACTS,
        audit="agency.acknowledged",
        row=_matrix.row_of("event"),
    ),
    _matrix.Action(
        "api.agency.acknowledge.already-acknowledged",
        "post",
        url=lambda f: f"/api/v1/agencies/{f.agency.pk}/events/{f.event.pk}/acknowledge/",
        setup=_matrix_acknowledged,
        expected={**_API_JAPAN_ACTS, **_matrix.each(_matrix.JP_WRITERS, 409)},
        audit="agency.acknowledged",
        row=_matrix.row_of("event"),
    ),
    _matrix.Action(
        "api.investigation.report",
        "post",
        url=lambda f: "/api/v1/investigations/",
        data=lambda f: {"agency": f.agency.pk, "facts": "Fees charged to workers.", "due_on": _matrix_in(30)},
        setup=_matrix_certified,
        expected={**_API_JAPAN_ACTS, **_matrix.each(_matrix.JP_WRITERS, 201)},
        audit=("investigation.reported", "record.created", "record.shared"),
        outbox={"notify"},
        row=_matrix.count_of("agencies.Investigation"),
    ),
    _matrix.Action(
        "api.investigation.assign",
        "post",
        url=lambda f: f"/api/v1/investigations/{f.investigation.pk}/assign/",
        data=lambda f: {"assignee": f.users["tj-officer"].pk},  # the kit's API takes the id
        setup=_matrix_reported,
        expected=_API_PARTNER_ACTS,
        audit="record.assigned",  # the kit's assignment (issue 9)
        outbox={"notify"},
        row=_matrix.row_of("investigation"),
    ),
    _matrix.Action(
        "api.investigation.result",
        "post",
        url=lambda f: f"/api/v1/investigations/{f.investigation.pk}/result/",
        data=lambda f: {"findings": "Fees refunded.", "measures": "Guidance.", "outcome": "guidance"},
        setup=_matrix_under_investigation,
        expected=_API_PARTNER_ACTS,
        audit="investigation.result_sent",
        outbox={"notify"},
        row=_matrix.row_of("investigation"),
    ),
    _matrix.Action(
        "api.investigation.result.already-sent",
        "post",
        url=lambda f: f"/api/v1/investigations/{f.investigation.pk}/result/",
        data=lambda f: {"findings": "Again.", "measures": "", "outcome": "guidance"},
        setup=_matrix_result_sent,
        expected={**_API_PARTNER_ACTS, **_matrix.each(_matrix.TJ_WRITERS, 409)},
        audit="investigation.result_sent",
        row=_matrix.row_of("investigation"),
    ),
]:
    _matrix.register(_action)

# The shared-record kit's actions on an investigation Japan reported: Tajikistan, which
# received it, acknowledges it; a writer of either side adds a file or asks for consent.


def _matrix_pdf(f):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.testing.files import PDF

    return SimpleUploadedFile("statement.pdf", PDF, content_type="application/pdf")


def _matrix_investigation_kit(action: str):
    return lambda f: f"/records/agencies/investigation/{f.investigation.pk}/{action}/"


def _matrix_investigation_api(action: str):
    return lambda f: f"/api/v1/investigations/{f.investigation.pk}/{action}/"


for _action in [
    _matrix.Action(
        "investigation.acknowledge",
        "post",
        url=_matrix_investigation_kit("acknowledge"),
        setup=_matrix_reported,
        expected={
            **_matrix.each(_matrix.TJ_WRITERS, 302),
            **_matrix.each(
                _matrix.JP_WRITERS | _matrix.JP_READERS | _matrix.TJ_READERS | {"superuser"},
                _matrix.Refused(302),
            ),
            "anonymous": _matrix.LOGIN,
            "*": 404,
        },
        audit="record.acknowledged",
        outbox={"notify"},
        row=_matrix.row_of("investigation"),
    ),
    _matrix.Action(
        "api.investigation.acknowledge",
        "post",
        url=_matrix_investigation_api("acknowledge"),
        setup=_matrix_reported,
        expected={
            **_API_NO,
            **_matrix.each(_matrix.TJ_WRITERS, 200),
            **_matrix.each(_matrix.JP_WRITERS, 403),
        },
        audit="record.acknowledged",
        outbox={"notify"},
        row=_matrix.row_of("investigation"),
    ),
    _matrix.Action(
        "api.investigation.attach",
        "post",
        url=_matrix_investigation_api("attachments"),
        data=lambda f: {"file": _matrix_pdf(f), "description": "Statement"},
        setup=_matrix_reported,
        expected={**_API_NO, **_matrix.each(_matrix.WRITERS, 201)},
        audit="record.attached",
        outbox={"notify"},
        row=_matrix.count_of("records.Attachment"),
        multipart=True,
    ),
    _matrix.Action(
        "api.investigation.request-consent",
        "post",
        url=_matrix_investigation_api("consent-requests"),
        data=lambda f: {
            "third_party": "tj-embassy-jp",
            "side": f.users["jp-contact"].organization.side.code,  # Japan's report
            "purpose": "The Embassy assists the workers concerned.",
            "requested_until": _matrix_in(30),
        },
        setup=_matrix_reported,
        expected={**_API_NO, **_matrix.each(_matrix.WRITERS, 201)},
        audit="consent.requested",
        outbox={"notify"},
        row=_matrix.count_of("records.ConsentRequest"),
    ),
    _matrix.Action(
        "api.investigation.consent",
        "post",
        url=_matrix_investigation_api("consent"),
        data=lambda f: {
            "third_party": "tj-embassy-jp",
            "document_reference": "No. 14/26",
            "expires_at": (timezone.now() + dt.timedelta(days=30)).isoformat(),
        },
        setup=_matrix_reported,
        # Each side's contact point records its own side's consent; the officers are
        # refused by the service.
        expected={
            **_API_NO,
            **_matrix.each({"jp-contact", "tj-contact"}, 201),
            **_matrix.each({"jp-officer", "tj-officer"}, 403),
        },
        audit="consent.granted",
        outbox={"notify", "records.consent_letter"},
        row=_matrix.count_of("portal.DisclosureConsent"),
    ),
]:
    _matrix.register(_action)

# The wrong states of the kit's API actions on an investigation: acknowledged once, or
# closed by its result (409 for Tajikistan's writers, who could otherwise act).


def _matrix_reported_and_acknowledged(w) -> dict:
    from portal.records import services as kit

    state = _matrix_reported(w)
    state["investigation"] = kit.acknowledge(state["investigation"], w.users["tj-contact"])
    return state


for _action in [
    _matrix.Action(
        "api.investigation.acknowledge.already-acknowledged",
        "post",
        url=_matrix_investigation_api("acknowledge"),
        setup=_matrix_reported_and_acknowledged,
        expected={**_API_PARTNER_ACTS, **_matrix.each(_matrix.TJ_WRITERS, 409)},
        audit="record.acknowledged",
        row=_matrix.row_of("investigation"),
    ),
    _matrix.Action(
        "api.investigation.assign.result-sent",
        "post",
        url=_matrix_investigation_api("assign"),
        data=lambda f: {"assignee": f.users["tj-officer"].pk},
        setup=_matrix_result_sent,
        expected={**_API_PARTNER_ACTS, **_matrix.each(_matrix.TJ_WRITERS, 409)},
        audit="record.assigned",
        row=_matrix.row_of("investigation"),
    ),
]:
    _matrix.register(_action)
