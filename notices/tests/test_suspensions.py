"""Temporary suspensions of acceptance (clause 8): recording shares with Tajikistan at
once; a second suspension of a sector in force, a lifting before the start or in the
future, and bad input are refused with a clear message and nothing saved; and what the
public learns — the notice on every list of every side (its JSON and pages, in four
languages) while in force and not after the lifting, the agency list's mark on the
sector, the diff and feed naming the start and the lifting, and the suspensions' own
list."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone, translation

from agencies.testing import certified
from notices.models import AcceptanceSuspension
from notices.suspensions import services
from notices.suspensions.choices import SuspensionState
from notices.suspensions.publication import NOTICE_KEY
from notices.suspensions.testing import facts
from portal.exceptions import InvalidInput, PermissionDenied, TransitionError
from portal.models import AuditEntry, Organization, OutboxEntry
from portal.publication import lists
from portal.publication.models import Publication
from portal.publication.reading import published_lists
from portal.records import services as kit
from portal.testing.matrix import ADMIN, BOTH_SIDES, CAST, MatrixTests, PermissionMatrix

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    published_lists.clear()
    yield
    published_lists.clear()


def record(actor, **more):
    return services.record_suspension(actor, **facts(**more))


def _latest(list_name: str, side: str) -> Publication:
    return Publication.objects.filter(list_name=list_name, side__code=side).order_by("-version").first()


def _page(path: str, **params) -> str:
    response = Client().get(path, params)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


# --- The services ------------------------------------------------------------------------


def test_recording_shares_at_once_and_asks_every_list_of_every_side(cast):
    requests = OutboxEntry.objects.filter(topic="publication.publish")
    suspension = record(cast["jp_officer"], internal_notes="秘密のメモ")
    assert suspension.status == "shared" and suspension.state == SuspensionState.IN_FORCE
    assert suspension.reference.startswith("JP-SUS-")
    # Every declared list is asked for a version; the suspensions' own list names the row.
    asked = {entry.payload["list"]: entry.payload["items"] for entry in requests}
    assert set(asked) == {published.name for published in lists.all_lists()}
    assert asked["acceptance-suspensions"] == [suspension.pk] and asked["agencies"] == []
    # Tajikistan's contact point is told by reference, never by content.
    told = OutboxEntry.objects.get(topic="notify", payload__kind="notices.suspension_recorded").payload
    assert told["organizations"] == [Organization.objects.get(side__country="TJ", is_contact_point=True).pk]
    assert told["params"]["reference"] == suspension.reference and "秘密" not in json.dumps(told)
    for reader in ("jp_analyst", "tj_officer", "tj_analyst"):
        assert AcceptanceSuspension.objects.restrict(cast[reader]).filter(pk=suspension.pk).exists()
    assert not AcceptanceSuspension.objects.restrict(cast["maff_viewer"]).filter(pk=suspension.pk).exists()
    assert {"record.created", "record.shared", "suspension.recorded"} <= set(
        AuditEntry.objects.filter(object_id=str(suspension.pk)).values_list("action", flat=True)
    )
    # Tajikistan acknowledges, not the recording side.
    with pytest.raises(PermissionDenied):
        kit.acknowledge(suspension, cast["jp_contact"])
    assert kit.acknowledge(suspension, cast["tj_contact"]).acknowledged_at is not None


def test_only_japan_s_writers_record_correct_and_lift(cast):
    for name in ("tj_officer", "tj_contact", "jp_analyst", "maff_viewer"):
        with pytest.raises(PermissionDenied):
            record(cast[name])
    assert not AcceptanceSuspension.objects.exists()
    suspension = record(cast["jp_officer"])
    with pytest.raises(PermissionDenied):
        services.lift_suspension(suspension, cast["tj_contact"], lifted_on=TODAY(), reason="No.")
    with pytest.raises(PermissionDenied):
        services.correct_suspension(suspension, cast["tj_officer"], why="x", those_in_japan="Other.")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"sector": "space-travel"}, "SSW sector: Choose one of the SSW sectors."),
        ({"reason": "  "}, "Missing: Reason for the suspension."),
        ({"those_in_japan": ""}, "Missing: Workers already in Japan."),
        ({"suspended_from": "31/12/2026"}, "Suspended from: Enter a date as YYYY-MM-DD."),
        ({"colour": "red"}, "Unknown fields: colour."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(cast, given, message):
    outbox = OutboxEntry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        record(cast["jp_officer"], **given)
    assert message in str(refused.value)
    assert not AcceptanceSuspension.objects.exists() and OutboxEntry.objects.count() == outbox


def _told(kind: str) -> bool:
    """Whether the other side is to be told (the inbox item, promised in the outbox)."""
    return OutboxEntry.objects.filter(topic="notify", payload__kind=kind).exists()


def test_one_suspension_in_force_per_sector_and_the_lifting_dates(cast):
    japan = cast["jp_officer"]
    first = record(japan, sector="construction", suspended_from=TODAY() - dt.timedelta(days=20))
    with pytest.raises(InvalidInput) as refused:
        record(japan, sector="construction")
    assert first.reference in str(refused.value) and "already suspended" in str(refused.value)
    other = record(japan, sector="agriculture")  # another sector may be suspended
    with pytest.raises(InvalidInput, match="already suspended"):
        services.correct_suspension(other, japan, sector="construction")  # nor by a correction
    assert AcceptanceSuspension.objects.filter(sector__code="construction").count() == 1
    # The database holds the rule too, for two officers recording at the same moment.
    with pytest.raises(IntegrityError), transaction.atomic():
        AcceptanceSuspension.objects.filter(pk=other.pk).update(sector=first.sector)

    with pytest.raises(InvalidInput, match="cannot be before the suspension's start"):
        services.lift_suspension(first, japan, lifted_on=TODAY() - dt.timedelta(days=21), reason="Over.")
    with pytest.raises(InvalidInput, match="cannot be after today"):
        services.lift_suspension(first, japan, lifted_on=TODAY() + dt.timedelta(days=1), reason="Over.")
    with pytest.raises(InvalidInput, match="Say why"):
        services.lift_suspension(first, japan, lifted_on=TODAY(), reason=" ")
    first.refresh_from_db()
    assert first.state == SuspensionState.IN_FORCE and first.lifted_on is None

    lifted = services.lift_suspension(first, japan, lifted_on=TODAY(), reason="The shortage returned.")
    assert lifted.state == SuspensionState.LIFTED and lifted.lifting_reason == "The shortage returned."
    assert _told("notices.suspension_lifted")
    with pytest.raises(TransitionError):
        services.lift_suspension(lifted, japan, lifted_on=TODAY(), reason="Again.")
    with pytest.raises(TransitionError):
        services.correct_suspension(lifted, japan, why="x", those_in_japan="Other.")
    # Once lifted, the sector may be suspended again; the lifted one is kept.
    again = record(japan, sector="construction")
    assert AcceptanceSuspension.objects.filter(sector__code="construction").count() == 2
    with pytest.raises(InvalidInput, match="Nothing was changed"):
        services.correct_suspension(again, japan, those_in_japan=facts()["those_in_japan"])
    corrected = services.correct_suspension(again, japan, why="Wording.", reason="Reached in May.")
    assert corrected.reason == "Reached in May." and corrected.corrected_at is not None
    assert _told("notices.suspension_corrected")


# --- What the public learns --------------------------------------------------------------


def test_every_public_list_carries_the_suspension_while_in_force_and_not_after(
    cast, django_capture_on_commit_callbacks
):
    """The agency lists (both sides), the orders' and the register's (Tajikistan) and
    the suspensions' own: each gets a new version whose JSON carries the suspension,
    whose diff and feed say it started; after the lifting, one more version without it,
    whose diff says it was lifted. The agency list marks the sector, in words."""
    with django_capture_on_commit_callbacks(execute=True):
        certified(
            cast["tj_officer"], number="TJ-A-1", name_tg="Ширкати «Сомон»"
        )  # nursing-care, construction
    before = {(p.list_name, p.side.code): p.version for p in Publication.objects.all()}
    with django_capture_on_commit_callbacks(execute=True):
        suspension = record(cast["jp_officer"], sector="construction", internal_notes="秘密のメモ")
    published = {(p.list_name, p.side.code) for p in Publication.objects.all()}
    expected = {
        ("agencies", "japan"),
        ("agencies", "tajikistan"),
        ("improvement-orders", "tajikistan"),
        ("support-organizations", "tajikistan"),
        ("acceptance-suspensions", "japan"),
        ("acceptance-suspensions", "tajikistan"),
    }
    assert expected <= published
    for list_name, side in expected:
        latest = _latest(list_name, side)
        assert latest.version == before.get((list_name, side), 0) + 1, (list_name, side)
        notice = latest.snapshot[NOTICE_KEY]
        assert [entry["key"] for entry in notice] == [suspension.reference]
        assert notice[0]["sector"] == "construction" and notice[0]["reason"] == facts()["reason"]
        assert notice[0]["label"]["tg"] == "Сохтмон" and "秘密" not in json.dumps(notice, ensure_ascii=False)
        started = latest.diff["notices"]
        assert [(entry["change"], entry["key"]) for entry in started] == [("started", suspension.reference)]
        assert "Construction" in started[0]["text"]["en"] and "Сохтмон" in started[0]["text"]["tg"]
        json_file = Client().get(f"/public/{lists.get(list_name).url_path}/{side}/current.json")
        assert json_file.status_code == 200
        content = json.loads(b"".join(json_file.streaming_content))["content"]
        assert content[NOTICE_KEY][0]["key"] == suspension.reference

    # The agency list: the notice, the sector's rows and filter choice marked in words.
    html = _page("/public/agencies/tajikistan/", lang="en")
    assert (
        "The acceptance of Specified Skilled Workers in the sector “Construction” is suspended from" in html
    )
    certified_part = html.split('id="certified-heading"')[1].split('id="withdrawn-heading"')[0]
    assert 'Construction <span class="badge badge--withdrawn">acceptance suspended</span>' in certified_part
    assert "Construction — acceptance suspended</option>" in html
    assert "Nursing care — acceptance suspended" not in html
    feed = _page("/public/agencies/tajikistan/feed.atom")  # in Tajik, the side's language
    assert "Сохтмон" in feed and "秘密" not in feed
    versions = _page("/public/improvement-orders/tajikistan/versions/", lang="en")
    assert "Acceptance suspended in the sector “Construction”" in versions

    with django_capture_on_commit_callbacks(execute=True):
        services.lift_suspension(suspension, cast["jp_officer"], lifted_on=TODAY(), reason="Shortage again.")
    for list_name, side in expected:
        latest = _latest(list_name, side)
        assert latest.version == before.get((list_name, side), 0) + 2, (list_name, side)
        assert NOTICE_KEY not in latest.snapshot
        assert [entry["change"] for entry in latest.diff["notices"]] == ["ended"]
    html = _page("/public/agencies/tajikistan/", lang="en")
    assert "acceptance suspended" not in html and "is suspended from" not in html
    version = _page(
        f"/public/agencies/tajikistan/versions/{_latest('agencies', 'tajikistan').version}/", lang="en"
    )
    assert "Suspension of acceptance lifted in the sector “Construction”" in version
    # The suspensions' own list keeps it, lifted, with the date and reason.
    own = _page("/public/suspensions/tajikistan/", lang="en")
    lifted_part = own.split('id="lifted-heading"')[1]
    assert suspension.reference in lifted_part and "秘密" not in own
    detail = _page(f"/public/suspensions/tajikistan/suspension/{suspension.reference}/", lang="en")
    assert "Shortage again." in detail and facts()["those_in_japan"] in detail


def test_the_public_sentence_in_four_languages(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        suspension = record(cast["jp_officer"], sector="agriculture", suspended_from=dt.date(2026, 11, 1))
    names = {"ja": "農業", "en": "Agriculture", "ru": "Сельское хозяйство", "tg": "Кишоварзӣ"}
    for language, sector in names.items():
        with translation.override(language):
            sentence = translation.gettext(
                "The acceptance of Specified Skilled Workers in the sector “%(sector)s” is suspended "
                "from %(day)s."
            ) % {"sector": sector, "day": "2026-11-01"}
        for path in ("/public/improvement-orders/tajikistan/", "/public/suspensions/japan/"):
            html = _page(path, lang=language)
            assert sentence in html, (language, path)
            assert facts()["reason"] in html and f'lang="{language}"' in html
    assert suspension.reference in _page("/public/suspensions/japan/", lang="tg")


# --- The officer pages and the API -------------------------------------------------------


def test_the_pages_record_and_lift_and_refuse_bad_input_next_to_the_form(cast, client_for):
    from agencies.models import Sector

    client = client_for("jp_officer")
    assert 'href="/notices/suspensions/new/"' in client.get("/notices/suspensions/").content.decode()
    body = {**facts(), "sector": Sector.objects.get(code="fishery").pk, "suspended_from": TODAY().isoformat()}
    assert client.post("/notices/suspensions/new/", body).status_code == 302
    suspension = AcceptanceSuspension.objects.get()
    again = client.post("/notices/suspensions/new/", body)
    assert again.status_code == 200 and "already suspended" in again.content.decode()
    assert AcceptanceSuspension.objects.count() == 1
    detail = client.get(f"/notices/suspensions/{suspension.pk}/").content.decode()
    assert facts()["internal_notes"] in detail and f"/notices/suspensions/{suspension.pk}/lift/" in detail
    early = client.post(
        f"/notices/suspensions/{suspension.pk}/lift/",
        {"lifted_on": (TODAY() - dt.timedelta(days=1)).isoformat(), "reason": "Over."},
    )
    assert early.status_code == 200 and "cannot be before the suspension" in early.content.decode()
    lifted = client.post(
        f"/notices/suspensions/{suspension.pk}/lift/", {"lifted_on": TODAY().isoformat(), "reason": "Over."}
    )
    assert lifted.status_code == 302
    page = client_for("tj_officer").get(f"/notices/suspensions/{suspension.pk}/").content.decode()
    assert "Over." in page and f"/notices/suspensions/{suspension.pk}/lift/" not in page
    listed = client.get("/notices/suspensions/?state=lifted").content.decode()
    assert suspension.reference in listed


def test_the_api_records_corrects_lifts_and_refuses(cast, client_for):
    client = client_for("jp_officer")
    url = "/api/v1/acceptance-suspensions/"
    body = {**facts(sector="food-service"), "suspended_from": TODAY().isoformat()}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["reference"].startswith("JP-SUS-") and data["state"] == "in_force"
    assert data["sector"] == "food-service" and data["internal_notes"] == facts()["internal_notes"]
    twice = client.post(url, body, content_type="application/json")
    assert twice.status_code == 400 and "already suspended" in twice.content.decode()
    bad = client.post(url, {**body, "sector": "space-travel"}, content_type="application/json")
    assert bad.status_code == 400 and "sector" in bad.json()
    pk = data["id"]
    corrected = client.post(
        f"{url}{pk}/correction/",
        {"those_in_japan": "They stay.", "reason_for_correction": "Wording."},
        content_type="application/json",
    )
    assert corrected.status_code == 200 and corrected.json()["those_in_japan"] == "They stay."
    future = client.post(
        f"{url}{pk}/lift/",
        {"lifted_on": (TODAY() + dt.timedelta(days=3)).isoformat(), "reason": "Later."},
        content_type="application/json",
    )
    assert future.status_code == 400 and "after today" in future.content.decode()
    lifted = client.post(
        f"{url}{pk}/lift/",
        {"lifted_on": TODAY().isoformat(), "reason": "Over."},
        content_type="application/json",
    )
    assert lifted.status_code == 200 and lifted.json()["state"] == "lifted"
    assert lifted.json()["lifted_on"] == TODAY().isoformat()
    filtered = client.get(f"{url}?sector=food-service&state=lifted")
    assert [row["id"] for row in filtered.json()["results"]] == [pk]
    assert client_for("tj_officer").post(url, body, content_type="application/json").status_code == 403


# --- Who reads a suspension (pages and API) ----------------------------------------------

SHARED = BOTH_SIDES | ADMIN


def _consent(suspension, contact):
    kit.grant_consent(
        suspension,
        contact,
        third_party=Organization.objects.get(code="jp-maff"),
        document_reference="Letter 8/26",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )


class SuspensionMatrix(PermissionMatrix):
    situations = {"in_force": SHARED, "disclosed_by_japan": SHARED | {"maff_viewer"}}
    html_list_url = "/notices/suspensions/"
    api_list_url = "/api/v1/acceptance-suspensions/"

    @staticmethod
    def html_detail_url(obj):
        return f"/notices/suspensions/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/acceptance-suspensions/{obj.pk}/"

    def make(self, situation, cast):
        sector = {"in_force": "construction", "disclosed_by_japan": "fishery"}[situation]
        suspension = record(cast["jp_officer"], sector=sector)
        if situation == "disclosed_by_japan":
            _consent(suspension, cast["jp_contact"])
        return AcceptanceSuspension.objects.get(pk=suspension.pk)


class _Reads(MatrixTests):
    matrix = SuspensionMatrix()


def test_who_reads_a_suspension_in_the_pages_and_the_api(cast, client_for):
    """The matrix's reads (``MatrixTests``) for every member of the cast, on one set of
    suspensions: the records are made once, not once per reader (CI time)."""
    reads = _Reads()
    objects = {situation: reads.matrix.make(situation, cast) for situation in reads.matrix.situations}
    for username in CAST:
        reads.test_html_list_and_detail(username, objects, client_for)
        reads.test_api_list_and_detail(username, objects, client_for)
    reads.test_anonymous(objects, client_for)


def test_the_demo_seeds_one_lifted_suspension_once(cast):
    from notices.suspensions.demo import seed

    users = {name.replace("_", "-"): user for name, user in cast.items() if user is not None}
    seed(users)
    seed(users)
    suspension = AcceptanceSuspension.objects.get()
    assert suspension.state == SuspensionState.LIFTED and suspension.acknowledged_at is not None


def test_the_canary_factory_makes_every_situation_each_in_a_sector_of_its_own(cast):
    from notices.suspensions.testing import CanarySuspensionFactory

    factory = CanarySuspensionFactory()
    markers = {"reason": "zqx00001", "those_in_japan": "zqx00002", "lifting_reason": "zqx00003"}
    made = [
        factory.create(None, AcceptanceSuspension, cast[name], dict(markers), shared=shared)
        for name, shared in (
            ("jp_officer", True),
            ("jp_officer", True),
            ("tj_officer", True),
            ("jp_officer", False),
        )
    ]
    assert [s.status for s in made] == ["shared", "shared", "shared", "draft"]
    assert len({s.sector_id for s in made[:3]}) == 3  # one in force per sector
    for suspension in made:
        assert (suspension.reason, suspension.those_in_japan, suspension.lifting_reason) == tuple(
            markers.values()
        )
    assert AuditEntry.objects.filter(action="suspension.recorded", object_id=str(made[0].pk)).exists()
    assert factory.public_fields(AcceptanceSuspension, cast["jp_officer"], "shared") == set(markers)
    assert not factory.public_fields(AcceptanceSuspension, cast["tj_officer"], "shared")
    assert not factory.public_fields(AcceptanceSuspension, cast["jp_officer"], "draft")
