"""Helpers for the register's tests: a workbook shaped like the Immigration Services
Agency's (for the matrix, the demo and the benchmark), the read matrices of the imports
and the organizations, and the register's write actions in the permission matrix
(``portal.testing.matrix``).

Importing this module registers the write actions; ``notices.testing`` (the app's
``<app>.testing``, which ``portal.testing.matrix.load_actions`` imports) imports it.
"""

from __future__ import annotations

import datetime as dt
import io

from portal.testing import matrix as _matrix
from portal.testing.matrix import ADMIN, BOTH_SIDES, PermissionMatrix

# --- A workbook of the register --------------------------------------------------------

_TOP = ["登録番号", "登録年月日", "登録支援機関", "", "", "", "", "支援業務を行う事務所", "", "支援業務の内容",
        "支援業務の開始予定年月日", "対応可能言語", "備考"]  # fmt: skip
_SUB = ["", "", "氏名又は名称", "郵便番号", "住所", "電話番号", "代表者名", "名称", "所在地", "", "", "", ""]
_LANGUAGE_NAMES = {"en": "英語", "ru": "ロシア語", "tg": "タジク語", "zh": "中国語", "vi": "ベトナム語",
                   "ko": "韓国語", "tl": "タガログ語", "id": "インドネシア語", "ne": "ネパール語"}  # fmt: skip


def organization(n: int, **changes) -> dict:
    """A plausible organization, number ``n``: the fields of one row of the register."""
    prefectures = [
        ("13", "東京都新宿区西新宿"),
        ("27", "大阪府大阪市北区梅田"),
        ("23", "愛知県名古屋市中区栄"),
    ]
    code, place = prefectures[n % len(prefectures)]
    languages = [("en", "ru"), ("en", "zh", "vi"), ("ru", "tg"), ("en",)][n % 4]
    values = {
        "registration_number": f"{19 + n % 7}登-{n:06d}",
        "registered_on": dt.date(2019, 4, 1) + dt.timedelta(days=n % 2000),
        "name": f"株式会社サポート{n}",
        "postcode": f"{160 + n % 700:03d}-{n % 10000:04d}",
        "address": f"{place}{n % 9 + 1}丁目{n % 30 + 1}番",
        "prefecture": code,
        "phone": f"03-{n % 10000:04d}-{(n * 7) % 10000:04d}",
        "representative": f"代表 太郎{n}",
        "office_name": f"サポート{n}事務所",
        "office_address": f"{place}{n % 9 + 1}丁目{n % 30 + 1}番",
        "support": "職業生活上、日常生活上又は社会生活上の支援",
        "support_from": dt.date(2019, 5, 1) + dt.timedelta(days=n % 2000),
        "languages": languages,
        "remarks": "",
    }
    values.update(changes)
    return values


def register_workbook(organizations, *, as_of: dt.date, damaged: int = 0) -> bytes:
    """The Japanese edition's layout: a date line, a title, two header rows with merged
    cells, one organization a row, ``damaged`` unreadable rows at the end, a note."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "登録支援機関"
    sheet.append([f"{as_of.year}年{as_of.month}月{as_of.day}日現在"])
    sheet.append(["登録支援機関登録簿"])
    sheet.append(_TOP)
    sheet.append(_SUB)
    for merged in ("C3:G3", "H3:I3", "A3:A4", "B3:B4", "J3:J4", "K3:K4", "L3:L4", "M3:M4"):
        sheet.merge_cells(merged)
    for values in organizations:
        languages = "、".join(_LANGUAGE_NAMES.get(code, code) for code in values["languages"])
        sheet.append(
            [
                values["registration_number"],
                values["registered_on"],
                values["name"],
                values["postcode"],
                values["address"],
                values["phone"],
                values["representative"],
                values["office_name"],
                values["office_address"],
                values["support"],
                values["support_from"],
                languages,
                values["remarks"],
            ]
        )
    for n in range(damaged):
        sheet.append([f"登録-{n}", "昔々", f"壊れた行{n}", "", "東京都", "", "", "", "", "", "", "英語", ""])
    sheet.append([])
    sheet.append(["※ 登録の取消し等により、掲載されていない機関があります。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "register.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


#: Every import the matrix makes lists these, and one organization of its own.
_LISTED = [organization(n) for n in range(1, 4)]


def _workbook(extra: int, as_of=dt.date(2026, 10, 31)) -> bytes:
    return register_workbook([*_LISTED, organization(extra)], as_of=as_of)


def japan_draft(officer, extra: int = 900):
    """A preview of jp-officer's organization that changes the register (it adds
    organization ``extra``)."""
    from . import services

    return services.preview_import(officer, upload(_workbook(extra)))


def japan_applied(officer, extra: int = 800):
    from . import services

    return services.apply_import(officer, japan_draft(officer, extra))


# --- Reads ------------------------------------------------------------------------------


class RegisterImportMatrix(PermissionMatrix):
    """An import is Japan's: a preview is its organization's (jp-isa), an applied one
    both sides'. Third parties read none (nobody consents in these situations)."""

    situations = {"japan_draft": {"jp_officer"} | ADMIN, "japan_applied": BOTH_SIDES | ADMIN}
    html_list_url = "/notices/register/imports/"
    api_list_url = "/api/v1/register-imports/"

    @staticmethod
    def html_detail_url(obj):
        return f"/notices/register/imports/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/register-imports/{obj.pk}/"

    def make(self, situation, cast):
        officer = cast["jp_officer"]
        if situation == "japan_draft":
            # A workbook of its own (another date): a second draft, not applied.
            return japan_draft(officer, 901)
        return japan_applied(officer)


