"""Officer pages of fraud reports in the tests (5, second paragraph), under
/exams/fraud/.

Every read goes through the restricted base views (out of scope is a 404, audited);
templates render the disclosed object (``portal.disclosure``), never the model
instance — the persons named are the reporting side's part and read as none where it
is withheld; every change is a service, asked through ``ServiceFormView`` /
``ServiceActionView``, and the buttons shown are the ones the policies allow."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from portal.filters import FilteredListMixin
from portal.records import policies as kit_policies
from portal.records.views import SharedRecordPanelsMixin
from portal.views.base import RestrictedDetailView, RestrictedListView, ServiceActionView, ServiceFormView

from ..models import ExamSession, FraudReport
from . import policies, services
from .filters import FraudFilterSet
from .forms import CloseForm, FraudForm, LinkBrokersForm
from .reading import brokers_shown, persons_of


def report_rows(queryset):
    return queryset.select_related("origin__side", "exam")


class FraudListView(FilteredListMixin, RestrictedListView):
    model = FraudReport
    template_name = "exams/fraud/fraud_list.html"
    context_object_name = "reports"
    filterset_class = FraudFilterSet

    def get_queryset(self):
        return report_rows(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_report"] = kit_policies.can(policies.check_report, self.request.user, None)
        return context


def session_shown(shown, user):
    """The report's session as the reader may read it (``restrict()``): a third party who
    reads the report by a consent does not read the sessions register, which is both
    sides' alone; ``HIDDEN`` then, ``None`` when the report names none."""
    session_id = getattr(shown, "session_id", None)
    if not session_id:  # none named, or withheld with the reporting side's part ("")
        return None
    return ExamSession.objects.restrict(user).filter(pk=session_id).select_related("exam").first() or HIDDEN


#: A session the reader may not read: the page says so, without a word of it.
HIDDEN = "hidden"


class FraudDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = FraudReport
    template_name = "exams/fraud/fraud_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "exam", "session", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        shown = context["report"]
        context.update(
            persons=persons_of(shown, user),
            session=session_shown(shown, user),
            brokers=brokers_shown(shown, user),
            time_to_share=shown.time_to_share if shown.shared_at else None,
            time_to_acknowledge=shown.time_to_acknowledge if shown.acknowledged_at else None,
            can_edit=kit_policies.can(policies.check_edit, user, report),
            can_share=kit_policies.can(policies.check_share, user, report),
            can_withdraw=kit_policies.can(policies.check_withdraw, user, report),
            can_link=kit_policies.can(policies.check_link_brokers, user, report),
            can_close=kit_policies.can(policies.check_close, user, report),
        )
        return context


class FraudCreateView(ServiceFormView):
    template_name = "exams/fraud/fraud_form.html"
    title = gettext_lazy("New test fraud report")
    lead = gettext_lazy(
        "A draft of your organization until you share it: impersonation, a forged or altered pass "
        "certificate, or other fraud in the tests."
    )
    submit = gettext_lazy("Save the draft")
    success_message = gettext_lazy("The fraud report is saved as a draft. Share it when it is complete.")

    def allowed(self, user) -> bool:
        return kit_policies.can(policies.check_report, user, None)

    def prefill(self) -> dict:
        if not hasattr(self, "_prefill"):
            # Only a check of the user's own organization (restrict()); anything else: nothing.
            self._prefill = services.prefill_from_check(self.request.user, self.request.GET.get("check"))
        return self._prefill

    def get_form(self, form_class=None):
        prefill = dict(self.prefill())
        persons = prefill.pop("persons", None)
        kwargs = self.get_form_kwargs()
        kwargs["initial"] = {**kwargs.get("initial", {}), **prefill}
        return FraudForm(**kwargs, user=self.request.user, persons=persons)

    def perform(self, form):
        return services.report(
            self.request.user,
            persons=form.person_rows(),
            brokers=list(form.cleaned_data["brokers"]),
            files=form.cleaned_data.get("evidence") or [],
            **form.facts(),
        )


class FraudEditView(ServiceFormView):
    model = FraudReport
    action = "change"
    template_name = "exams/fraud/fraud_form.html"
    title = gettext_lazy("Change the draft fraud report")
    submit = gettext_lazy("Save the draft")
    success_message = gettext_lazy("The draft is saved.")

    def allowed(self, user) -> bool:
        return kit_policies.can(policies.check_edit, user, self.object)

    def get_form(self, form_class=None):
        return FraudForm(**self.get_form_kwargs(), user=self.request.user, instance=self.object)

    def perform(self, form):
        return services.update(
            FraudReport.objects.get(pk=self.object.pk),
            self.request.user,
            persons=form.person_rows(),
            brokers=list(form.cleaned_data["brokers"]),
            **form.facts(),
        )


class FraudShareView(ServiceActionView):
    model = FraudReport
    success_message = gettext_lazy("Shared. The other side's contact point has it in its inbox.")

    def perform(self, obj):
        return services.share(obj, self.request.user)


class FraudWithdrawView(ServiceActionView):
    model = FraudReport
    success_message = gettext_lazy("The draft is withdrawn.")

    def perform(self, obj):
        return services.withdraw(obj, self.request.user)


class FraudLinkView(ServiceFormView):
    model = FraudReport
    action = "view"
    template_name = "exams/fraud/fraud_action_form.html"
    title = gettext_lazy("Link brokers to the fraud report")
    submit = gettext_lazy("Link")
    success_message = gettext_lazy("The brokers are linked.")

    def allowed(self, user) -> bool:
        return kit_policies.can(policies.check_link_brokers, user, self.object)

    def get_form(self, form_class=None):
        return LinkBrokersForm(**self.get_form_kwargs(), user=self.request.user, report=self.object)

    def perform(self, form):
        return services.link_brokers(
            self.object, self.request.user, brokers=list(form.cleaned_data["brokers"])
        )


class FraudCloseView(ServiceFormView):
    model = FraudReport
    action = "view"
    form_class = CloseForm
    template_name = "exams/fraud/fraud_action_form.html"
    title = gettext_lazy("Close the fraud report with its outcome")
    lead = gettext_lazy("The reporting side is told that the report is closed.")
    submit = gettext_lazy("Close the report")
    success_message = gettext_lazy("The fraud report is closed; the reporting side is told.")

    def allowed(self, user) -> bool:
        return kit_policies.can(policies.check_close, user, self.object)

    def perform(self, form):
        return services.close(
            self.object,
            self.request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
