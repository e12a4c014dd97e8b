"""The OpenAPI schema says what the API really answers (issue 8: schemathesis checks
every operation against it): the refusals as well as the success, and no field as
always present that ``portal.disclosure`` may withhold from some reader."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

#: A refusal's body: ``{"detail": "...", "code": "..."}``, or a validation error's
#: ``{"field": ["message", ...]}``.
ERROR = {"type": "object", "additionalProperties": {}}

REFUSALS = {
    "400": "The request is not valid: the reasons are in the body.",
    "401": "No valid API token or session.",
    "403": "The caller's role or token may not do this.",
    "404": "Not found, or not visible to the caller: the two are not told apart.",
    "409": "The record's state does not allow this change: the reason is in the body.",
    "415": "The body's media type is not accepted.",
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = ["400", "404"]
        if not any(issubclass(cls, AllowAny) for cls in self.view.permission_classes):
            codes += ["401", "403"]
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes += ["409", "415"]
        for code in codes:
            responses.setdefault(
                code,
                {"description": REFUSALS[code], "content": {"application/json": {"schema": ERROR}}},
            )
        return responses


def withheld_fields_are_optional(result, generator, request, public):
    """Post-processing hook: a field that ``portal.disclosure`` may withhold from some
    reader is left out of that reader's response, so the schema must not list it as
    required."""
    from ..disclosure import withholdable_fields
    from .base import SERIALIZERS

    for name, component in result.get("components", {}).get("schemas", {}).items():
        serializer = SERIALIZERS.get(name)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is None or "required" not in component:
            continue
        withheld = withholdable_fields(model)
        component["required"] = [field for field in component["required"] if field not in withheld]
        if not component["required"]:
            del component["required"]
    return result
