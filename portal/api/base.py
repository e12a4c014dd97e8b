"""Base viewsets applying ``restrict(user, action)`` (STYLE.md §6): list endpoints return
only permitted rows, a lookup outside the caller's scope is a 404."""

from django.http import Http404
from rest_framework import viewsets

from .. import audit
from ..models import SharedRecord
from ..views.base import audit_denied


class RestrictedViewSetMixin:
    model = None
    #: The object permission each viewset action needs; unsafe methods not named here
    #: need "change", safe ones "view".
    action_permissions: dict[str, str] = {}

    def get_queryset(self):
        default = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        permission = self.action_permissions.get(self.action, default)
        return self.model.objects.restrict(self.request.user, permission)

    def get_object(self):
        try:
            obj = super().get_object()
        except Http404:
            audit_denied(
                self.request.user, self.model, self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            )
            raise
        if isinstance(obj, SharedRecord) and self.request.method == "GET":
            audit.log("record.read", actor=self.request.user, obj=obj)
        return obj


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class RestrictedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    pass
