"""The brokers app's home card: how promptly reports are shared and acknowledged (4(1))."""

from portal.hooks import is_third_party_user

from . import services


def promptness(user) -> dict | None:
    organization = getattr(user, "organization", None)
    if organization is None or organization.side_id is None or is_third_party_user(user):
        return None
    figures = services.promptness(user, months=2)
    return {"figures": figures} if figures else None
