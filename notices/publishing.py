"""The public lists Tajikistan publishes from what Japan provides (6(3), 7(5)):
improvement orders and registered support organizations, declared on the portal's
publication component (``portal.publication``), at ``/public/improvement-orders/<side>/``
and ``/public/support-organizations/<side>/``.

The services call ``orders_changed`` / ``register_changed`` in the transaction that
changes what a list shows; the component publishes a new version of the partner side's
list once it commits (the outbox), with its diff from the previous version.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.choices import RecordStatus
from portal.i18n import pick
from portal.publication import lists, publishing

from .languages import SUPPORT_LANGUAGES
from .prefectures import PREFECTURES


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _names(items) -> dict:
    return {item.code: {"ja": item.ja, "en": item.en, "ru": item.ru, "tg": item.tg} for item in items}


class PartnerPublishes(lists.PublishedList):
    """A list Japan provides and the partner country publishes (7(5))."""

    def publishers(self, memorandum):
        return memorandum.sides.filter(country=memorandum.partner_country).order_by("pk")

    def page_context(self, version, language: str) -> dict:
        snapshot = version.snapshot
        return {
            "prefecture_names": {
                code: pick(names, language) for code, names in snapshot["prefectures"].items()
            },
            "sector_names": {
                code: pick(names, language) for code, names in snapshot.get("sectors", {}).items()
            },
            "language_names": {
                code: pick(names, language) for code, names in snapshot.get("languages", {}).items()
            },
        }


#: What the public list shows of an order (the number of Tajik workers, the withdrawal's
#: reason and the kit's parts never).
ORDER_PUBLISHED_FIELDS = (
    "reference",
    "issued_on",
    "organization_name",
    "corporate_number",
    "address",
    "prefecture",
    "sector",
    "violations",
    "measures",
    "public_notice",
)


class ImprovementOrderList(PartnerPublishes):
    """The improvement orders in force (an order withdrawn as recorded in error leaves
    the list; the version's diff says so). The number of Tajik workers an order
    concerns is not published: a small number could point at persons."""

    name = "improvement-orders"
    title = _("Improvement orders")
    rows_key = "orders"
    meta_keys = ("sectors", "prefectures")
    url_prefix = "order"
    url_path = "improvement-orders"
    detail_path = "order"
    file_stem = "improvement-orders"
    label_field = "organization_name"
    sections = (lists.Section("orders", _("Improvement orders in force")),)
    filters = (
        lists.Filter("sector", "sector"),
        lists.Filter("prefecture", "prefecture"),
        lists.Filter("year", "year"),
    )
    search_fields = ("organization_name", "corporate_number", "address", "reference")
    csv_columns = ORDER_PUBLISHED_FIELDS
    diff_fields = (
        "issued_on",
        "organization_name",
        "corporate_number",
        "address",
        "prefecture",
        "sector",
        "violations",
        "measures",
        "public_notice",
    )
    templates = lists.Templates(
        page="notices/public/orders/list.html",
        document="notices/public/orders/document.html",
        pdf="notices/public/orders/pdf.html",
        feed="publication/public/feed.atom",
        versions="publication/public/versions.html",
        version="publication/public/version.html",
        detail="notices/public/orders/order.html",
    )

    def _published(self, memorandum):
        """Orders in force that Japan's side recorded: the partner publishes what Japan
        provides, never a record of its own side (which the services do not make)."""
        from .models import ImprovementOrder
        from .orders.choices import OrderState

        return ImprovementOrder.objects.filter(
            memorandum=memorandum, status=RecordStatus.SHARED, state=OrderState.IN_FORCE
        ).exclude(origin__side__country=memorandum.partner_country)

    def read_rows(self, memorandum, ids=None) -> list[dict]:
        orders = self._published(memorandum)
        if ids is not None:
            orders = orders.filter(pk__in=list(ids))
        rows = []
        columns = [name if name != "sector" else "sector__code" for name in ORDER_PUBLISHED_FIELDS]
        for order in orders.values(*columns):
            rows.append(
                {
                    "key": order["reference"],
                    "section": "orders",
                    "reference": order["reference"],
                    "issued_on": _iso(order["issued_on"]),
                    "year": str(order["issued_on"].year),
                    "organization_name": order["organization_name"],
                    "corporate_number": order["corporate_number"],
                    "address": order["address"],
                    "prefecture": order["prefecture"],
                    "sector": order["sector__code"],
                    "violations": order["violations"],
                    "measures": order["measures"],
                    "public_notice": order["public_notice"],
                }
            )
        return rows

    def read_meta(self, memorandum) -> dict:
        from agencies.models import Sector

        sectors = Sector.objects.order_by("code")
        return {
            "sectors": {
                sector.code: {
                    "ja": sector.name_ja,
                    "en": sector.name_en,
                    "ru": sector.name_ru,
                    "tg": sector.name_tg,
                }
                for sector in sectors
            },
            "prefectures": _names(PREFECTURES),
        }

    def former_keys(self, memorandum, ids) -> set[str]:
        from .models import ImprovementOrder

        return set(
            ImprovementOrder.objects.filter(pk__in=ids)
            .exclude(reference="")
            .values_list("reference", flat=True)
        )

    def changed_since(self, memorandum, moment) -> list[int]:
        from .models import ImprovementOrder

        return list(
            ImprovementOrder.objects.filter(memorandum=memorandum, updated_at__gte=moment).values_list(
                "pk", flat=True
            )
        )

    def page_context(self, version, language: str) -> dict:
        context = super().page_context(version, language)
        context["years"] = version.derived(
            "years", lambda held: sorted({row["year"] for row in held.rows}, reverse=True)
        )
        return context


#: What a change of an organization's row is, field by field, in the register's diff.
REGISTER_FIELDS = (
    "registered_on",
    "name",
    "postcode",
    "address",
    "prefecture",
    "phone",
    "representative",
    "office_name",
    "office_address",
    "support",
    "support_from",
    "languages",
    "remarks",
)


#: What the public list shows of an organization: the register's fields and its history here.
REGISTER_COLUMNS = (
    "registration_number",
    *REGISTER_FIELDS,
    "languages_text",
    "first_seen_on",
    "changed_on",
    "removed_on",
)


class SupportOrganizationList(PartnerPublishes):
    """The registered support organizations as the latest register import shows them,
    with those the register dropped in their own section, with the date they were first
    seen missing (the register itself keeps no trace of them)."""

    name = "support-organizations"
    title = _("Registered support organizations")
    rows_key = "organizations"
    meta_keys = ("as_of", "prefectures", "languages")
    url_prefix = "rso"
    url_path = "support-organizations"
    detail_path = "organization"
    file_stem = "registered-support-organizations"
    label_field = "name"
    sections = (
        lists.Section("registered", _("Registered")),
        lists.Section("removed", _("No longer in the register")),
    )
    filters = (
        lists.Filter("prefecture", "prefecture"),
        lists.Filter("language", "languages", contains=True),
    )
    search_fields = ("registration_number", "name", "address", "office_name", "office_address")
    csv_columns = ("section", *REGISTER_COLUMNS)
    templates = lists.Templates(
        page="notices/public/register/list.html",
        document="notices/public/register/document.html",
        pdf="notices/public/register/pdf.html",
        feed="publication/public/feed.atom",
        versions="publication/public/versions.html",
        version="publication/public/version.html",
        detail="notices/public/register/organization.html",
    )

    def read_rows(self, memorandum, ids=None) -> list[dict]:
        from .models import SupportOrganization

        organizations = SupportOrganization.objects.filter(memorandum=memorandum)
        if ids is not None:
            organizations = organizations.filter(pk__in=list(ids))
        fields = REGISTER_COLUMNS
        rows = []
        for organization in organizations.values(*fields).iterator(chunk_size=5000):
            row = {
                "key": organization["registration_number"],
                "section": "removed" if organization["removed_on"] else "registered",
            }
            for field in fields:
                value = organization[field]
                row[field] = _iso(value) if field.endswith("_on") or field == "support_from" else value
            rows.append(row)
        return rows

    def read_meta(self, memorandum) -> dict:
        from .models import RegisterImport

        latest = (
            RegisterImport.objects.filter(memorandum=memorandum, applied_at__isnull=False)
            .order_by("-applied_at")
            .values_list("as_of", flat=True)
            .first()
        )
        return {
            "as_of": _iso(latest),
            "prefectures": _names(PREFECTURES),
            "languages": _names(SUPPORT_LANGUAGES),
        }

    def former_keys(self, memorandum, ids) -> set[str]:
        from .models import SupportOrganization

        return set(
            SupportOrganization.objects.filter(pk__in=ids).values_list("registration_number", flat=True)
        )

    def diff(self, before: dict, rows: list[dict], removed) -> dict:
        """Added, changed (with the fields), removed from the register (with the date
        first seen missing) and back in it."""
        diff = {"added": [], "changed": [], "removed": [], "reappeared": []}
        for row in rows:
            old = before.get(row["key"])
            summary = {"key": row["key"], "name": row["name"]}
            if old is None:
                if row["section"] == "removed":
                    diff["removed"].append({**summary, "on": row["removed_on"]})
                else:
                    diff["added"].append(summary)
                continue
            if old["section"] != row["section"]:
                if row["section"] == "removed":
                    diff["removed"].append({**summary, "on": row["removed_on"]})
                else:
                    diff["reappeared"].append(summary)
            fields = {
                name: [old.get(name), row.get(name)]
                for name in REGISTER_FIELDS
                if old.get(name) != row.get(name)
            }
            if fields:
                diff["changed"].append({**summary, "fields": fields})
        return {kind: entries for kind, entries in diff.items() if entries}


ORDER_LIST = ImprovementOrderList()
SUPPORT_ORGANIZATION_LIST = SupportOrganizationList()


def register() -> None:
    lists.register(ORDER_LIST)
    lists.register(SUPPORT_ORGANIZATION_LIST)


def orders_changed(memorandum, order_ids) -> None:
    """An improvement order was recorded, corrected or withdrawn."""
    publishing.request(ORDER_LIST, memorandum.pk, order_ids)


def register_changed(memorandum) -> None:
    """A register import was applied: the list is built whole again (an import may touch
    thousands of rows; the component's patch keeps what changed)."""
    publishing.request(SUPPORT_ORGANIZATION_LIST, memorandum.pk)
