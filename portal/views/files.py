"""The one download view of the portal's private files (issue 9, clause 3): kit
attachments (``/files/<id>/``) and consent letters (``/consents/<id>/letter/``).

A file is confidential as its record is: it is served only to a reader who may view the
record that owns it (``restrict()`` on the *owner*, not on the file), and, on a shared
record, only if the file's side is one the reader may read (``portal.disclosure``: a
third party gets the files of the sides whose written consent names it). A hidden id and
a missing id get the same 404 and the same audit entry; each download is audited.
"""

from __future__ import annotations

import mimetypes

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.views.generic import View

from .. import audit
from ..disclosure import readable_side_ids
from ..models import DisclosureConsent
from ..records.models import Attachment, SharedRecord
from ..uploads import safe_basename
from .base import audit_denied


def attachment_for(user, pk: int) -> Attachment | None:
    """The attachment if ``user`` may open it, else ``None`` (whatever the reason)."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        return None
    model = attachment.content_type.model_class()
    scoped = getattr(model.objects, "restrict", None) if model is not None else None
    if scoped is None:
        return None  # an owner without a read rule is served to nobody
    owner = scoped(user).filter(pk=attachment.object_id).first()
    if owner is None:
        return None
    if isinstance(owner, SharedRecord):
        sides = readable_side_ids(user, owner)
        if sides is not None and attachment.side_id not in sides:
            return None
    return attachment


def serve(request, owner, file, filename: str, content_type: str = "") -> FileResponse:
    """``file`` as an attachment that no browser sniffs or caches; the download is
    audited against ``owner`` once the file is open (a missing file is a 404)."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    audit.log("file.downloaded", actor=request.user, obj=owner)
    filename = safe_basename(filename)
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class FileDownloadView(LoginRequiredMixin, View):
    """``files/<pk>/``: the file, as an attachment."""

    http_method_names = ["get", "head"]

    def get(self, request, pk: int):
        attachment = attachment_for(request.user, pk)
        if attachment is None:
            audit_denied(request.user, Attachment, pk)  # the same entry for hidden and missing ids
            raise Http404
        return serve(request, attachment, attachment.file, attachment.name, attachment.media_type)


class ConsentLetterView(LoginRequiredMixin, View):
    """``consents/<pk>/letter/``: the consent letter, to the side that consented and the
    third party it names (``DisclosureConsent.objects.restrict``)."""

    http_method_names = ["get", "head"]

    def get(self, request, pk: int):
        consent = DisclosureConsent.objects.restrict(request.user).filter(pk=pk).first()
        if consent is None or not consent.letter:
            audit_denied(request.user, DisclosureConsent, pk)
            raise Http404
        name = consent.document_reference.replace("/", "-")
        return serve(request, consent, consent.letter, f"consent-{name}.pdf", "application/pdf")
