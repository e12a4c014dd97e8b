"""What an app adds to the portal, registered from its ``AppConfig.ready()`` (as
Wagtail's hooks and Django's admin autodiscovery do), so that ``portal/`` imports no
app (DESIGN.md principle 9; ``tests/test_layering.py`` holds it to that).

An app calls these at start-up; the portal's URL configuration, API router and public
index read them when they are first used, which is after every app is ready."""

from __future__ import annotations

from collections.abc import Callable

#: (prefix, module) of officer URLs, included at ``/<prefix>``.
URLS: list[tuple[str, str]] = []
#: (prefix, module) of public URLs, included at ``/public/<prefix>`` in the ``public`` namespace.
PUBLIC_URLS: list[tuple[str, str]] = []
#: (prefix, viewset, basename) on the ``/api/v1/`` router.
API_ROUTES: list[tuple] = []
#: context name -> a function giving what the public index shows of an app.
PUBLIC_INDEX: dict[str, Callable[[], object]] = {}


def register_urls(prefix: str, module: str, *, public: bool = False) -> None:
    target = PUBLIC_URLS if public else URLS
    if (prefix, module) not in target:
        target.append((prefix, module))


def register_api_routes(routes) -> None:
    for route in routes:
        if route not in API_ROUTES:
            API_ROUTES.append(route)


def register_public_index(name: str, provider: Callable[[], object]) -> None:
    PUBLIC_INDEX[name] = provider
