"""Control characters: refused by every text field of the agencies' forms, and never
written into the Atom feeds, even from a name stored before they were refused."""

import datetime as dt
import inspect
import xml.etree.ElementTree as ET

import pytest
from django import forms as django_forms
from django.utils import translation

from agencies import forms
from agencies.models import SendingAgency
from agencies.publication import AGENCY_LIST
from agencies.testing import certified, register
from portal.forms_base import PortalFormMixin
from portal.publication import publishing
from portal.publication.reading import published_lists
from portal.validators import xml_safe

MESSAGE = "Remove the control character (U+000B) at position 5."


@pytest.fixture(autouse=True)
def _fresh_cache():
    published_lists.clear()
    with translation.override("en"):  # the message asserted is the English one
        yield
    published_lists.clear()


def test_every_form_of_the_agencies_is_a_portal_form():
    classes = [
        cls
        for _name, cls in inspect.getmembers(forms, inspect.isclass)
        if issubclass(cls, django_forms.BaseForm) and cls.__module__ == forms.__name__
    ]
    assert classes
    assert [cls.__name__ for cls in classes if not issubclass(cls, PortalFormMixin)] == []


def test_a_form_refuses_a_vertical_tab_with_the_message():
    form = forms.GuidanceForm(data={"given_on": "2026-11-29", "subject": "Late\x0bfees", "outcome": "ok"})
    assert not form.is_valid()
    assert form.errors["subject"] == [MESSAGE]
    assert forms.GuidanceForm(data={"given_on": "2026-11-29", "subject": "Late fees"}).is_valid()


def test_the_agency_form_refuses_a_control_character_in_a_name(cast, client_for):
    agency = register(cast["tj_officer"])
    response = client_for("tj_officer").post(
        f"/agencies/{agency.pk}/edit/", {"name_tg": "Сомо\x0bн", "name_en": "Somon"}
    )
    assert response.status_code == 200
    assert MESSAGE in response.context["form"].errors["name_tg"]
    agency.refresh_from_db()
    assert "\x0b" not in agency.name_tg


def test_the_fields_a_form_adds_per_criterion_are_covered(cast):
    officer = cast["tj_officer"]
    from agencies import services

    screening = services.start_screening(register(officer), officer)
    row = screening.results.select_related("criterion").first()
    form = forms.ScreeningForm(
        data={"note": "", f"result_{row.criterion_id}": "met", f"note_{row.criterion_id}": "Seen\x0b!"},
        screening=screening,
    )
    assert not form.is_valid()
    assert form.errors[f"note_{row.criterion_id}"] == [MESSAGE]


def test_a_name_stored_before_the_check_still_publishes_feeds_that_parse(
    cast, client, django_capture_on_commit_callbacks
):
    officer = cast["tj_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        agency = certified(officer, number="TJ-CC-1")
    # Old data: written before forms refused it, past every validator.
    SendingAgency.objects.filter(pk=agency.pk).update(name_tg="Сомо\x0bн", updated_at=dt.datetime.now(dt.UTC))
    assert len(publishing.publish_lists(AGENCY_LIST, agency.memorandum, item_ids=[agency.pk])) == 2
    for side in ("japan", "tajikistan"):
        response = client.get(f"/public/agencies/{side}/feed.atom")
        assert response.status_code == 200
        feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, parsed as readers do
        contents = [entry.text for entry in feed.iter("{http://www.w3.org/2005/Atom}content")]
        assert "Сомон" in contents[0]  # the changed name, the character dropped


def test_xml_safe_keeps_what_xml_allows():
    text = "tab\t, line\n, return\r, DEL\x7f, C1\x85, Ж, 日本, 😀"
    assert xml_safe(text) == text
    assert xml_safe("a\x00b\x0bc\x1fd\ud800e\ufffff") == "abcdef"
    ET.fromstring(f"<a>{xml_safe(''.join(map(chr, range(0x20))))}</a>")  # noqa: S314 - a string made here
