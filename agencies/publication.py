"""The certified sending agency lists (7(2) by the partner, 6(1)/(2) by Japan),
declared on the publication component (``portal.publication``).

Each change that the public list shows (a certification, a revocation, an expiry, a
change to a published field) asks for new versions in the same transaction
(``request``), naming the agency; a sector renamed in admin names none, and both lists
advance with the new sector names. The component does the rest: versions, documents,
feeds and the public pages at ``/public/agencies/<side>/``.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from portal import outbox
from portal.i18n import pick
from portal.publication import lists, publishing

from .choices import AgencyStatus
from .models import PUBLISHED_FIELDS, AgencyEvent, Sector, SendingAgency

PUBLIC_EVENT_STATUSES = (AgencyStatus.CERTIFIED, AgencyStatus.REVOKED, AgencyStatus.EXPIRED)
#: What a diff compares: the published fields, the sectors and the validity.
DIFF_FIELDS = (*PUBLISHED_FIELDS, "sectors", "valid_until")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class AgencyList(lists.PublishedList):
    name = "agencies"
    title = _("Certified sending agencies")
    rows_key = "agencies"
    meta_keys = ("sectors",)
    url_prefix = "agency"
    url_path = "agencies"
    detail_path = "agency"
    file_stem = "sending-agencies"
    sections = (
        lists.Section("certified", _("Certified")),
        lists.Section("withdrawn", _("Revoked and expired certifications")),
    )
    filters = (
        lists.Filter("sector", "sectors", contains=True),
        lists.Filter("region", "region"),
        lists.Filter("status", "status"),
    )
    search_fields = (
        "name_tg",
        "name_ru",
        "name_en",
        "name_ja",
        "certification_number",
        "registration_number",
    )
    csv_columns = (
        "section",
        "certification_number",
        "status",
        "status_on",
        "reason",
        "certified_on",
        "valid_until",
        "name_tg",
        "name_ru",
        "name_en",
        "name_ja",
        "registration_number",
        "region",
        "city",
        "address",
        "phone",
        "email",
        "website",
        "representative",
        "sectors",
    )
    templates = lists.Templates(
        page="agencies/public/list.html",
        document="agencies/public/document.html",
        pdf="agencies/pdf/list.html",
        feed="agencies/public/feed.atom",
        versions="agencies/public/versions.html",
        version="agencies/public/version.html",
        detail="agencies/public/agency.html",
    )

    def read_rows(self, memorandum, ids=None) -> list[dict]:
        """The public rows of the agencies ever certified (of ``ids`` only, if given).
        Read with ``values()``: three queries, no model instances."""
        fields = ["pk", "status", "certification_number", "certified_on", "valid_until", *PUBLISHED_FIELDS]
        published = SendingAgency.objects.filter(memorandum=memorandum).published()
        if ids is not None:
            published = published.filter(pk__in=list(ids))
        agencies = list(published.values(*fields))
        subquery = published.values("pk")  # subqueries, not 10,000 ids sent back to the server
        sectors_by_agency: dict[int, list[str]] = {}
        through = SendingAgency.sectors.through
        for agency_id, code in (
            through.objects.filter(sendingagency_id__in=subquery)
            .values_list("sendingagency_id", "sector__code")
            .iterator()
        ):
            sectors_by_agency.setdefault(agency_id, []).append(code)
        history_by_agency: dict[int, list[dict]] = {}
        events = (
            AgencyEvent.objects.filter(agency_id__in=subquery, to_status__in=PUBLIC_EVENT_STATUSES)
            .order_by("at", "id")
            .values_list("agency_id", "effective_on", "to_status", "public_reason", "certification_number")
        )
        for agency_id, effective_on, status, reason, number in events.iterator():
            history_by_agency.setdefault(agency_id, []).append(
                {"on": effective_on.isoformat(), "status": status, "reason": reason, "number": number}
            )
        rows = []
        for agency in agencies:
            history = history_by_agency.get(agency["pk"], [])
            last = history[-1] if history else {}
            status = agency["status"]
            rows.append(
                {
                    "key": agency["certification_number"],
                    "certification_number": agency["certification_number"],
                    "section": "certified" if status == AgencyStatus.CERTIFIED else "withdrawn",
                    "status": status if status in PUBLIC_EVENT_STATUSES else last.get("status", status),
                    "status_on": last.get("on"),
                    "reason": last.get("reason", ""),
                    "certified_on": _iso(agency["certified_on"]),
                    "valid_until": _iso(agency["valid_until"]),
                    **{name: agency[name] for name in PUBLISHED_FIELDS},
                    "sectors": sorted(sectors_by_agency.get(agency["pk"], [])),
                    "history": history,
                }
            )
        return rows

    def read_meta(self, memorandum) -> dict:
        return {
            "sectors": {
                sector.code: {
                    "ja": sector.name_ja,
                    "en": sector.name_en,
                    "ru": sector.name_ru,
                    "tg": sector.name_tg,
                }
                for sector in Sector.objects.order_by("code")
            }
        }

    def former_keys(self, memorandum, ids) -> set[str]:
        """Every number these agencies were ever certified under is on their events; a
        number now held by another agency is that agency's row."""
        former = set(
            AgencyEvent.objects.filter(agency_id__in=ids)
            .exclude(certification_number="")
            .values_list("certification_number", flat=True)
        )
        taken = set(
            SendingAgency.objects.filter(certification_number__in=former)
            .exclude(pk__in=ids)
            .values_list("certification_number", flat=True)
        )
        return former - taken

    def changed_since(self, memorandum, moment) -> list[int]:
        return list(
            SendingAgency.objects.filter(memorandum=memorandum, updated_at__gte=moment).values_list(
                "pk", flat=True
            )
        )

    def diff(self, before: dict, rows: list[dict], removed) -> dict:
        """Added, revoked, expired, reinstated and changed agencies (an agency never
        leaves the list: a revoked or expired one stays in its own section)."""
        diff = {"added": [], "revoked": [], "expired": [], "reinstated": [], "changed": []}
        for row in rows:
            old = before.get(row["key"])
            summary = {
                "key": row["key"],
                "name": row["name_tg"],
                "on": row["status_on"],
                "reason": row["reason"],
            }
            if old is None:
                diff["added" if row["section"] == "certified" else row["status"]].append(summary)
                continue
            if old["status"] != row["status"]:
                if row["status"] == AgencyStatus.REVOKED:
                    diff["revoked"].append(summary)
                elif row["status"] == AgencyStatus.EXPIRED:
                    diff["expired"].append(summary)
                elif row["status"] == AgencyStatus.CERTIFIED:
                    diff["reinstated"].append(summary)
            fields = {
                name: [old.get(name), row.get(name)] for name in DIFF_FIELDS if old.get(name) != row.get(name)
            }
            if fields:
                diff["changed"].append({"key": row["key"], "name": row["name_tg"], "fields": fields})
        return {key: value for key, value in diff.items() if value}

    def page_context(self, version, language: str) -> dict:
        sectors = version.snapshot.get("sectors", {})
        return {
            "sector_names": {code: pick(names, language) for code, names in sectors.items()},
            # The regions the filter offers: computed once per version and process.
            "regions": version.derived("regions", lambda held: sorted({row["region"] for row in held.rows})),
            "statuses": [(code, AgencyStatus(code).label) for code in PUBLIC_EVENT_STATUSES],
            # The sectors a notice shown with every list names as suspended (clause 8):
            # their rows and filter choice carry a mark in words.
            "suspended_sectors": {
                entry["sector"]
                for entries in lists.notices_of(version.snapshot).values()
                for entry in entries
                if entry.get("sector")
            },
        }


AGENCY_LIST = AgencyList()


def request(memorandum_id: int, agency_ids) -> None:
    """Both sides' lists owe a version: these agencies changed (none: the sectors)."""
    publishing.request(AGENCY_LIST, memorandum_id, agency_ids)


@outbox.handler("agencies.publish")
def _publish_handler(entry) -> None:
    """Requests written before the lists shared the component (still in an outbox at
    the upgrade): published as the component's."""
    publishing.request_sides(AGENCY_LIST, entry.payload["memorandum"], entry.payload.get("agencies"))


@outbox.handler("agencies.render_documents")
def _render_documents_handler(entry) -> None:
    """As above, for a render asked before the upgrade (the version ids were kept)."""
    from portal.publication.tasks import render_documents

    render_documents.delay(entry.payload["publication"])
