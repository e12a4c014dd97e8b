"""Errors services raise. Each carries a message for the person who asked; views show
it next to the form (``portal.views.base``), the API answers with it (409, 400, 403)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class ServiceError(Exception):
    """A refusal by a service, with its message. Views catch this one type."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TransitionError(ServiceError):
    """A change that the record's current state does not allow (HTTP 409)."""


class InvalidInput(ServiceError):
    """A request that names something impossible (HTTP 400)."""

    @classmethod
    def about(cls, field_label, message, *, where: str = "") -> "InvalidInput":
        """A refusal naming the field it is about ("Person 2 — date of birth: It cannot
        be in the future."). The message is a whole translated sentence given by the
        caller (``_("…")`` as an argument, where makemessages finds it — inside an
        f-string it does not)."""
        return cls(f"{where}{field_label}: {message}")


class PermissionDenied(ServiceError, DjangoPermissionDenied):
    """A role or side that may not do this (HTTP 403 in the API and for Django)."""
