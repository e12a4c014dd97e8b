"""The fonts of the PDFs (issue 10, item 11): the system check finds a font for each
PDF language's script (an error in production, a warning in embedded mode when it does
not), and a consent letter drawn with empty boxes is not kept."""

import datetime as dt
import logging

import pytest
from django.core import checks
from django.utils import timezone

from portal import checks as font_checks
from portal import services
from portal.models import DisclosureConsent, Organization
from portal.records import letters

#: Private use: no font the portal installs draws it.
NO_FONT = "\ue000"


def _font_messages() -> list[checks.CheckMessage]:
    ids = {"portal.W020", "portal.W021", "portal.E020", "portal.E021"}
    return [message for message in checks.run_checks() if message.id in ids]


def test_the_installed_fonts_cover_every_pdf_language():
    for language, sample in font_checks.SAMPLES.items():
        assert font_checks.fonts_covering(sample), language
    assert font_checks.check_fonts() == []
    assert _font_messages() == []  # registered, and silent here


def test_a_missing_font_is_a_warning_in_embedded_mode(settings, monkeypatch):
    settings.PRODUCTION = False
    monkeypatch.setitem(font_checks.SAMPLES, "ja", "認定送出機関" + NO_FONT)
    (message,) = _font_messages()
    assert message.level == checks.WARNING and message.id == "portal.W021"
    assert "ja" in message.msg and "ru" not in message.msg
    assert "fonts-ipaexfont-gothic fonts-dejavu-core" in message.hint


def test_a_missing_font_is_an_error_in_production(settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.setattr(font_checks, "fonts_covering", lambda text: [] if "ҷ" in text else ["DejaVu Sans"])
    (message,) = font_checks.check_fonts()
    assert message.level == checks.ERROR and message.id == "portal.E021"
    assert "tg" in message.msg and "ja" not in message.msg


def test_without_fontconfig_tools_a_weasyprint_render_tells(settings, monkeypatch):
    """A slim image has fontconfig's library (Pango needs it) but not ``fc-list``."""
    settings.PRODUCTION = True
    monkeypatch.setattr(font_checks.subprocess, "run", _missing_binary)
    assert font_checks.check_fonts() == []
    monkeypatch.setitem(font_checks.SAMPLES, "ru", "Список" + NO_FONT)
    (message,) = font_checks.check_fonts()
    assert message.id == "portal.E021" and "ru" in message.msg


def test_when_nothing_can_look_for_fonts_the_check_says_so(settings, monkeypatch):
    settings.PRODUCTION = False
    monkeypatch.setattr(font_checks.subprocess, "run", _missing_binary)
    monkeypatch.setattr(font_checks, "_rendered_by_weasyprint", lambda text: None)
    (message,) = font_checks.check_fonts()
    assert message.level == checks.WARNING and message.id == "portal.W020"


def _missing_binary(*args, **kwargs):
    raise FileNotFoundError("fc-list")


def _consent(cast, investigation):
    fields = {
        "third_party": Organization.objects.get(code="tj-embassy-jp"),
        "side": cast["jp_contact"].organization.side,
        "purpose": "The embassy assists the workers concerned.",
        "requested_until": timezone.localdate() + dt.timedelta(days=30),
    }
    request = services.request_consent(investigation, cast["tj_officer"], **fields)
    return services.decide_consent(request, cast["jp_contact"], grant_it=True).consent


@pytest.mark.django_db
def test_a_letter_with_missing_glyphs_is_not_kept(cast, reported_investigation, caplog):
    Organization.objects.filter(code="tj-embassy-jp").update(
        **{f"name_{language}": f"Embassy {NO_FONT}" for language in ("ja", "en", "ru", "tg")}
    )
    consent = _consent(cast, reported_investigation)
    with caplog.at_level(logging.WARNING):
        assert letters.render_letter(consent.pk) is False
    consent.refresh_from_db()
    assert not consent.letter and not consent.letter_sha256
    (error,) = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert "PDF withheld: missing glyphs U+E000" in error.getMessage()
    assert not any(".notdef" in record.getMessage() for record in caplog.records)
    assert DisclosureConsent.objects.filter(pk=consent.pk, letter="").exists()  # the sweep's to do

    # The fonts (here: a name they cover) arrive: the sweep renders it.
    Organization.objects.filter(code="tj-embassy-jp").update(
        name_en="Embassy", name_ja="大使館", name_tg="Сафорат"
    )
    assert letters.render_missing() >= 1
    consent.refresh_from_db()
    assert consent.letter and consent.letter_sha256
