"""The core imports no app (DESIGN.md principle 9): apps register what they add from
their AppConfig (portal.hooks). Test support (portal/testing/) may know the apps it
builds data for."""

import ast
from pathlib import Path

from django.conf import settings

APPS = {"agencies", "brokers", "exams", "notices"}
PORTAL = Path(settings.BASE_DIR) / "portal"


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "include" and node.args:
            argument = node.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                yield argument.value  # include("agencies.urls") is an import too


def test_the_portal_core_imports_no_app():
    offending = []
    for path in sorted(PORTAL.rglob("*.py")):
        relative = path.relative_to(PORTAL)
        if relative.parts[0] in {"testing", "migrations"}:
            continue
        for module in imported_modules(path):
            if module.split(".")[0] in APPS:
                offending.append(f"portal/{relative}: {module}")
    assert offending == []


def test_an_app_s_registered_urls_and_api_routes_are_served():
    from django.urls import reverse

    assert reverse("agencies:list") == "/agencies/"
    assert reverse("public:agency-list", args=["japan"]) == "/public/agencies/japan/"
    assert reverse("api:agency-list") == "/api/v1/agencies/"
    assert reverse("api:investigation-detail", args=[1]) == "/api/v1/investigations/1/"
