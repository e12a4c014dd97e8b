"""Officer pages of the register of registered support organizations (6(3), 7(5)): the
organizations, the imports, the upload that previews a workbook and the one click that
applies it.

Every read goes through the restricted base views (out of scope is a 404, audited);
every change is a service (``notices.register.services``) asked through
``ServiceFormView`` / ``ServiceActionView``; the buttons shown are the ones the policies
allow."""

from __future__ import annotations

from django.utils.translation import get_language, gettext_lazy

from portal.filters import FilteredListMixin
from portal.records import policies as kit_policies
from portal.records import services as kit
from portal.records.views import SharedRecordPanelsMixin
from portal.views.base import RestrictedDetailView, RestrictedListView, ServiceActionView, ServiceFormView

from ..models import RegisterImport, SupportOrganization
from . import policies, services
from .forms import OrganizationFilterSet, UploadForm

#: How many entries of each list of a comparison the import's page shows.
SHOWN = 200
#: How many unreadable rows the page lists.
ERRORS_SHOWN = 500


def _language() -> str:
    return (get_language() or "en")[:2]


def prefecture_label(code: str) -> str:
    """The prefecture's name in the reader's language (its code if unknown)."""
    if not code:
        return ""
    from notices.prefectures import prefecture_name

    return prefecture_name(code, _language()) or code


def language_labels(codes) -> list[str]:
    """The languages of support in the reader's language (codes if unknown)."""
    from notices.languages import language_choices

    names = dict(language_choices(_language()))
    return [names.get(code, code) for code in codes or ()]


def _field_label(name: str) -> str:
    return str(SupportOrganization._meta.get_field(name).verbose_name)


class OrganizationListView(FilteredListMixin, RestrictedListView):
    model = SupportOrganization
    template_name = "notices/register/organization_list.html"
    context_object_name = "organizations"
    filterset_class = OrganizationFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("registration_number", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = kit_policies.can(policies.check_import, self.request.user, None)
        context["rows"] = [
            (organization, prefecture_label(organization.prefecture), language_labels(organization.languages))
            for organization in context["organizations"]
        ]
        return context


class OrganizationDetailView(RestrictedDetailView):
    model = SupportOrganization
    template_name = "notices/register/organization_detail.html"
    context_object_name = "organization"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        context["imports"] = (
            RegisterImport.objects.restrict(self.request.user)
            .filter(pk__in=[organization.first_seen_import_id, organization.removed_import_id])
            .order_by("created_at")
        )
        context["prefecture"] = prefecture_label(organization.prefecture)
        context["language_names"] = language_labels(organization.languages)
        return context


class ImportListView(RestrictedListView):
    model = RegisterImport
    template_name = "notices/register/import_list.html"
    context_object_name = "imports"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side").defer(*RegisterImport.LISTS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = kit_policies.can(policies.check_import, self.request.user, None)
        return context


def comparison_rows(record: RegisterImport) -> dict:
    """What the import's page lists: the first ``SHOWN`` of each list, each number with
    the organization's name (the workbook's for an added one is not stored: the number
    alone until applied), and the changed fields old → new."""
    changed_numbers = list(record.changed)[:SHOWN]
    numbers = [*record.removed[:SHOWN], *record.reappeared[:SHOWN], *record.added[:SHOWN], *changed_numbers]
    known = services.organizations_of(numbers, record.memorandum_id)

    def named(items):
        return [(number, known.get(number)) for number in items[:SHOWN]]

    added = [
        (number, known.get(number), record.added_names.get(number, "")) for number in record.added[:SHOWN]
    ]

    changed = []
    for number in changed_numbers:
        values = record.changed_values.get(number, {})
        fields = [
            (_field_label(name), *(values.get(name) or ["", ""]))
            for name in record.changed[number]
            if name in services.FIELDS
        ]
        changed.append((number, known.get(number), fields))
    return {
        "added_rows": added,
        "removed_rows": named(record.removed),
        "reappeared_rows": named(record.reappeared),
        "changed_rows": changed,
        "error_rows": record.row_errors[:ERRORS_SHOWN],
        "shown": SHOWN,
        "errors_shown": ERRORS_SHOWN,
    }


class ImportDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = RegisterImport
    template_name = "notices/register/import_detail.html"
    context_object_name = "record"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "base", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record, user = self.object, self.request.user
        context.update(comparison_rows(record))
        context.update(
            can_apply=kit_policies.can(policies.check_apply, user, record),
            can_withdraw=kit_policies.can(kit_policies.check_withdraw, user, record),
        )
        return context


class ImportCreateView(ServiceFormView):
    form_class = UploadForm
    title = gettext_lazy("Import the register of registered support organizations")
    lead = gettext_lazy(
        "The workbook is compared with the register as it stands; you see what it adds, "
        "changes and removes before you apply it."
    )
    submit = gettext_lazy("Compare with the register")
    success_message = gettext_lazy(
        "The workbook is compared with the register. Check the changes, then apply them."
    )

    def allowed(self, user) -> bool:
        return kit_policies.can(policies.check_import, user, None)

    def perform(self, form):
        return services.preview_import(self.request.user, form.cleaned_data["file"])


class ImportApplyView(ServiceActionView):
    model = RegisterImport
    success_message = gettext_lazy("The import is applied and shared with the other side.")

    def perform(self, obj):
        return services.apply_import(self.request.user, obj)


class ImportWithdrawView(ServiceActionView):
    model = RegisterImport
    success_message = gettext_lazy("The preview is withdrawn; nothing was applied.")

    def perform(self, obj):
        return kit.withdraw_draft(obj, self.request.user)
