"""Fonts for the PDFs (published lists, consent letters). WeasyPrint asks fontconfig for
a font holding each character; when none has it, it draws an empty box (.notdef) and
only logs a warning, so a machine without the Japanese font would publish Japanese
PDFs as boxes, and a published version is never rendered again. Two guards:

- ``check_fonts``, a system check: for each language the portal renders PDFs in,
  fontconfig must find a font covering a sample of its script;
- ``missing_glyphs``, around a render: collects WeasyPrint's .notdef warnings so the
  caller withholds the PDF (and the sweep renders it again once the fonts are there).

The check messages are in English, as Django's own system checks are."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core import checks

#: What the PDF templates ask for, from these packages.
FONT_STACK = '"DejaVu Sans", "IPAexGothic", sans-serif'
FONT_PACKAGES = "fonts-ipaexfont-gothic fonts-dejavu-core"

#: A sample of each PDF language's script: Japanese kanji and kana, Russian Cyrillic,
#: Tajik Cyrillic with its own letters, Latin.
SAMPLES = {
    "ja": "認定送出機関の一覧",
    "ru": "Список аккредитованных агентств",
    "tg": "Рӯйхати ширкатҳо ҷғқҳӣӯ ҶҒҚҲӢӮ",
    "en": "Certified sending agencies",
}


def fonts_covering(text: str) -> list[str] | None:
    """The families fontconfig knows that hold every character of ``text`` (``fc-list``,
    ~5 ms), or, where fontconfig's tools are not installed (a slim image has only its
    library), whether a WeasyPrint render of it draws every glyph (~1 s with the import);
    None when neither can be run."""
    charset = " ".join(f"{ord(char):x}" for char in sorted(set(text)) if not char.isspace())
    try:
        result = subprocess.run(
            ["fc-list", f":charset={charset}", "family"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return _rendered_by_weasyprint(text)
    return sorted({line.strip() for line in result.stdout.splitlines() if line.strip()})


def _rendered_by_weasyprint(text: str) -> list[str] | None:
    from django.utils.html import escape

    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # OSError: Pango is missing
        return None
    with missing_glyphs() as missing:
        HTML(string=f'<p style="font-family: {FONT_STACK}">{escape(text)}</p>').write_pdf()
    return [] if missing else [FONT_STACK]


@checks.register("portal")
def check_fonts(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """An error in production (the PDFs would be published with empty boxes), a warning
    in embedded mode (the portal runs; its PDFs wait until the fonts are installed)."""
    level = checks.Error if settings.PRODUCTION else checks.Warning
    hint = f"Install the fonts, on Debian or Ubuntu: apt-get install {FONT_PACKAGES}"
    missing = []
    for language, sample in SAMPLES.items():
        families = fonts_covering(sample)
        if families is None:
            return [
                level(
                    "Neither fontconfig's fc-list nor WeasyPrint could be run: "
                    "the fonts of the PDFs cannot be checked.",
                    hint="Install fontconfig and Pango (WeasyPrint needs them), then the fonts: "
                    f"apt-get install fontconfig libpango-1.0-0 libpangoft2-1.0-0 {FONT_PACKAGES}",
                    id="portal.E020" if settings.PRODUCTION else "portal.W020",
                )
            ]
        if not families:
            missing.append(language)
    if not missing:
        return []
    return [
        level(
            f"No installed font covers the text of the PDFs in {', '.join(missing)}: "
            "they would be rendered with empty boxes, so they are withheld.",
            hint=hint,
            id="portal.E021" if settings.PRODUCTION else "portal.W021",
        )
    ]


class _NotdefFilter(logging.Filter):
    """Keeps WeasyPrint's .notdef warnings out of the log (the caller writes one line
    naming all the characters) and collects the characters."""

    def __init__(self) -> None:
        super().__init__()
        self.characters: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith(".notdef glyph rendered"):
            codepoint = record.args[-1] if isinstance(record.args, tuple) and record.args else None
            label = (
                f"U+{codepoint:04X} {chr(codepoint)}" if isinstance(codepoint, int) else record.getMessage()
            )
            if label not in self.characters:
                self.characters.append(label)
            return False
        return True


@contextmanager
def missing_glyphs() -> Iterator[list[str]]:
    """Around a WeasyPrint render: the list yielded holds, once the block is done, the
    characters (``U+XXXX x``) no installed font could draw. The filter is the process's
    (logging's): a documents worker renders one document at a time."""
    weasyprint_logger = logging.getLogger("weasyprint")
    notdef = _NotdefFilter()
    weasyprint_logger.addFilter(notdef)
    try:
        yield notdef.characters
    finally:
        weasyprint_logger.removeFilter(notdef)


def withheld_reason(characters: list[str]) -> str:
    """The one line saying why a PDF is not attached (log and admin), kept short."""
    shown = ", ".join(characters[:8]) + (f" and {len(characters) - 8} more" if len(characters) > 8 else "")
    return f"PDF withheld: missing glyphs {shown} (install {FONT_PACKAGES})"
