"""The core imports no app (DESIGN.md principle 9): apps register what they add from
their AppConfig (portal.hooks). Test support (portal/testing/) may know the apps it
builds data for."""

import ast
import re
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


# --- The core's own modules depend one way ----------------------------------------------

#: The portal's core modules, which imported each other in a circle (issue 9): the audit
#: chain sent its daily head through notifications and the outbox, which the audit and
#: the models reached back for. From the bottom up they now run querysets ← models ←
#: audit ← outbox ← notifications ← audit_chain ← services/tasks.
CORE = [
    "audit",
    "audit_chain",
    "models",
    "notification_kinds",
    "notifications",
    "outbox",
    "querysets",
    "services",
    "tasks",
]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return getattr(test, "id", None) == "TYPE_CHECKING" or getattr(test, "attr", None) == "TYPE_CHECKING"


def portal_imports(path: Path) -> set[tuple[str, int]]:
    """(portal module, line) of every import in ``path`` — at module level and inside
    functions alike: an import deferred into a function to dodge a circle is still
    part of it. Imports under ``if TYPE_CHECKING:`` never run and are left out."""
    found = set()

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update((alias.name, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level == 0:
                    base = child.module or ""
                elif child.level == 1:  # a module directly in portal/
                    base = "portal" + (f".{child.module}" if child.module else "")
                else:
                    continue
                found.add((base, child.lineno))
                # ``from . import outbox`` imports portal.outbox
                found.update((f"{base}.{alias.name}", child.lineno) for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return {(name.split(".")[1], line) for name, line in found if name.startswith("portal.") and "." in name}


def core_import_graph() -> dict[str, dict[str, int]]:
    """module -> {core module it imports: first line}."""
    graph = {}
    for module in CORE:
        edges: dict[str, int] = {}
        for target, line in sorted(portal_imports(PORTAL / f"{module}.py")):
            if target in CORE and target != module:
                edges.setdefault(target, line)
        graph[module] = edges
    return graph


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str] | None:
    """One cycle of ``graph`` as [a, b, …, a], or None (depth-first search)."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for target in graph[module]:
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[module] = "done"
        return None

    for module in graph:
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def test_the_core_modules_import_each_other_one_way():
    graph = core_import_graph()
    cycle = find_cycle(graph)
    assert cycle is None, (
        "import cycle: "
        + " → ".join(f"portal/{a}.py:{graph[a][b]}" for a, b in zip(cycle, cycle[1:], strict=False))
        + f" → portal/{cycle[-1]}.py"
    )


def test_the_cycle_finder_finds_a_deferred_import(tmp_path):
    """The check above would catch today's circle: an import inside a function counts."""
    (tmp_path / "a.py").write_text("from . import b\n")
    (tmp_path / "b.py").write_text("def f():\n    from .a import thing\n")
    (tmp_path / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n"
    )
    assert portal_imports(tmp_path / "a.py") == {("b", 1)}
    assert portal_imports(tmp_path / "b.py") == {("a", 2), ("a", 2)}
    assert portal_imports(tmp_path / "c.py") == set()
    assert find_cycle({"a": {"b": 1}, "b": {"a": 2}}) == ["a", "b", "a"]
    assert find_cycle({"a": {"b": 1}, "b": {}}) is None


# --- Settings and what apps register from their AppConfig --------------------------------


def test_settings_name_no_app_but_in_installed_apps():
    path = PORTAL / "settings.py"
    source = path.read_text(encoding="utf-8")
    installed = next(
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "INSTALLED_APPS"
    )
    outside = [
        f"portal/settings.py:{number}: {line.strip()}"
        for number, line in enumerate(source.splitlines(), start=1)
        if not installed.lineno <= number <= installed.end_lineno
        and re.search(r"\b(agencies|brokers|exams|notices)\.", line)
    ]
    assert outside == []


def test_an_app_s_beat_entries_reach_the_celery_schedule():
    from portal import hooks
    from portal.celery import app

    schedule = app.conf.beat_schedule
    assert {
        "agencies-expire",
        "publication-sweep",
        "publication-overdue",
        "publication-documents-sweep",
        "publication-media-sweep",
    } <= set(schedule)
    assert schedule["agencies-expire"]["task"] == "agencies.tasks.expire_certifications"
    assert schedule["publication-documents-sweep"]["options"] == {
        "queue": "documents",
        "expires": settings.PUBLICATION_DOCUMENTS_SWEEP_SECONDS,
    }
    assert schedule["publication-overdue"]["schedule"].total_seconds() == settings.PUBLICATION_SWEEP_SECONDS
    assert {"outbox-sweep", "consent-expiry", "audit-head", "audit-verify"} <= set(schedule)
    for name, entry in hooks.BEAT_SCHEDULE.items():
        assert schedule[name]["task"] == entry["task"]


def test_every_beat_entry_names_a_registered_task():
    from portal.celery import app

    app.autodiscover_tasks(force=True)  # what a worker imports when it starts: every app's tasks
    unknown = sorted(
        f"{name}: {entry['task']}"
        for name, entry in app.conf.beat_schedule.items()
        if entry["task"] not in app.tasks
    )
    assert unknown == []


def test_an_app_s_task_routes_are_applied():
    from portal.celery import app

    assert app.amqp.router.route({}, "publication.tasks.render_documents")["queue"].name == "documents"
    assert app.amqp.router.route({}, "portal.tasks.drain_outbox")["queue"].name == "celery"


def test_an_app_s_enum_names_reach_the_schema_settings():
    from drf_spectacular.settings import spectacular_settings

    expected = {
        "RecordStatusEnum": "portal.choices.RecordStatus",
        "AgencyStatusEnum": "agencies.choices.AgencyStatus",
        "InvestigationStatusEnum": "agencies.choices.InvestigationStatus",
        "CriterionResultEnum": "agencies.choices.CriterionResult",
    }
    assert expected.items() <= spectacular_settings.ENUM_NAME_OVERRIDES.items()


def test_an_app_s_demo_seeder_is_registered():
    from agencies import registry
    from portal import hooks

    assert registry.seed_demo in hooks.seeders()


# --- Navigation and home cards -----------------------------------------------------------

NAV = re.compile(r'<nav class="site-header__nav".*?</nav>', re.S)
LINK = re.compile(r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+)')


def nav_links(response) -> list[tuple[str, bool, str]]:
    html = NAV.search(response.content.decode()).group(0)
    return [(href, bool(current), label.strip()) for href, current, label in LINK.findall(html)]


def test_the_menu_shows_the_apps_entries_where_it_did(client_for):
    response = client_for("tj_officer").get("/agencies/")
    links = nav_links(response)
    hrefs = [href for href, _current, _label in links]
    start = hrefs.index("/inbox/") + 1
    assert links[start : start + 6] == [
        ("/agencies/", True, "Sending agencies"),
        ("/agencies/investigations/", False, "Investigations"),
        ("/brokers/", False, "Brokers"),
        ("/notices/orders/", False, "Notices"),
        ("/exams/checks/", False, "Tests"),
        ("/correspondence/", False, "Correspondence"),
    ]
    # A third party's menu is what was disclosed to it (issue 10, item 6).
    home = [href for href, _current, _label in nav_links(client_for("embassy_viewer").get("/"))]
    assert not {"/agencies/", "/agencies/investigations/", "/brokers/", "/notices/orders/"} & set(home)


def test_an_officer_only_entry_is_hidden_from_a_third_party(client_for, monkeypatch):
    from portal import hooks

    monkeypatch.setattr(hooks, "NAVIGATION", list(hooks.NAVIGATION))
    hooks.register_nav_item(
        hooks.NavItem(
            "Officers only",
            "organization-list",
            visible=lambda user: not user.organization.is_third_party,
            order=30,
        )
    )
    officer = [label for _href, _current, label in nav_links(client_for("tj_officer").get("/"))]
    viewer = [label for _href, _current, label in nav_links(client_for("embassy_viewer").get("/"))]
    assert officer.index("Officers only") == officer.index("Tests") + 1  # order 28 < 30
    assert "Officers only" not in viewer


def test_an_app_s_home_card_is_rendered_for_whom_it_has_something(
    client_for, monkeypatch, tmp_path, settings
):
    from portal import hooks

    (tmp_path / "card.html").write_text(
        '<section class="card" id="test-card">{{ card.count }} waiting</section>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    monkeypatch.setattr(hooks, "HOME_CARDS", [])
    hooks.register_home_card(
        hooks.HomeCard("card.html", lambda user: None if user.organization.is_third_party else {"count": 3})
    )
    assert (
        '<section class="card" id="test-card">3 waiting</section>'
        in client_for("tj_officer").get("/").content.decode()
    )
    assert "test-card" not in client_for("embassy_viewer").get("/").content.decode()
