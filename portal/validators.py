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
