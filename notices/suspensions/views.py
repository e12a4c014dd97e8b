"""Officer pages of temporary suspensions of acceptance (clause 8): the list with its
filters, a suspension with the kit's panels (acknowledgement, assignment, files,
timeline, consent), and the forms to record, correct and lift one.

Every read goes through the restricted base views (out of scope is a 404, audited);
templates render the disclosed object, never the model instance; every change is a
service asked through ``ServiceFormView``, and the buttons shown are those the policies
allow."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from notices.models import AcceptanceSuspension
from portal.filters import FilteredListMixin
from portal.records.views import SharedRecordPanelsMixin
from portal.views.base import RestrictedDetailView, RestrictedListView, ServiceFormView

from . import policies, services
from .filters import SuspensionFilterSet
from .forms import CorrectionForm, LiftForm, SuspensionForm


class SuspensionListView(FilteredListMixin, RestrictedListView):
    model = AcceptanceSuspension
    template_name = "notices/suspensions/suspension_list.html"
    context_object_name = "suspensions"
    filterset_class = SuspensionFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "sector")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_record"] = policies.can(policies.check_record_suspension, self.request.user, None)
        return context


class SuspensionDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = AcceptanceSuspension
    template_name = "notices/suspensions/suspension_detail.html"
    context_object_name = "suspension"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "sector", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        suspension, user = self.object, self.request.user
        context.update(
            can_correct=policies.can(policies.check_correct_suspension, user, suspension),
            can_lift=policies.can(policies.check_lift_suspension, user, suspension),
        )
        return context


class SuspensionCreateView(ServiceFormView):
    title = gettext_lazy("Record a temporary suspension of acceptance")
    lead = gettext_lazy(
        "Recording shares the suspension with the other side at once and shows it with every public "
        "list, in four languages, until it is lifted."
    )
    submit = gettext_lazy("Record and share")
    success_message = gettext_lazy("The suspension is recorded, shared with the other side and published.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_record_suspension, user, None)

    def get_form(self, form_class=None):
        return SuspensionForm(**self.get_form_kwargs())

    def perform(self, form):
        return services.record_suspension(self.request.user, **form.facts())


class SuspensionCorrectView(ServiceFormView):
    model = AcceptanceSuspension
    # Reading the suspension is enough to reach the form; the policy decides who corrects.
    action = "view"
    title = gettext_lazy("Correct the suspension of acceptance")
    lead = gettext_lazy("The other side is told of the correction and the public lists show it.")
    submit = gettext_lazy("Save the correction")
    success_message = gettext_lazy("The correction is saved; the other side is told.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_correct_suspension, user, self.object)

    def get_form(self, form_class=None):
        # The form edits a copy: the service reads the suspension again, locked.
        copy = AcceptanceSuspension.objects.get(pk=self.object.pk)
        return CorrectionForm(**self.get_form_kwargs(), instance=copy)

    def perform(self, form):
        return services.correct_suspension(
            self.object,
            self.request.user,
            why=form.cleaned_data.get("reason_for_correction", ""),
            **form.facts(),
        )


class SuspensionLiftView(ServiceFormView):
    model = AcceptanceSuspension
    action = "view"
    form_class = LiftForm
    title = gettext_lazy("Lift the suspension of acceptance")
    lead = gettext_lazy(
        "The suspension is kept with the date and reason of its lifting; the public lists show it no "
        "more, and the other side is told."
    )
    submit = gettext_lazy("Lift the suspension")
    success_message = gettext_lazy("The suspension is lifted; the other side is told.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_lift_suspension, user, self.object)

    def perform(self, form):
        return services.lift_suspension(
            self.object,
            self.request.user,
            lifted_on=form.cleaned_data["lifted_on"],
            reason=form.cleaned_data["reason"],
        )
