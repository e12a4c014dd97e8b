"""What the statistics part adds to the portal, registered at start-up (called by
``notices.registry``): its API route. The page's URL comes with ``notices.urls``; the
menu link is the lead's (``notices/_sections.html``)."""

from portal import hooks


def register() -> None:
    from .api import ROUTES

    hooks.register_api_routes(ROUTES)
