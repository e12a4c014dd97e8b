"""Base viewsets and serializers of the API (the filter backend is in ``.filters``). They apply
``restrict(user, action)`` (STYLE.md §6) to everything a caller can reach or name:

- list endpoints return only permitted rows, and a lookup outside the caller's scope is
  a 404 whether the object is hidden or missing;
- related fields and filter choices offer, and accept, only objects the caller may
  see, so a hidden id and a missing id get the same answer (no existence oracle);
- a record's fields that the caller may not read (``portal.disclosure``) are left out;
- text input carrying control characters is refused (``portal.validators``).
"""

from __future__ import annotations

from django.http import Http404
from rest_framework import relations, serializers, viewsets

from .. import audit
from ..disclosure import hidden_fields, prefetch_consents
from ..models import SharedRecord
from ..validators import no_control_characters
from ..views.base import audit_denied
from .filters import restricted

#: Ids in URLs are numbers: ``/api/v1/agencies/abc/`` is a 404 from the router, never a
#: query with a text where a number goes.
NUMERIC_LOOKUP = r"[0-9]{1,18}"


#: Serializer classes by the name drf-spectacular gives their component.
SERIALIZERS: dict[str, type] = {}


class PortalSerializerMixin:
    """What every serializer of the portal does with the caller's scope (module doc)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        SERIALIZERS[cls.__name__.removesuffix("Serializer")] = cls

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        for field in fields.values():
            related = field.child_relation if isinstance(field, relations.ManyRelatedField) else field
            if isinstance(related, relations.RelatedField) and not related.read_only:
                related.queryset = restricted(related.queryset.all(), request)
            if isinstance(field, serializers.CharField) and not field.read_only:
                field.validators.append(no_control_characters)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and hasattr(instance, "hidden_fields_for"):
            for name in hidden_fields(request.user, instance):
                data.pop(name, None)
        return data


class PortalSerializer(PortalSerializerMixin, serializers.Serializer):
    pass


class PortalModelSerializer(PortalSerializerMixin, serializers.ModelSerializer):
    pass


class RestrictedViewSetMixin:
    model = None
    #: The object permission each viewset action needs; unsafe methods not named here
    #: need "change", safe ones "view".
    action_permissions: dict[str, str] = {}
    lookup_value_regex = NUMERIC_LOOKUP

    def get_queryset(self):
        default = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        permission = self.action_permissions.get(self.action, default)
        return self.model.objects.restrict(self.request.user, permission)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            prefetch_consents(page, self.request.user)
        return page

    def validated_body(self, serializer_class) -> dict:
        """The request body checked by ``serializer_class`` in the caller's scope (its
        related fields accept only what the caller may see); a 400 if it is wrong."""
        body = serializer_class(data=self.request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return body.validated_data

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
