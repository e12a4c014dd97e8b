"""Filters for lists, in the pages and in the API alike: django-filter, with every choice
of a related-object filter narrowed to the user's scope (``restrict()``).

A drop-down names only what the user may see, and ``?agency=<hidden id>`` is refused
with the same "not one of the available choices" as ``?agency=<missing id>``: the filter
cannot be used to learn which ids exist (DESIGN.md §3, "filter drop-downs").

The API's backend (``portal.api.filters``) and the pages' ``FilteredListMixin`` share
``restrict_choices``. In a page, invalid filter input is answered with the form and its
errors above an *empty* list: showing the unfiltered list instead would let the reader
take it for the filtered one. The API answers the same input with a 400.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import RecordStatus
from .models import AuditEntry, Correspondence, DisclosureConsent, Notification, Organization


def restricted(queryset, request, action: str = "view"):
    """``queryset`` narrowed to what the request's user may ``action``, when its model
    has a rule; reference data without one is left as it is."""
    if not hasattr(queryset, "restrict"):
        return queryset
    user = getattr(request, "user", None)
    if user is None:
        return queryset.none()
    return queryset.restrict(user, action)


RELATED_FILTERS = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def withheld_filters(filterset, request) -> list[str]:
    """The filters of ``filterset`` on fields some of whose rows the request's user may
    have withheld (a third party reading a record with one side's consent does not see
    the other side's part): filtering on them would tell the value it may not read
    (``?stage=result_sent`` on a record whose stage is withheld)."""
    from .disclosure import withholdable_fields
    from .records.models import SharedRecord

    model = filterset._meta.model or filterset.queryset.model
    user = getattr(request, "user", None)
    organization = getattr(user, "organization", None)
    if not (issubclass(model, SharedRecord) and organization is not None and organization.is_third_party):
        return []
    withheld = withholdable_fields(model)
    return [
        name for name, item in filterset.filters.items() if (item.field_name or "").split("__")[0] in withheld
    ]


def restrict_choices(filterset, request) -> None:
    """Narrow the choices of every related-object filter of ``filterset`` (an instance:
    its ``filters`` are its own copies) to what the request's user may see, and drop
    the filters on fields the user may have withheld (``withheld_filters``: the
    parameter is then ignored, as an unknown one is). Call before the filterset's form
    is built."""
    for name in withheld_filters(filterset, request):
        del filterset.filters[name]
    for item in filterset.filters.values():
        if isinstance(item, RELATED_FILTERS):
            item.queryset = restricted(item.get_queryset(request).all(), request)


class PortalFilterSet(django_filters.FilterSet):
    """The base of the pages' filter sets: related choices restricted to the request's
    user; an invalid filter selects nothing (module docstring)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        restrict_choices(self, request)

    @property
    def qs(self):
        if not hasattr(self, "_qs") and self.is_bound and not self.is_valid():
            self._qs = self.queryset.none()
        return super().qs


class SearchFilter(django_filters.CharFilter):
    """``?q=``: the model queryset's own ``search()``, the one read every list of the
    model shares (STYLE.md §5)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        return qs.search(value) if value else qs


class FilteredListMixin:
    """Put before a ``RestrictedListView``: the restricted rows go through
    ``filterset_class`` bound to ``request.GET``; the context gets the filter set as
    ``filter`` (its form is ``filter.form``) and the query string without ``page`` as
    ``filter_query``, for the pagination links."""

    filterset_class: type[PortalFilterSet] | None = None

    def get_queryset(self):
        queryset = super().get_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(filter=self.filterset, filter_query=params.urlencode())
        return context


# The core's lists ---------------------------------------------------------------------


class CorrespondenceFilterSet(PortalFilterSet):
    SENT, RECEIVED = "sent", "received"

    q = django_filters.CharFilter(label=_("Subject or reference"), method="filter_subject", max_length=300)
    status = django_filters.ChoiceFilter(
        choices=RecordStatus.choices, label=_("Status"), empty_label=_("All")
    )
    direction = django_filters.ChoiceFilter(
        label=_("Direction"),
        choices=[(SENT, _("From our side")), (RECEIVED, _("To our side"))],
        method="filter_direction",
        empty_label=_("All"),
    )
    recipient = django_filters.ModelChoiceFilter(
        label=_("To"), queryset=Organization.objects.of_sides(), empty_label=_("All")
    )

    class Meta:
        model = Correspondence
        fields = ["q", "status", "direction", "recipient"]

    def filter_subject(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(subject__icontains=value) | Q(reference__iexact=value))

    def filter_direction(self, queryset, name, value):
        organization = getattr(self.request.user, "organization", None)
        side_id = organization.side_id if organization is not None else None
        if side_id is None:
            return queryset.none()
        field = "origin__side_id" if value == self.SENT else "recipient__side_id"
        return queryset.filter(**{field: side_id})


class ConsentFilterSet(PortalFilterSet):
    LIVE, WITHDRAWN, EXPIRED = "live", "withdrawn", "expired"

    third_party = django_filters.ModelChoiceFilter(
        label=_("Third party"), queryset=Organization.objects.third_parties(), empty_label=_("All")
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(LIVE, _("Active")), (WITHDRAWN, _("Withdrawn")), (EXPIRED, _("Expired"))],
        method="filter_state",
        empty_label=_("All"),
    )

    class Meta:
        model = DisclosureConsent
        fields = ["third_party", "state"]

    def filter_state(self, queryset, name, value):
        # The same three states the list's badge shows.
        if value == self.LIVE:
            return queryset.active()
        if value == self.WITHDRAWN:
            return queryset.filter(withdrawn_at__isnull=False)
        return queryset.filter(withdrawn_at__isnull=True, expires_at__lte=timezone.now())


class _Blank(dict):
    def __missing__(self, key):
        return "…"


def notification_kinds() -> list[tuple[str, str]]:
    """Each registered kind of inbox item, named by its message with the blanks left
    blank, in the reader's language."""
    from .notifications import KINDS

    return sorted(((kind, str(message) % _Blank()) for kind, message in KINDS.items()), key=lambda c: c[1])


class InboxFilterSet(PortalFilterSet):
    UNREAD, READ = "unread", "read"

    state = django_filters.ChoiceFilter(
        label=_("Read or unread"),
        choices=[(UNREAD, _("Unread")), (READ, _("Already read"))],
        method="filter_state",
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=notification_kinds, empty_label=_("All"))

    class Meta:
        model = Notification
        fields = ["state", "kind"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == self.UNREAD)


def _actions() -> list[tuple[str, str]]:
    from .audit import ACTIONS

    return [(name, f"{label} ({name})") for name, label in sorted(ACTIONS.items())]


def public_content_type_ids() -> list[int]:
    """Kinds of object whose names an audit entry may keep and a filter may search."""
    from django.contrib.contenttypes.models import ContentType

    from . import audit

    return [
        content_type.pk
        for content_type in ContentType.objects.all()
        if content_type.model_class() is not None and audit.values_public(content_type.model_class())
    ]


class AuditEntryFilterSet(PortalFilterSet):
    """The audit trail's filters; the CSV export takes the same ones."""

    actor = django_filters.CharFilter(
        field_name="actor_username", lookup_expr="icontains", label=_("Actor"), max_length=150
    )
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.order_by("id"), label=_("Organization"), empty_label=_("Any")
    )
    action = django_filters.ChoiceFilter(choices=_actions, label=_("Action"), empty_label=_("Any"))
    object = django_filters.CharFilter(
        method="filter_object", label=_("Object"), help_text=_("Name or id of the object"), max_length=300
    )
    date_from = django_filters.DateFilter(
        method="filter_date_from",
        label=pgettext_lazy("date range", "From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to",
        label=pgettext_lazy("date range", "To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ["actor", "organization", "action", "object", "date_from", "date_to"]

    def filter_object(self, queryset, name, value):
        term = value.strip()
        if not term:
            return queryset
        # Names are searched only where they are public: earlier entries kept the names
        # of confidential records, and a match would tell what the page then hides.
        return queryset.filter(
            Q(object_repr__icontains=term, content_type_id__in=public_content_type_ids()) | Q(object_id=term)
        )

    def filter_date_from(self, queryset, name, value):
        zone = timezone.get_current_timezone()
        return queryset.filter(at__gte=dt.datetime.combine(value, dt.time.min, zone))

    def filter_date_to(self, queryset, name, value):
        zone = timezone.get_current_timezone()
        return queryset.filter(at__lt=dt.datetime.combine(value, dt.time.min, zone) + dt.timedelta(1))
