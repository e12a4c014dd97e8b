"""Demo brokers and reports for `make run` (placeholder, filled in with the API work)."""


def seed(users) -> None:
    return None