class SupportOrganizationMatrix(PermissionMatrix):
    """The organizations: both sides' users read them, third parties do not (they read
    the public list)."""

    situations = {"listed": BOTH_SIDES | ADMIN, "removed": BOTH_SIDES | ADMIN}
    html_list_url = "/notices/register/"
    api_list_url = "/api/v1/support-organizations/"

    @staticmethod
    def html_detail_url(obj):
        return f"/notices/register/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/support-organizations/{obj.pk}/"

    def make(self, situation, cast):
        from notices.models import SupportOrganization

        from . import services

        officer = cast["jp_officer"]
        if not SupportOrganization.objects.exists():
            services.apply_import(
                officer,
                services.preview_import(
                    officer,
                    upload(register_workbook([organization(1), organization(2)], as_of=dt.date(2026, 9, 30))),
                ),
            )
            services.apply_import(
                officer,
                services.preview_import(
                    officer, upload(register_workbook([organization(1)], as_of=dt.date(2026, 10, 31)))
                ),
            )
        number = organization(1 if situation == "listed" else 2)["registration_number"]
        return SupportOrganization.objects.get(registration_number=number)


# --- Writes -------------------------------------------------------------------------------

_each = _matrix.each
#: An API write of a role that writes nothing (readers, third parties, the superuser).
_API_NO = {
    **_each(_matrix.JP_READERS | _matrix.TJ_READERS | _matrix.THIRD_PARTIES, 403),
    "superuser": 403,
    "anonymous": 401,
}
#: A preview of jp-officer's organization (jp-isa): nobody else reads it.
_API_JAPAN_DRAFT = {**_API_NO, **_each(_matrix.WRITERS, 404), "jp-officer": 200}
_API_TAJIKISTAN_RECEIVES = {**_API_NO, **_each(_matrix.TJ_WRITERS, 200), **_each(_matrix.JP_WRITERS, 403)}
_LOGIN = {"anonymous": _matrix.LOGIN}
_PAGE_JAPAN_DRAFT = {"jp-officer": 302, "superuser": _matrix.Refused(302), **_LOGIN, "*": 404}
#: Applying tells the other side (``notify``) and publishes a new version of the public
#: list (``notices.publishing.register_changed``).
_APPLIED = {"notify", "publication.publish"}


#: The imports the world's states use, made at the first setup called: every applied
#: one first, then the previews — a preview made before another import is applied
#: would be stale (refused), whatever order the harness builds the states in.
_POOL: dict = {}


def _pool(w) -> dict:
    if _POOL.get("world") is not w:
        officer = w.users["jp-officer"]
        needed = {
            setup: sum(1 for action in _matrix.ACTIONS.values() if action.setup is setup)
            for setup in (_applied, _draft)
        }
        applied = [japan_applied(officer, 800 + n) for n in range(needed[_applied])]
        drafts = [japan_draft(officer, 900 + n) for n in range(needed[_draft])]
        _POOL.clear()
        _POOL.update(world=w, applied=iter(applied), drafts=iter(drafts))
    return _POOL


def _draft(w) -> dict:
    return {"record": next(_pool(w)["drafts"])}


def _applied(w) -> dict:
    return {"record": next(_pool(w)["applied"])}


def _api(path: str = ""):
    return lambda f: f"/api/v1/register-imports/{f.record.pk}/{path}"


def _page(path: str):
    return lambda f: f"/notices/register/imports/{f.record.pk}/{path}"


_row = _matrix.row_of("record")


def _consent_request(f) -> dict:
    return {
        "third_party": "tj-embassy-jp",
        "side": f.users["jp-officer"].organization.side.code,  # Japan's record
        "purpose": "The Embassy helps workers find a support organization.",
        "requested_until": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
    }


def _consent(f) -> dict:
    from django.utils import timezone

    return {
        "third_party": "jp-maff",
        "document_reference": "No. 21/26",
        "expires_at": (timezone.now() + dt.timedelta(days=30)).isoformat(),
    }


