"""Errors services raise; views turn them into messages, the API into 409/403."""

from django.core.exceptions import PermissionDenied  # noqa: F401 - re-exported for services


class TransitionError(Exception):
    """A change that the record's current state does not allow (HTTP 409)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InvalidInput(Exception):
    """A request that names something impossible (HTTP 400)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
