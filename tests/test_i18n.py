"""Four languages (DESIGN.md principle 8): the catalogs compile, every interface string
is translated in ja, ru and tg, nothing is fuzzy, and the catalogs hold every string
the code and templates use."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from portal.testing.services import required

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["ja", "ru", "tg"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language):
    po = catalog(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"{language}: untranslated {untranslated[:10]}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy[:10]}"
    assert len(po) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    for entry in catalog(language):
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for msgstr in translations:
            assert set(PLACEHOLDER.findall(msgstr)) == set(PLACEHOLDER.findall(entry.msgid)), entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_its_source(language):
    po = catalog(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    want = {(e.msgctxt, e.msgid): e.msgstr or dict(e.msgstr_plural) for e in po.translated_entries()}
    got = {(e.msgctxt, e.msgid): e.msgstr or dict(e.msgstr_plural) for e in mo if e.msgid}
    assert got == want, "run `make messages` to recompile the .mo files"


def test_catalogs_hold_every_string_in_the_code(tmp_path):
    """Extract the strings again into a copy of the project and compare the msgids."""
    if shutil.which("xgettext") is None:
        message = "needs GNU gettext (xgettext) to extract strings"
        if required():
            pytest.fail(message)
        pytest.skip(message)
    base = Path(settings.BASE_DIR)
    for name in ["manage.py"]:
        shutil.copy(base / name, tmp_path / name)
    for folder in ["portal", "agencies", "brokers", "exams", "notices", "templates", "locale"]:
        shutil.copytree(
            base / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "tests")
        )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location", "-l", "ja"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh = {
        e.msgid for e in polib.pofile(str(tmp_path / "locale/ja/LC_MESSAGES/django.po")) if not e.obsolete
    }
    committed = {e.msgid for e in catalog("ja") if not e.obsolete}
    assert fresh - committed == set(), "strings missing from the catalogs: run `make messages` and translate"
    assert committed - fresh == set(), "catalogs hold strings no longer used: run `make messages`"


@pytest.mark.parametrize(
    ("language", "since", "sender"), [("ru", "С", "Отправитель"), ("ja", "開始日", "発信元")]
)
def test_the_audit_date_filter_and_the_sender_column_are_translated_apart(language, since, sender):
    """Translation review 2026-11-29: one msgid "From" served both, so the audit's
    start-date filter read "Sender"; the filter now has its own context."""
    from django.utils import translation

    from portal.forms import AuditFilterForm

    with translation.override(language):
        assert str(AuditFilterForm().fields["date_from"].label) == since
        assert translation.gettext("From") == sender


def borrowed_msgids() -> set[str]:
    """The msgids ``portal/borrowed_strings.py`` declares, read as xgettext reads them."""
    import ast

    tree = ast.parse((Path(settings.BASE_DIR) / "portal" / "borrowed_strings.py").read_text())
    return {
        call.args[0].value
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") in {"gettext_noop", "ngettext_lazy"}
    }


def django_and_drf_msgids() -> set[str]:
    import django
    import rest_framework

    english = [Path(django.__file__).parent / "conf/locale/en/LC_MESSAGES/django.po"]
    english += sorted((Path(django.__file__).parent / "contrib").glob("*/locale/en/LC_MESSAGES/django.po"))
    english += [Path(rest_framework.__file__).parent / "locale/en/LC_MESSAGES/django.mo"]
    return {
        entry.msgid
        for path in english
        for entry in (polib.mofile(str(path)) if path.suffix == ".mo" else polib.pofile(str(path)))
    }


def test_borrowed_strings_are_still_django_s_and_drf_s():
    """A msgid borrowed from Django or DRF (to give it the portal's wording in ja/ru/tg,
    or any wording in tg) is extracted from ``portal/borrowed_strings.py`` and so is
    never "stale" by the rule above; it is stale when Django or DRF no longer use it —
    an upgrade reworded it, and the page shows the new English again."""
    borrowed = borrowed_msgids()
    assert len(borrowed) > 50
    assert borrowed - django_and_drf_msgids() == set(), "borrowed strings Django and DRF no longer use"
    for language in LANGUAGES:
        translated = {entry.msgid for entry in catalog(language).translated_entries()}
        assert borrowed - translated == set(), f"{language}: borrowed strings without a translation"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("tg", "Пароли шумо набояд пурра аз рақамҳо иборат бошад."),
        ("ru", "Пароль не может состоять только из цифр."),
        ("ja", "数字だけのパスワードにはできません。"),
    ],
)
def test_the_project_catalog_wins_over_django_s(language, expected):
    from django.contrib.auth.password_validation import NumericPasswordValidator
    from django.utils import translation

    with translation.override(language):
        assert str(NumericPasswordValidator().get_help_text()) == expected
