"""State changes are services (DESIGN.md principle 4): transitions, grants, audit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from portal import services
from portal.exceptions import InvalidInput, TransitionError
from portal.models import AuditEntry, Correspondence, DisclosureConsent, Memorandum, Organization, add_months


@pytest.fixture
def letter(cast):
    return services.draft_correspondence(
        cast["tj_contact"], recipient=Organization.objects.get(code="jp-isa-rmd"), subject="S", body="B"
    )


def test_draft_is_granted_to_its_organization_only(letter, cast):
    assert list(Correspondence.objects.restrict(cast["tj_contact"])) == [letter]
    assert list(Correspondence.objects.restrict(cast["tj_officer"])) == []  # another Tajik organization
    assert list(Correspondence.objects.restrict(cast["jp_contact"])) == []


def test_sharing_reaches_both_sides_and_freezes_the_record(letter, cast):
    services.send_correspondence(letter, cast["tj_contact"])
    for name in ["jp_contact", "jp_officer", "jp_analyst", "tj_officer", "tj_analyst"]:
        assert Correspondence.objects.restrict(cast[name]).filter(pk=letter.pk).exists(), name
    for name in ["embassy_viewer", "maff_viewer"]:
        assert not Correspondence.objects.restrict(cast[name]).exists(), name
    assert not Correspondence.objects.restrict(cast["tj_contact"], "change").exists()
    with pytest.raises(TransitionError):
        services.update_record(letter, cast["tj_contact"], subject="changed after sending")
    entry = AuditEntry.objects.filter(action="record.shared").get()
    assert entry.actor == cast["tj_contact"] and entry.object_id == str(letter.pk)


def test_a_shared_record_cannot_be_shared_or_withdrawn_again(letter, cast):
    services.send_correspondence(letter, cast["tj_contact"])
    with pytest.raises(TransitionError):
        services.share_record(letter, cast["tj_contact"])
    with pytest.raises(TransitionError):
        services.withdraw_draft(letter, cast["tj_contact"])


def test_only_the_originating_organization_shares(letter, cast):
    with pytest.raises(PermissionDenied):
        services.share_record(letter, cast["tj_officer"])


def test_read_only_roles_cannot_write(cast):
    recipient = Organization.objects.get(code="tj-ms-lpsa")
    for name in ["jp_analyst", "maff_viewer"]:
        with pytest.raises(PermissionDenied):
            services.draft_correspondence(cast[name], recipient=recipient, subject="x", body="y")


def test_correspondence_goes_to_the_other_side(cast):
    with pytest.raises(InvalidInput):
        services.draft_correspondence(
            cast["tj_contact"], recipient=Organization.objects.get(code="tj-mlme"), subject="x", body="y"
        )


def test_consent_rules(letter, cast):
    embassy = Organization.objects.get(code="tj-embassy-jp")
    later = timezone.now() + timedelta(days=1)
    with pytest.raises(TransitionError):  # a draft is not disclosed
        services.grant_consent(
            letter, cast["tj_contact"], third_party=embassy, document_reference="L-1", expires_at=later
        )
    services.send_correspondence(letter, cast["tj_contact"])
    with pytest.raises(PermissionDenied):  # only the side the information came from consents
        services.grant_consent(
            letter, cast["jp_contact"], third_party=embassy, document_reference="L-1", expires_at=later
        )
    with pytest.raises(InvalidInput):  # consent goes to a third party
        services.grant_consent(
            letter,
            cast["tj_contact"],
            third_party=Organization.objects.get(code="jp-mofa"),
            document_reference="L-1",
            expires_at=later,
        )
    with pytest.raises(InvalidInput):
        services.grant_consent(
            letter,
            cast["tj_contact"],
            third_party=embassy,
            document_reference="L-1",
            expires_at=timezone.now(),
        )
    consent = services.grant_consent(
        letter, cast["tj_contact"], third_party=embassy, document_reference="L-1", expires_at=later
    )
    assert Correspondence.objects.restrict(cast["embassy_viewer"]).get() == letter
    assert not Correspondence.objects.restrict(cast["maff_viewer"]).exists()
    for name in ("jp_contact", "tj_officer"):  # the other side; not the side's contact point
        with pytest.raises(PermissionDenied):
            services.withdraw_consent(consent, cast[name])
    services.withdraw_consent(consent, cast["tj_contact"])
    assert not Correspondence.objects.restrict(cast["embassy_viewer"]).exists()
    with pytest.raises(TransitionError):
        services.withdraw_consent(consent, cast["tj_contact"])


def test_two_consents_for_one_third_party_outlive_each_other(letter, cast):
    services.send_correspondence(letter, cast["tj_contact"])
    embassy = Organization.objects.get(code="tj-embassy-jp")
    first = services.grant_consent(
        letter,
        cast["tj_contact"],
        third_party=embassy,
        document_reference="L-1",
        expires_at=timezone.now() + timedelta(days=1),
    )
    services.grant_consent(
        letter,
        cast["tj_contact"],
        third_party=embassy,
        document_reference="L-2",
        expires_at=timezone.now() + timedelta(days=9),
    )
    services.withdraw_consent(first, cast["tj_contact"])
    assert Correspondence.objects.restrict(cast["embassy_viewer"]).exists()


def test_expired_consent_is_taken_back_by_the_periodic_job(letter, cast):
    services.send_correspondence(letter, cast["tj_contact"])
    consent = services.grant_consent(
        letter,
        cast["tj_contact"],
        third_party=Organization.objects.get(code="tj-embassy-jp"),
        document_reference="L-1",
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert services.revoke_lapsed_consents() == 0
    DisclosureConsent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.revoke_lapsed_consents() == 1
    assert services.revoke_lapsed_consents() == 0  # each consent once
    assert not Correspondence.objects.restrict(cast["embassy_viewer"]).exists()
    assert AuditEntry.objects.filter(action="consent.expired").count() == 1


# --- Clauses 9 and 10 -----------------------------------------------------------------


def test_memorandum_is_seeded_with_its_signatures(db):
    memorandum = Memorandum.objects.get(partner_country="TJ")
    assert memorandum.signed_in_japan_on == date(2024, 8, 5) and memorandum.signed_in_japan_at == "Tokyo"
    assert (
        memorandum.signed_by_partner_on == date(2024, 8, 8) and memorandum.signed_by_partner_at == "Dushanbe"
    )
    assert sorted(memorandum.sides.values_list("country", flat=True)) == ["JP", "TJ"]
    assert memorandum.sides.get(country="TJ").contact_point().code == "tj-ms-lpsa"
    assert memorandum.sides.get(country="JP").contact_point().code == "jp-isa-rmd"


@pytest.mark.parametrize(
    ("notified", "ends"),
    [
        (date(2026, 1, 15), date(2026, 7, 15)),
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
    ],
)
def test_termination_takes_effect_six_months_after_notice(notified, ends):
    assert add_months(notified, 6) == ends


def test_termination_notice_is_a_service(cast):
    memorandum = Memorandum.objects.get(partner_country="TJ")
    memorandum.commenced_on = date(2025, 1, 10)
    memorandum.save()
    with pytest.raises(PermissionDenied):
        services.notify_termination(memorandum, cast["tj_officer"], notified_on=date(2026, 12, 1))
    services.notify_termination(memorandum, cast["tj_contact"], notified_on=date(2026, 12, 1))
    memorandum.refresh_from_db()
    assert memorandum.ends_on == date(2027, 6, 1)
    assert memorandum.termination_notified_by.country == "TJ"
    assert memorandum.is_in_force(date(2027, 5, 31)) and not memorandum.is_in_force(date(2027, 6, 1))
    with pytest.raises(TransitionError):
        services.notify_termination(memorandum, cast["jp_contact"], notified_on=date(2026, 12, 2))
    assert AuditEntry.objects.filter(action="memorandum.termination_notified").count() == 1


def test_amendments_need_both_sides_written_consent(db):
    from django.core.exceptions import ValidationError

    from portal.models import Amendment

    amendment = Amendment(memorandum=Memorandum.objects.get(), agreed_on=date(2026, 3, 1), summary_en="Annex")
    with pytest.raises(ValidationError) as excinfo:
        amendment.full_clean()
    assert {"japan_consent_reference", "partner_consent_reference"} <= set(excinfo.value.message_dict)


def test_permitted_ids_checks_a_page_in_one_query(cast, django_assert_num_queries):
    from portal.querysets import permission_id, permitted_ids

    recipient = Organization.objects.get(code="jp-isa-rmd")
    letters = [
        services.draft_correspondence(cast["tj_contact"], recipient=recipient, subject=str(i), body="x")
        for i in range(3)
    ]
    services.send_correspondence(letters[0], cast["tj_contact"])
    permission_id(Correspondence, "change")  # cached after the first call
    with django_assert_num_queries(1):
        assert permitted_ids(cast["tj_contact"], letters, "change") == {letters[1].pk, letters[2].pk}
    assert permitted_ids(cast["jp_contact"], letters, "view") == {letters[0].pk}
