"""What the exams app adds to the portal (clause 5), registered at start-up
(portal.hooks): its menu entry and pages under /exams/; each part — the tests and their
sessions (``sessions``), cooperation requests (``cooperation``), fraud reports
(``fraud``), the pass-result register and its imports (``results``) and certificate
checks (``checks``) — registers
its own API routes, audit actions, inbox kinds and demo data from its ``registry``."""

from django.utils.translation import pgettext_lazy

from portal import hooks


def under_exams(match) -> bool:
    return match is not None and match.app_name == "exams"


def register() -> None:
    from .checks import registry as checks
    from .cooperation import registry as cooperation
    from .fraud import registry as fraud
    from .results import registry as results
    from .sessions import registry as sessions

    hooks.register_urls("exams/", "exams.urls")
    hooks.register_nav_item(
        hooks.NavItem(
            # A menu label of its own, short in every language: the menu holds on one
            # line at 1280 px (tests/test_layout.py).
            pgettext_lazy("menu", "Tests"),
            "exams:checks",
            visible=hooks.officers_only,
            current=under_exams,
            order=28,
        )
    )
    sessions.register()
    cooperation.register()
    fraud.register()
    results.register()
    checks.register()
