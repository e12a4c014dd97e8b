"""The audit trail for contact points (their side's entries) and administrators (all):
browse with filters, export as CSV. Each export is itself audited."""

from __future__ import annotations

import csv
import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import timezone

from .. import audit
from ..choices import Role
from ..filters import AuditEntryFilterSet
from ..models import AuditEntry
from .base import RestrictedListView


def can_read_audit(user) -> bool:
    """The roles ``AuditEntryQuerySet.restrict`` lets read some of the audit."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    return user.role == Role.CONTACT_POINT_OFFICER and bool(user.side_id)


def filtered(request) -> tuple[object, object]:
    """The entries the request's user may read, narrowed by the filters in its query
    string, and the bound filter form (``portal.filters.AuditEntryFilterSet``: an
    invalid filter selects no entry)."""
    entries = AuditEntry.objects.restrict(request.user).select_related("organization", "content_type")
    filterset = AuditEntryFilterSet(request.GET or None, queryset=entries, request=request)
    return filterset.form, filterset.qs


def describe(entries, user) -> None:
    """Give each entry of a page (or an export chunk) what ``user`` may read of it:
    ``object_label``, the object's name if the model's values are public or the user
    may see the object now, else its type and id; and ``before``/``after`` reduced to
    field names for a model whose values are not public (entries written before that
    rule kept values). One query per kind of object on the page."""
    wanted: dict[int, set[str]] = {}
    for entry in entries:
        if entry.content_type_id and entry.object_id:
            wanted.setdefault(entry.content_type_id, set()).add(entry.object_id)
    names: dict[tuple[int, str], str] = {}
    public: dict[int, bool] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        public[content_type_id] = model is not None and audit.values_public(model)
        if model is None or not hasattr(model.objects, "restrict"):
            continue
        pks = [pk for pk in ids if pk.isdigit()]
        for obj in model.objects.restrict(user).filter(pk__in=pks):
            names[(content_type_id, str(obj.pk))] = str(obj)
    for entry in entries:
        entry.label = audit.ACTIONS.get(entry.action, entry.action)
        if not entry.content_type_id:
            entry.object_label = entry.object_repr
            continue
        key = (entry.content_type_id, entry.object_id)
        heading = f"{entry.content_type.name} #{entry.object_id}"
        shown = entry.object_repr if public.get(entry.content_type_id) else names.get(key, "")
        entry.object_label = f"{heading}: {shown}" if shown else heading
        if not public.get(entry.content_type_id):
            entry.before, entry.after = None, _field_names_only(entry.before, entry.after)


def _field_names_only(before, after) -> dict | None:
    """``{"fields": [...]}`` from an entry's before/after, as written now or as written
    with values by earlier versions."""
    names: set[str] = set()
    for values in (before, after):
        if isinstance(values, dict):
            names |= set(values.get("fields", [])) if set(values) == {"fields"} else set(values)
    return {"fields": sorted(names)} if names else None


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
        self.form, entries = filtered(self.request)
        return entries.order_by("-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        describe(context["entries"], self.request.user)
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
        "object",
        "before",
        "after",
        "request_id",
        "ip",
        "hash",
    ]

    def get(self, request, *args, **kwargs):
        form, entries = filtered(request)
        filters = {k: str(v) for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
        with transaction.atomic():
            audit.log("audit.exported", actor=request.user, after={"filters": filters})
        writer = csv.writer(_Echo())

        def chunks(size: int = 2000):
            chunk = []
            for entry in entries.order_by("id").iterator(chunk_size=size):
                chunk.append(entry)
                if len(chunk) == size:
                    describe(chunk, request.user)
                    yield from chunk
                    chunk = []
            describe(chunk, request.user)
            yield from chunk

        def rows():
            yield writer.writerow(self.columns)
            for entry in chunks():
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
                            entry.object_label,
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
