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

#: What the PDF templates ask for ("DejaVu Sans", "IPAexGothic"), from these packages.
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
    """The families fontconfig knows that hold every character of ``text``, or None
    when fontconfig's ``fc-list`` cannot be run (so nothing can be said)."""
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
        return None
    return sorted({line.strip() for line in result.stdout.splitlines() if line.strip()})


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
                    "fontconfig's fc-list could not be run: the fonts of the PDFs cannot be checked.",
                    hint="Install fontconfig (WeasyPrint needs it) and " + hint[0].lower() + hint[1:],
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
            label = f"U+{codepoint:04X}" if isinstance(codepoint, int) else record.getMessage()
            if label not in self.characters:
                self.characters.append(label)
            return False
        return True


@contextmanager
def missing_glyphs() -> Iterator[list[str]]:
    """Around a WeasyPrint render: the list yielded holds, once the block is done, the
    characters (``U+XXXX``) no installed font could draw."""
    weasyprint_logger = logging.getLogger("weasyprint")
    notdef = _NotdefFilter()
    weasyprint_logger.addFilter(notdef)
    try:
        yield notdef.characters
    finally:
        weasyprint_logger.removeFilter(notdef)


def withheld_reason(characters: list[str]) -> str:
    """The one line saying why a PDF is not attached (log and admin), kept short."""
    shown = ", ".join(characters[:20]) + (f" and {len(characters) - 20} more" if len(characters) > 20 else "")
    return f"PDF withheld: missing glyphs {shown} (install {FONT_PACKAGES})"
