"""Validators every input path shares (forms, serializers, services)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: C0 controls except tab, line feed and carriage return, DEL, and the C1 controls:
#: characters no officer types, that XML 1.0 rejects (the Atom feeds) or PostgreSQL
#: refuses (NUL).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def no_control_characters(value) -> None:
    """Refuse text carrying a control character, naming where it is."""
    if isinstance(value, str):
        match = CONTROL_CHARACTERS.search(value)
        if match:
            raise ValidationError(
                _("Remove the control character (U+%(code)04X) at position %(position)s."),
                code="control_character",
                params={"code": ord(match.group()), "position": match.start() + 1},
            )


#: What XML 1.0 forbids in a document (its ``Char`` production): the C0 controls but tab,
#: line feed and carriage return, the surrogates, and U+FFFE/U+FFFF. Narrower than
#: ``CONTROL_CHARACTERS``: DEL and the C1 controls are legal XML.
XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML parser rejects: what the Atom feeds write,
    so that a value stored before ``no_control_characters`` existed cannot break them."""
    return XML_FORBIDDEN.sub("", text)


def check_corporate_number(value: str) -> None:
    """A Japanese corporate number (法人番号): 13 digits, the first a check digit over
    the other twelve (National Tax Agency: 9 − (Σ Pn×Qn mod 9), Qn 1 for odd n and 2 for
    even n, counted from the last digit)."""
    # ``isdigit`` alone admits full-width and other scripts' digits: the number is ASCII.
    if not (value.isascii() and value.isdigit()) or len(value) != 13:
        raise ValidationError(_("A corporate number has 13 digits."), code="corporate_number")
    digits = [int(c) for c in value[1:]]
    total = sum(d * (2 if n % 2 == 0 else 1) for n, d in enumerate(reversed(digits), start=1))
    if int(value[0]) != 9 - total % 9:
        raise ValidationError(
            _("This corporate number's check digit is wrong: check it against the registry."),
            code="corporate_number",
        )
