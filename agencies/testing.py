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
    from portal.testing.canary import text_fields, value_for

    from . import publication
    from .models import PUBLISHED_FIELDS, SendingAgency

    publication.published_lists.clear()
    canary.cleanups.append(publication.published_lists.clear)
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
        from .models import Publication

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

        from .models import Publication

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
