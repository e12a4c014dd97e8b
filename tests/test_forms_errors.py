"""Every form marks its required fields in words and, when sent with errors, opens with
a summary of them (as the Digital Agency of Japan's and GOV.UK's design systems do):
each error a link to its field, the field marked invalid and described by its message."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from agencies import services as agency_services
from agencies.testing import certified, register
from portal.models import Memorandum

LANGUAGES = ["en", "ja", "ru", "tg"]


class Elements(HTMLParser):
    """The page's elements by id, their attributes, and the text inside each id'd element
    and inside the error summary."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict] = {}
        self.text: dict[str, str] = {}
        self.describedby: list[str] = []
        self.summary: list[dict] = []  # the error summaries: attributes, links, text
        self._open: list[tuple[str, str | None, bool]] = []  # tag, id, summary
        self.feed(html)

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "area", "base", "wbr"}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        ident = attrs.get("id")
        if ident:
            assert ident not in self.by_id, f"the id {ident} is used twice"
            self.by_id[ident] = {"tag": tag, **attrs}
            self.text[ident] = ""
        if attrs.get("aria-describedby"):
            self.describedby += attrs["aria-describedby"].split()
        in_summary = "error-summary" in attrs.get("class", "").split()
        if in_summary:
            self.summary.append({"attrs": attrs, "links": [], "text": ""})
        if tag == "a" and self._in_summary():
            self.summary[-1]["links"].append(attrs.get("href", ""))
        if tag not in self.VOID:
            self._open.append((tag, ident, in_summary))

    def _in_summary(self) -> bool:
        return any(summary for _, _, summary in self._open)

    def handle_endtag(self, tag):
        while self._open:
            open_tag, _, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, ident, _ in self._open:
            if ident:
                self.text[ident] += data
        if self._in_summary():
            self.summary[-1]["text"] += data


