"""What the public learns of temporary suspensions of acceptance (clause 8), on the
publication component (``portal.publication``):

- a *notice shown with every list* (``lists.Notice``): the suspensions in force go into
  the content of every published list of every side (its JSON, its pages in four
  languages, the agency list's marks on the sector), and a version's diff and feed say
  when one started or was lifted;
- the list of suspensions itself, in force and lifted, at ``/public/suspensions/<side>/``
  — versioned like every list, so that its public page never reads the live table.

The services call ``suspensions_changed`` in the transaction that records, corrects or
lifts a suspension: every list of every side owes a new version.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.choices import RecordStatus
from portal.i18n import pick, renderings
from portal.publication import lists, publishing

from .choices import SuspensionState

#: The key of the notice in every list's content (and JSON).
NOTICE_KEY = "acceptance_suspensions"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _sector_names(sector: dict) -> dict:
    return {
        "ja": sector["name_ja"],
        "en": sector["name_en"],
        "ru": sector["name_ru"],
        "tg": sector["name_tg"],
    }


def _published(memorandum):
    """Suspensions Japan's side recorded and shared (the partner side records none)."""
    from notices.models import AcceptanceSuspension

    return AcceptanceSuspension.objects.filter(memorandum=memorandum, status=RecordStatus.SHARED).exclude(
        origin__side__country=memorandum.partner_country
    )


_NAMES = ("sector__name_ja", "sector__name_en", "sector__name_ru", "sector__name_tg")


def _sector(values: dict) -> dict:
    return {name.removeprefix("sector__"): values[name] for name in _NAMES}


def in_force(memorandum) -> list[dict]:
    """The suspensions in force, as published beside every list's rows: the sector
    (code and names in four languages), the date from, the reason and what happens to
    those already in Japan, as Japan entered them. Internal notes never."""
    entries = []
    suspensions = (
        _published(memorandum)
        .filter(state=SuspensionState.IN_FORCE)
        .order_by("sector__code", "reference")
        .values("reference", "sector__code", "suspended_from", "reason", "those_in_japan", *_NAMES)
    )
    for suspension in suspensions:
        entries.append(
            {
                "key": suspension["reference"],
                "sector": suspension["sector__code"],
                "label": _sector_names(_sector(suspension)),
                "on": _iso(suspension["suspended_from"]),
                "reason": suspension["reason"],
                "those_in_japan": suspension["those_in_japan"],
            }
        )
    return entries


NOTICE = lists.Notice(
    key=NOTICE_KEY,
    read=in_force,
    template="notices/public/suspensions/notice.html",
    started=_("Acceptance suspended in the sector “%(label)s” from %(on)s"),
    ended=_("Suspension of acceptance lifted in the sector “%(label)s”"),
    changed=_("Suspension of acceptance in the sector “%(label)s” corrected"),
)

#: What the public list shows of a suspension (internal notes and the kit's parts never).
PUBLISHED_FIELDS = (
    "reference",
    "sector",
    "suspended_from",
    "reason",
    "those_in_japan",
    "lifted_on",
    "lifting_reason",
)


class SuspensionList(lists.PublishedList):
    """Every temporary suspension of acceptance Japan recorded: those in force, and
    those lifted with the date and reason of the lifting (a suspension never leaves the
    list)."""

    name = "acceptance-suspensions"
    title = _("Temporary suspensions of acceptance")
    rows_key = "suspensions"
    meta_keys = ("sectors",)
    url_prefix = "suspension"
    url_path = "suspensions"
    detail_path = "suspension"
    file_stem = "acceptance-suspensions"
    label_field = "sector"
    sections = (
        lists.Section("in_force", _("In force")),
        lists.Section("lifted", _("Lifted")),
    )
    filters = (lists.Filter("sector", "sector"),)
    search_fields = ("reference", "reason")
    csv_columns = ("section", *PUBLISHED_FIELDS)
    diff_fields = ("sector", "suspended_from", "reason", "those_in_japan", "lifted_on", "lifting_reason")
    templates = lists.Templates(
        page="notices/public/suspensions/list.html",
        document="notices/public/suspensions/document.html",
        pdf="notices/public/suspensions/document.html",
        feed="publication/public/feed.atom",
        versions="publication/public/versions.html",
        version="publication/public/version.html",
        detail="notices/public/suspensions/suspension.html",
    )

    def read_rows(self, memorandum, ids=None) -> list[dict]:
        suspensions = _published(memorandum)
        if ids is not None:
            suspensions = suspensions.filter(pk__in=list(ids))
        rows = []
        for suspension in suspensions.values(
            "reference",
            "state",
            "sector__code",
            "suspended_from",
            "reason",
            "those_in_japan",
            "lifted_on",
            "lifting_reason",
        ):
            rows.append(
                {
                    "key": suspension["reference"],
                    "section": "lifted" if suspension["state"] == SuspensionState.LIFTED else "in_force",
                    "reference": suspension["reference"],
                    "sector": suspension["sector__code"],
                    "suspended_from": _iso(suspension["suspended_from"]),
                    "reason": suspension["reason"],
                    "those_in_japan": suspension["those_in_japan"],
                    "lifted_on": _iso(suspension["lifted_on"]),
                    "lifting_reason": suspension["lifting_reason"],
                }
            )
        return rows

    def read_meta(self, memorandum) -> dict:
        from agencies.models import Sector

        return {"sectors": {sector.code: renderings(sector) for sector in Sector.objects.order_by("code")}}

    def former_keys(self, memorandum, ids) -> set[str]:
        from notices.models import AcceptanceSuspension

        return set(
            AcceptanceSuspension.objects.filter(pk__in=ids)
            .exclude(reference="")
            .values_list("reference", flat=True)
        )

    def changed_since(self, memorandum, moment) -> list[int]:
        return list(_published(memorandum).filter(updated_at__gte=moment).values_list("pk", flat=True))

    def page_context(self, version, language: str) -> dict:
        return {
            "sector_names": {
                code: pick(names, language) for code, names in version.snapshot["sectors"].items()
            }
        }


SUSPENSION_LIST = SuspensionList()


def register() -> None:
    lists.register_notice(NOTICE)
    lists.register(SUSPENSION_LIST)


def suspensions_changed(memorandum, suspension_ids) -> None:
    """A suspension was recorded, corrected or lifted: every list of every side owes a
    version (the notice), the suspensions' own list with these rows read again."""
    publishing.request_notices(memorandum.pk, {SUSPENSION_LIST.name: list(suspension_ids)})
