"""The audit trail for contact points (their side's entries) and administrators (all):
browse with filters, export as CSV. Each export is itself audited."""

from __future__ import annotations

import csv
import datetime as dt
import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.utils import timezone

from .. import audit
from ..choices import Role
from ..forms import AuditFilterForm
from ..models import AuditEntry
from .base import RestrictedListView


def can_read_audit(user) -> bool:
    """The roles ``AuditEntryQuerySet.restrict`` lets read some of the audit."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    return user.role == Role.CONTACT_POINT_OFFICER and bool(user.side_id)


def filtered(user, params) -> tuple[AuditFilterForm, object]:
    """The entries ``user`` may read, narrowed by the filter form's values."""
    form = AuditFilterForm(params or None)
    entries = AuditEntry.objects.restrict(user).select_related("organization", "content_type")
    if not form.is_valid():
        return form, entries
    data = form.cleaned_data
    if data["actor"]:
        entries = entries.filter(actor_username__icontains=data["actor"])
    if data["organization"]:
        entries = entries.filter(organization=data["organization"])
    if data["action"]:
        entries = entries.filter(action=data["action"])
    if data["object"]:
        term = data["object"].strip()
        entries = entries.filter(Q(object_repr__icontains=term) | Q(object_id=term))
    zone = timezone.get_current_timezone()
    if data["date_from"]:
        entries = entries.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time.min, zone))
    if data["date_to"]:
        entries = entries.filter(
            at__lt=dt.datetime.combine(data["date_to"], dt.time.min, zone) + dt.timedelta(1)
        )
    return form, entries


class AuditAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_read_audit(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AuditListView(AuditAccessMixin, RestrictedListView):
    model = AuditEntry
    template_name = "portal/audit_list.html"
    context_object_name = "entries"

    def get_queryset(self):
        self.form, entries = filtered(self.request.user, self.request.GET)
        return entries.order_by("-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        for entry in context["entries"]:
            entry.label = audit.ACTIONS.get(entry.action, entry.action)
        context.update(form=self.form, query=params.urlencode())
        return context


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


class AuditExportView(AuditAccessMixin, RestrictedListView):
    """The filtered entries as CSV, streamed (an export of a year stays small in
    memory). The export is audited, with its filters, before the first row goes out."""

    model = AuditEntry
    columns = [
        "id",
        "at",
        "actor_username",
        "organization",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "request_id",
        "ip",
        "hash",
    ]

    def get(self, request, *args, **kwargs):
        form, entries = filtered(request.user, request.GET)
        filters = {k: str(v) for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
        with transaction.atomic():
            audit.log("audit.exported", actor=request.user, after={"filters": filters})
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow(self.columns)
            for entry in entries.order_by("id").iterator(chunk_size=2000):
                yield writer.writerow(
                    [
                        _cell(value)
                        for value in (
                            entry.pk,
                            entry.at.isoformat(),
                            entry.actor_username,
                            entry.organization.code if entry.organization_id else "",
                            entry.action,
                            entry.content_type.model if entry.content_type_id else "",
                            entry.object_id,
                            entry.object_repr,
                            json.dumps(entry.before, ensure_ascii=False) if entry.before is not None else "",
                            json.dumps(entry.after, ensure_ascii=False) if entry.after is not None else "",
                            entry.request_id,
                            entry.ip,
                            entry.hash,
                        )
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return response
