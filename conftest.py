# The shared test fixtures and service checks live in portal.testing so that every
# app's tests use the same cast of users and the same permission-matrix harness.
pytest_plugins = ["portal.testing.fixtures"]


def pytest_collection_modifyitems(config, items):
    """The canary crawl first (tests/test_canary.py, about eleven minutes in one test):
    with two xdist workers it then runs beside the rest from the start, never alone at
    the end. The rest keep their order (a stable sort)."""
    items.sort(key=lambda item: 0 if item.nodeid.startswith("tests/test_canary.py") else 1)
