"""What an inbox item says: each ``kind`` of notification and its message, rendered in
the reader's language when read, so the Tajik contact point reads Tajik and Japan's
reads Japanese. Apps register their kinds with ``register(kind, message)``.

Kept apart from ``portal.notifications`` (which sends them through the outbox) so that
the ``Notification`` model can render itself without importing the sending side: the
core's modules depend one way (``tests/test_layering.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from .i18n import localized, pick

KINDS: dict[str, Any] = {
    "correspondence.received": _("New letter %(reference)s from %(sender)s: %(subject)s"),
    "consent.granted": _("%(sender)s gave written consent to disclose a record to your organization"),
    "consent.withdrawn": _("%(sender)s withdrew its written consent to disclose a record"),
    "memorandum.termination_notified": _(
        "%(sender)s gave notice that it wishes to end the Memorandum (notice of %(notified_on)s); "
        "it ends on %(ends_on)s."
    ),
    "memorandum.amended": _("%(sender)s recorded an amendment of the Memorandum agreed on %(agreed_on)s."),
    "audit.head": _(
        "Audit chain head: entry %(entry)s, hash %(hash)s. Keep this message: it shows later "
        "that the audit trail up to this entry was not rewritten."
    ),
    "audit.chain_broken": _(
        "The audit trail failed verification at entry %(entry)s: an entry was changed, removed or "
        "moved. The portal's administrators have the details (manage.py verify_audit)."
    ),
}


def register(kind: str, message: Any) -> None:
    KINDS[kind] = message


def render(notification) -> str:
    """The item's message in the active language. A name is stored as its renderings
    (``{"ja": …, "en": …, "ru": …, "tg": …}``, ``portal.i18n.renderings``) and the sender
    as an organization, so that each reader sees the name the portal's naming rule
    chooses for their language, as on every page (``portal.i18n.pick``)."""
    template = KINDS.get(notification.kind)
    params = {
        key: pick(value) if isinstance(value, Mapping) else value
        for key, value in (notification.params or {}).items()
    }
    params["sender"] = localized(notification.sender, "name") if notification.sender_id else ""
    if template is None:
        return notification.kind
    try:
        return str(template) % _Params(params)
    except (TypeError, ValueError):
        return str(template)


class _Params(dict):
    """An item written before its kind's message gained a parameter shows a dash there,
    never the placeholder itself ("%(reference)s")."""

    def __missing__(self, key: str) -> str:
        return "—"
