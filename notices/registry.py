"""What the notices app adds to the portal, registered at start-up (portal.hooks): each
part (improvement orders, the support-organization register) registers its own URLs,
API routes, audit actions and inbox kinds from its ``registry`` module."""

from portal import hooks


def register() -> None:
    from .orders import registry as orders
    from .register import registry as support_register

    hooks.register_urls("notices/", "notices.urls")
    orders.register()
    support_register.register()
