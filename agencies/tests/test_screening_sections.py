"""The screening page in sections with a summary of what blocks certification, and a
refusal to certify that names the criteria that fail — on the page and in the API, in
the reader's language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from agencies import policies, services
from agencies.choices import CriterionResult
from agencies.models import ScreeningCriterion
from agencies.testing import register, screen
from portal.exceptions import TransitionError
from portal.testing.browser import new_page, no_accessibility_violations, sign_in


def _t(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _criterion(number: int) -> ScreeningCriterion:
    return ScreeningCriterion.objects.get(number=number)


def _certify_data() -> dict:
    today = timezone.localdate()
    return {
        "certification_number": "TJ-SCR-0001",
        "certified_on": str(today),
        "valid_until": str(today + dt.timedelta(days=365)),
    }


@pytest.fixture
def failing_agency(cast):
    """Screened with two mandatory criteria (1, 4) and one advisory criterion (3) not met."""
    agency = register(cast["tj_officer"])
    screen(agency, cast["tj_officer"], failing={1, 3, 4})
    return agency


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_page_refuses_certification_naming_each_failing_criterion(failing_agency, client_for, language):
    client = client_for("tj_officer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("agencies:certify", args=[failing_agency.pk]), _certify_data())
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    for number in (1, 4):
        text = translation.override(language)(lambda n=number: _criterion(n).text)()
        assert f"{number}. {text}" in summary
    assert _criterion(3).text_en not in summary  # advisory: it does not block
    if language == "ru":
        assert _criterion(1).text_ru in summary and _criterion(1).text_en not in summary
    assert not re.search(r":\s*1\s*<", summary), "the refusal names a number only"
    failing_agency.refresh_from_db()
    assert failing_agency.status == "under_screening" and not failing_agency.certification_number


@pytest.mark.parametrize("language", ["ja", "tg"])
def test_the_api_refuses_certification_naming_each_failing_criterion(failing_agency, client_for, language):
    response = client_for("tj_officer").post(
        f"/api/v1/agencies/{failing_agency.pk}/certify/",
        _certify_data(),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 409
    detail = response.json()["detail"]
    with translation.override(language):
        expected = translation.ngettext(
            "Certification is refused because this mandatory criterion is not met: %(criteria)s",
            "Certification is refused because these mandatory criteria are not met: %(criteria)s",
            2,
        ) % {"criteria": f"1. {_criterion(1).text}; 4. {_criterion(4).text}"}
    assert detail == expected
    assert getattr(_criterion(1), f"text_{language}") in detail
    assert _criterion(1).text_en not in detail


def test_one_failing_criterion_is_named_in_the_singular(cast, client_for):
    agency = register(cast["tj_officer"])
    screen(agency, cast["tj_officer"], failing={12})
    response = client_for("tj_officer").post(
        f"/api/v1/agencies/{agency.pk}/certify/", _certify_data(), content_type="application/json"
    )
    assert response.json()["detail"] == (
        f"Certification is refused because this mandatory criterion is not met: 12. {_criterion(12).text_en}"
    )


def test_an_agency_never_screened_is_refused_with_that_reason(cast):
    """Not "…: —": the reason itself (the transition table normally refuses first)."""
    agency = register(cast["tj_officer"])
    with pytest.raises(TransitionError) as refused:
        policies.check_screening_met(agency)
    assert refused.value.message == "Certification is refused: the agency has not been screened."


def _screening_page(client, agency):
    screening = agency.screenings.first()
    return client.get(reverse("agencies:screening", args=[agency.pk, screening.pk])).content.decode()


def _current_screening(cast, failing: set[int]):
    """An agency under screening whose saved results fail ``failing``."""
    agency = register(cast["tj_officer"])
    screening = services.start_screening(agency, cast["tj_officer"])
    results = {
        row.criterion_id: (
            CriterionResult.NOT_MET if row.criterion.number in failing else CriterionResult.MET,
            "",
        )
        for row in screening.results.select_related("criterion")
    }
    services.record_screening(screening, cast["tj_officer"], results)
    return agency


def test_the_summary_names_and_links_each_failing_mandatory_criterion(cast, client_for):
    agency = _current_screening(cast, failing={2, 8, 9})
    html = _screening_page(client_for("tj_officer"), agency)
    start = html.index('class="screening-summary')
    summary = html[start : html.index("</section>", start)]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [text for _, text in links] == [f"{n}. {_criterion(n).text_en}" for n in (2, 8)]
    for anchor, _ in links:  # each link lands on the first radio of the criterion
        assert re.match(r"id_result_\d+_0$", anchor) and f'id="{anchor}"' in html
    assert "2 mandatory criteria not met yet" in summary
    assert html.index("screening-summary") < html.index('class="screening-form"')


def test_the_summary_links_to_the_table_once_the_screening_is_read_only(cast, client_for):
    agency = register(cast["tj_officer"])
    screen(agency, cast["tj_officer"], failing={5})
    services.reject(agency, cast["tj_officer"], reason="Held passports.")
    html = _screening_page(client_for("tj_officer"), agency)
    assert 'class="screening-form"' not in html
    pk = _criterion(5).pk
    assert f'<a href="#criterion-{pk}">5. {_criterion(5).text_en}</a>' in html
    assert f'<tr id="criterion-{pk}">' in html


def test_all_mandatory_criteria_met_is_said_instead(cast, client_for):
    agency = _current_screening(cast, failing={3})  # advisory only
    html = _screening_page(client_for("tj_officer"), agency)
    assert "All mandatory criteria met" in html
    assert "mandatory criteria not met yet" not in html and "mandatory criterion not met yet" not in html


def test_the_criteria_are_in_sections_by_category_each_a_fieldset(cast, client_for):
    agency = _current_screening(cast, failing=set())
    html = _screening_page(client_for("tj_officer"), agency)
    html = html[: html.index('id="id_note"')]  # the overall note follows the sections
    parts = html.split('<fieldset class="form-section" id="criteria-')[1:]
    sections = [re.match(r'(\w+)">\s*<legend>([^<]+)</legend>', part).groups() for part in parts]
    assert sections == [("mandatory", "Mandatory criteria"), ("advisory", "Advisory criteria")]
    mandatory = ScreeningCriterion.objects.filter(active=True, mandatory=True)
    advisory = ScreeningCriterion.objects.filter(active=True, mandatory=False)
    for body, criteria in zip(parts, (mandatory, advisory), strict=True):
        assert criteria
        for criterion in criteria:
            # the criterion's radios in a fieldset of their own, its legend the criterion
            assert re.search(
                rf'<fieldset class="form-field form-field--group"[^>]*>\s*<legend>{criterion.number}\. ',
                body,
            ), criterion.number
            assert f'name="result_{criterion.pk}" value="met"' in body
            assert f'id="id_note_{criterion.pk}"' in body and f'id="id_evidence_{criterion.pk}"' in body


def test_a_result_is_saved_from_the_radios(cast, client_for):
    agency = _current_screening(cast, failing={1})
    screening = agency.screenings.first()
    data = {"note": ""}
    for row in screening.results.all():
        data[f"result_{row.criterion_id}"] = CriterionResult.MET
        data[f"note_{row.criterion_id}"] = ""
    response = client_for("tj_officer").post(
        reverse("agencies:screening", args=[agency.pk, screening.pk]), data
    )
    assert response.status_code == 302
    assert screening.failing_mandatory() == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_screening_page_in_a_browser(live_server, cast):
    """At 1280x800: the page is in sections and much shorter than the 6,709 pixels of the
    one-column form it replaces; the summary's links reach their radios; axe finds no
    WCAG 2.1 AA violation, with and without errors."""
    officer = cast["tj_officer"]
    agency = register(officer)
    screening = services.start_screening(agency, officer)
    url = f"{live_server.url}{reverse('agencies:screening', args=[agency.pk, screening.pk])}"
    with new_page(viewport={"width": 1280, "height": 800}) as page:
        sign_in(page, live_server.url, "tj-officer")
        page.goto(url)
        height = page.evaluate("document.body.scrollHeight")
        assert height < 5000, height
        assert page.locator("fieldset.form-section > legend").all_inner_texts() == [
            "Mandatory criteria",
            "Advisory criteria",
        ]
        no_accessibility_violations(page)
        first = page.locator(".screening-summary a").first
        target = first.get_attribute("href")
        first.click()
        assert page.evaluate("location.hash") == target
        page.check(target)  # the link's target is the criterion's first radio
        for radio in page.locator("input[type=radio][value=met]").all():
            radio.check()
        # refused: a program is not evidence
        page.set_input_files(
            "#id_evidence_" + target.split("_")[2],
            {"name": "tool.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00" * 64},
        )
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        summary = page.locator(".error-summary")
        assert summary.is_visible()
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        no_accessibility_violations(page)
        summary.locator("a").first.click()
        assert page.evaluate("document.activeElement.id") == "id_evidence_" + target.split("_")[2]
