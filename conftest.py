# The shared test fixtures and service checks live in portal.testing so that every
# app's tests use the same cast of users and the same permission-matrix harness.
pytest_plugins = ["portal.testing.fixtures"]
