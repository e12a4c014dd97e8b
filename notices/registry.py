"""What the notices app adds to the portal, registered at start-up (portal.hooks): each
part (improvement orders, the support-organization register, inquiries, consultations,
statistics, acceptance suspensions, return cases) registers its own URLs,
API routes, audit actions and inbox kinds from its ``registry`` module."""

from django.utils.translation import pgettext_lazy

from portal import hooks


def under_notices(match) -> bool:
    return match is not None and match.app_name == "notices"


def register() -> None:
    from . import publishing
    from .consultations import registry as consultations
    from .inquiries import registry as inquiries
    from .orders import registry as orders
    from .register import registry as support_register
    from .returns import registry as returns
    from .statistics import registry as statistics
    from .suspensions import registry as suspensions

    hooks.register_urls("notices/", "notices.urls")
    hooks.register_nav_item(
        hooks.NavItem(
            # A menu label of its own, short in every language: the menu holds on one
            # line at 1280 px (tests/test_layout.py).
            pgettext_lazy("menu", "Notices"),
            "notices:orders",
            visible=hooks.officers_only,
            current=under_notices,
            order=27,
        )
    )
    orders.register()
    support_register.register()
    publishing.register()
    inquiries.register()
    consultations.register()
    statistics.register()
    suspensions.register()
    returns.register()