for _action in [
    _matrix.Action(
        "api.register-import.upload",
        "post",
        url=lambda f: "/api/v1/register-imports/",
        data=lambda f: {"file": upload(_workbook(990))},
        expected={**_API_NO, **_each(_matrix.JP_WRITERS, 201), **_each(_matrix.TJ_WRITERS, 403)},
        audit=("record.created", "register.previewed"),
        row=_matrix.count_of("notices.RegisterImport"),
        multipart=True,
    ),
    _matrix.Action(
        "api.register-import.apply",
        "post",
        url=_api("apply/"),
        setup=_draft,
        expected=_API_JAPAN_DRAFT,
        audit=("register.applied", "record.shared"),
        outbox=_APPLIED,
        row=_matrix.count_of("notices.SupportOrganization"),
    ),
    _matrix.Action(
        "api.register-import.withdraw",
        "post",
        url=_api("withdraw/"),
        setup=_draft,
        expected=_API_JAPAN_DRAFT,
        audit="record.withdrawn",
        row=_row,
    ),
    _matrix.Action(
        "api.register-import.acknowledge",
        "post",
        url=_api("acknowledge/"),
        setup=_applied,
        expected=_API_TAJIKISTAN_RECEIVES,
        audit="record.acknowledged",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "api.register-import.assign",
        "post",
        url=_api("assign/"),
        data=lambda f: {"assignee": f.users["tj-officer"].pk},
        setup=_applied,
        expected=_API_TAJIKISTAN_RECEIVES,
        audit="record.assigned",
        outbox={"notify"},
        row=_row,
    ),
    _matrix.Action(
        "api.register-import.attach",
        "post",
        url=_api("attachments/"),
        data=lambda f: {"file": _pdf(), "description": "Covering letter"},
        setup=_applied,
        expected={**_API_NO, **_each(_matrix.WRITERS, 201)},
        audit="record.attached",
        outbox={"notify"},
        row=_matrix.count_of("records.Attachment"),
        multipart=True,
    ),
    _matrix.Action(
        "api.register-import.request-consent",
        "post",
        url=_api("consent-requests/"),
        data=_consent_request,
        setup=_applied,
        expected={**_API_NO, **_each(_matrix.WRITERS, 201)},
        audit="consent.requested",
        outbox={"notify"},
        row=_matrix.count_of("records.ConsentRequest"),
    ),
    _matrix.Action(
        "api.register-import.consent",
        "post",
        url=_api("consent/"),
        data=_consent,
        setup=_applied,
        # Japan's information alone (the kind has no part of the other side's).
        expected={**_API_NO, "jp-contact": 201, **_each(_matrix.TJ_WRITERS | {"jp-officer"}, 403)},
        audit="consent.granted",
        outbox={"notify", "records.consent_letter"},
        row=_matrix.count_of("portal.DisclosureConsent"),
    ),
    # The pages ---------------------------------------------------------------------------
    _matrix.Action(
        "register-import.upload",
        "post",
        url=lambda f: "/notices/register/imports/new/",
        data=lambda f: {"file": upload(_workbook(990))},
        expected={**_each(_matrix.JP_WRITERS, 302), **_LOGIN, "*": 404},
        audit=("record.created", "register.previewed"),
        row=_matrix.count_of("notices.RegisterImport"),
    ),
    _matrix.Action(
        "register-import.apply",
        "post",
        url=_page("apply/"),
        setup=_draft,
        expected=_PAGE_JAPAN_DRAFT,
        audit=("register.applied", "record.shared"),
        outbox=_APPLIED,
        row=_matrix.count_of("notices.SupportOrganization"),
    ),
    _matrix.Action(
        "register-import.withdraw",
        "post",
        url=_page("withdraw/"),
        setup=_draft,
        expected=_PAGE_JAPAN_DRAFT,
        audit="record.withdrawn",
        row=_row,
    ),
]:
    _matrix.register(_action)


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.testing.files import PDF

    return SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")


# --- Builders for the list pages' query-count guards -----------------------------------
#
# ``builder(cast, n)`` adds ``n`` rows the readers of both sides see (the shape of
# tests/test_list_queries.py's builders).

_BUILT = {"next": 5000}


def _fresh(n: int) -> list[dict]:
    first = _BUILT["next"]
    _BUILT["next"] += n
    return [organization(number) for number in range(first, first + n)]


def build_organizations(cast, n: int) -> None:
    """``n`` more organizations, by one applied import that adds them (and keeps every
    organization listed so far)."""
    from notices.models import SupportOrganization

    from . import services

    officer = cast["jp_officer"]
    listed = [
        organization(int(number.split("-")[1]))
        for number in SupportOrganization.objects.current().values_list("registration_number", flat=True)
    ]
    data = register_workbook([*listed, *_fresh(n)], as_of=dt.date(2026, 10, 31))
    services.apply_import(officer, services.preview_import(officer, upload(data)))


def build_imports(cast, n: int) -> None:
    """``n`` more applied (shared) imports, each adding one organization."""
    for _ in range(n):
        build_organizations(cast, 1)