def _t(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _agency_under_screening(cast):
    agency = register(cast["tj_officer"])
    agency_services.start_screening(agency, cast["tj_officer"])
    return agency


def _screening_url(cast, request):
    agency = _agency_under_screening(cast)
    return reverse("agencies:screening", args=[agency.pk, agency.screenings.first().pk])


def _consent_url(cast, request):
    investigation = request.getfixturevalue("reported_investigation")
    return reverse(
        "consent-create",
        kwargs={"app_label": "agencies", "model_name": "investigation", "pk": investigation.pk},
    )


# name -> (who, how the URL is made from the cast and the test's fixtures); each form is
# sent empty. The builders make what the page needs (an agency under screening, ...).
CASES = {
    "login": (None, lambda cast, request: reverse("login")),
    "password_change": ("tj_officer", lambda cast, request: reverse("password_change")),
    "agencies:create": ("tj_officer", lambda cast, request: reverse("agencies:create")),
    "agencies:screening": ("tj_officer", _screening_url),
    "agencies:certify": (
        "tj_officer",
        lambda cast, request: reverse("agencies:certify", args=[_agency_under_screening(cast).pk]),
    ),
    "agencies:reject": (
        "tj_officer",
        lambda cast, request: reverse("agencies:reject", args=[_agency_under_screening(cast).pk]),
    ),
    "agencies:revoke": (
        "tj_officer",
        lambda cast, request: reverse("agencies:revoke", args=[certified(cast["tj_officer"]).pk]),
    ),
    "correspondence-create": ("tj_contact", lambda cast, request: reverse("correspondence-create")),
    "consent-create": ("jp_contact", _consent_url),
    "memorandum-terminate": (
        "tj_contact",
        lambda cast, request: reverse("memorandum-terminate", args=[Memorandum.objects.get().pk]),
    ),
    "memorandum-amendment-new": (
        "tj_contact",
        lambda cast, request: reverse("memorandum-amendment-new", args=[Memorandum.objects.get().pk]),
    ),
}


@pytest.fixture
def form_page(cast, client_for, request):
    def make(name: str, language: str = "en"):
        who, url = CASES[name]
        client = client_for(who)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client, url(cast, request)

    return make


def _required_fields(response):
    form = response.context["form"]
    return [field for field in form.visible_fields() if field.field.required]


@pytest.mark.parametrize("name", CASES)
def test_required_fields_are_marked_in_words_and_for_assistive_technology(form_page, name):
    client, url = form_page(name)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    page = Elements(html)
    required = _required_fields(response)
    assert required, f"{name}: a form without a required field tests nothing"
    for field in required:
        if field.use_fieldset:  # radios or check boxes: the legend says it
            anchor = f"{field.auto_id}_0"
            assert anchor in page.by_id, f"{name}: {field.name} has no first choice"
            legend_marked = f'{field.label}<span class="form-required">' in html.replace(" <span", "<span")
            assert legend_marked, f"{name}: the legend of {field.name} does not say required"
            if field.widget_type == "radioselect":
                assert "required" in page.by_id[anchor], f"{name}: {field.name} radios are not required"
        else:
            element = page.by_id[field.auto_id]
            # ``required``, or ``aria-required`` where HTML forbids the attribute (a
            # select whose first option is a real choice).
            assert "required" in element or element.get("aria-required") == "true", (
                f"{name}: {field.name} is not marked required for assistive technology"
            )
            label = f'<label for="{field.auto_id}">'
            start = html.index(label)
            assert 'class="form-required"' in html[start : html.index("</label>", start)], (
                f"{name}: the label of {field.name} does not say required"
            )
    assert html.count('class="form-required"') >= len(required)


@pytest.mark.parametrize("language", ["en", "ja", "ru", "tg"])
def test_the_required_mark_is_a_word_in_each_language(form_page, language):
    client, url = form_page("agencies:reject", language)
    html = client.get(url).content.decode()
    mark = _t(language, "required")
    assert language == "en" or mark != "required", "the mark is not translated"
    assert f'<span class="form-required">{mark}</span>' in html


@pytest.mark.parametrize("name", CASES)
def test_errors_are_summarised_at_the_top_with_working_links(form_page, name):
    client, url = form_page(name)
    response = client.post(url, {})
    assert response.status_code == 200, f"{name}: an empty form was accepted"
    html = response.content.decode()
    page = Elements(html)
    assert len(page.summary) == 1, f"{name}: {len(page.summary)} error summaries"
    summary = page.summary[0]
    assert summary["attrs"].get("role") == "alert" and summary["attrs"].get("tabindex") == "-1"
    assert "autofocus" in summary["attrs"]  # focused on load, without a script (CSP)
    assert "There is a problem" in summary["text"]
    # The summary comes before the first field.
    assert html.index('class="error-summary"') < html.index('class="form-field')
    form = response.context["form"]
    invalid = [field for field in form.visible_fields() if field.errors]
    assert invalid, f"{name}: no field error to link to"
    for field in invalid:
        anchor = f"{field.auto_id}_0" if field.use_fieldset else field.auto_id
        assert f"#{anchor}" in summary["links"], f"{name}: no link to {field.name}"
    for link in summary["links"]:
        target = page.by_id.get(link.removeprefix("#"))
        assert target is not None, f"{name}: the summary links to a missing {link}"
        assert target.get("aria-invalid") == "true", f"{name}: {link} is not marked invalid"
    for field in invalid:
        error_id = f"{field.auto_id}_error"
        assert error_id in page.by_id, f"{name}: the message of {field.name} has no id"
        assert str(field.errors[0]) in page.text[error_id]
        assert error_id in page.describedby, f"{name}: nothing is described by {error_id}"


def test_a_refusal_of_the_service_is_in_the_summary(client_for, cast):
    """A form error of the service (not of a field) is listed too, without a link."""
    agency = _agency_under_screening(cast)
    today = timezone.localdate()
    response = client_for("tj_officer").post(
        reverse("agencies:certify", args=[agency.pk]),
        {
            "certification_number": "TJ-FORMS-1",
            "certified_on": today,
            "valid_until": today + dt.timedelta(days=365),
        },
    )
    page = Elements(response.content.decode())
    assert len(page.summary) == 1 and page.summary[0]["links"] == []
    assert "mandatory criteri" in page.summary[0]["text"]


def test_login_errors_are_summarised(client, db):
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    page = Elements(response.content.decode())
    assert len(page.summary) == 1
    assert "The username or password is not correct." in page.summary[0]["text"]
    response = client.post(reverse("login"), {"username": "", "password": ""})
    page = Elements(response.content.decode())
    assert page.summary[0]["links"] == ["#id_username", "#id_password"]
    assert page.by_id["id_username"].get("aria-invalid") == "true"
    assert "id_username_error" in page.describedby and "id_username_error" in page.by_id


def test_an_unbound_form_has_no_summary(form_page):
    client, url = form_page("agencies:certify")
    assert 'class="error-summary"' not in client.get(url).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_summaries_in_the_browser_are_focused_and_accessible(live_server, cast):
    """The sign-in page and a service form sent with errors: the summary has the focus
    on load (autofocus, no script), its link moves the focus to the field, and axe finds
    no WCAG 2.1 AA violation."""
    from portal.testing.browser import new_page, no_accessibility_violations, sign_in

    base = live_server.url
    with new_page() as page:
        page.goto(f"{base}/accounts/login/")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        no_accessibility_violations(page)
        page.click(".error-summary a[href='#id_username']")
        assert page.evaluate("document.activeElement.id") == "id_username"

        sign_in(page, base, "tj-officer")
        agency = _agency_under_screening(cast)
        page.goto(f"{base}{reverse('agencies:reject', args=[agency.pk])}")
        no_accessibility_violations(page)  # the required marks
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        assert page.get_attribute("#id_reason", "aria-invalid") == "true"
        no_accessibility_violations(page)
        page.click(".error-summary a[href='#id_reason']")
        assert page.evaluate("document.activeElement.id") == "id_reason"
