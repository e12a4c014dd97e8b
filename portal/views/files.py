"""One download view for every attachment-like object (issue 9, clause 3).

A file is confidential as its record is: it is served only to a reader who may view the
record that owns it (``restrict()`` on the *owner*, not on the attachment), and only if
the owner's relation that holds it is not withheld from that reader
(``portal.disclosure.hidden_fields``: a third party whose consent is the counterpart
side's does not get the originating side's attachments).

A model opts in by declaring how to reach its owner, e.g. ``owner_field =
"investigation"`` or ``owner_field = "result__screening"``; any other model, an unknown
one, a hidden id and a missing id all get the same 404.
"""

from __future__ import annotations

import mimetypes
import posixpath

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import models
from django.http import FileResponse, Http404
from django.views.generic import View

from .. import audit
from ..disclosure import hidden_fields
from .base import audit_denied


def downloadable_model(app_label: str, model_name: str) -> type[models.Model] | None:
    """The model named, if it declares itself downloadable (``owner_field`` and a
    ``file``): never any model the URL happens to name."""
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None
    if not isinstance(getattr(model, "owner_field", None), str):
        return None
    try:
        if not isinstance(model._meta.get_field("file"), models.FileField):
            return None
    except models.FieldDoesNotExist:
        return None
    return model


def owner_path(model: type[models.Model]) -> tuple[type[models.Model], str]:
    """The owner's model and the name of the owner's relation that leads to ``model``'s
    rows (``Investigation``, ``"attachments"``; ``Screening``, ``"results"``): the name
    ``hidden_fields`` withholds."""
    current, field = model, None
    for name in model.owner_field.split("__"):
        field = current._meta.get_field(name)
        current = field.related_model
    return current, field.remote_field.get_accessor_name()


def safe_basename(name: str) -> str:
    """The stored name's last segment, without anything a header could be split on."""
    base = posixpath.basename(name.replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"')
    return base or "download"


class FileDownloadView(LoginRequiredMixin, View):
    """``files/<app_label>/<model_name>/<pk>/``: the file, as an attachment."""

    http_method_names = ["get", "head"]

    def get(self, request, app_label: str, model_name: str, pk: int):
        model = downloadable_model(app_label, model_name)
        if model is None:
            raise Http404
        user = request.user
        owner_model, relation = owner_path(model)
        owner_id = model._default_manager.filter(pk=pk).values_list(model.owner_field, flat=True).first()
        owner = owner_model.objects.restrict(user).filter(pk=owner_id).first() if owner_id else None
        if owner is None or relation in hidden_fields(user, owner):
            audit_denied(user, model, pk)  # the same entry for hidden and missing ids
            raise Http404
        attachment = model._default_manager.get(pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        audit.log("file.downloaded", actor=user, obj=attachment)
        filename = safe_basename(attachment.file.name)
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
