"""Service refusals as HTTP answers with a reason: 409 for a transition the state does
not allow, 400 for impossible input, 403 for a role that may not act."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..exceptions import InvalidInput, PermissionDenied, TransitionError


def exception_handler(exc, context):
    if isinstance(exc, TransitionError):
        return Response(
            {"detail": str(exc.message), "code": "transition_not_allowed"}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, InvalidInput):
        return Response({"detail": str(exc.message), "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):  # a service's refusal, with its reason
        return Response(
            {"detail": str(exc.message), "code": "permission_denied"}, status=status.HTTP_403_FORBIDDEN
        )
    return drf_exception_handler(exc, context)
