"""Officer pages for the register of sending agencies and investigations."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy

from portal.disclosure import disclose_all
from portal.filters import FilteredListMixin
from portal.records.policies import can
from portal.records.views import SharedRecordPanelsMixin
from portal.views.base import (
    RestrictedDetailView,
    RestrictedListView,
    ServiceActionView,
    ServiceFormView,
    get_restricted_or_404,
)

from . import policies, services
from .filters import AgencyFilterSet, InvestigationFilterSet
from .forms import (
    AgencyForm,
    AssignForm,
    CertifyForm,
    GuidanceForm,
    InvestigationReportForm,
    RejectForm,
    ResultForm,
    RevokeForm,
    ScreeningForm,
)
from .models import AgencyEvent, Investigation, Screening, SendingAgency
from .querysets import is_partner_officer


class AgencyListView(FilteredListMixin, RestrictedListView):
    model = SendingAgency
    template_name = "agencies/agency_list.html"
    context_object_name = "agencies"
    filterset_class = AgencyFilterSet

    def get_queryset(self):
        # The memorandum: each row's disclosure asks whether the reader is its partner.
        return super().get_queryset().select_related("memorandum")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_register"] = can(policies.check_register, self.request.user, None)
        context["public_url"] = reverse("public:index")
        return context


class AgencyDetailView(RestrictedDetailView):
    model = SendingAgency
    template_name = "agencies/agency_detail.html"
    context_object_name = "agency"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency, user = self.object, self.request.user
        partner = is_partner_officer(user, agency.memorandum)
        context.update(
            partner=partner,
            # The same checks the services refuse with (agencies.policies).
            can_edit=can(policies.check_change, user, agency),
            can_screen=can(policies.check_screen, user, agency),
            can_certify=can(policies.check_certify, user, agency),
            can_reject=can(policies.check_reject, user, agency),
            can_revoke=can(policies.check_revoke, user, agency),
            can_reapply=can(policies.check_reapply, user, agency),
            can_guide=can(policies.check_guide, user, agency),
            can_report=can(policies.check_report, user, agency),
            can_acknowledge=(not partner) and user.can_write,
            events=AgencyEvent.objects.restrict(user)
            .filter(agency=agency)
            .select_related("actor", "acknowledged_by"),
            screening=agency.screenings.first() if partner else None,
            guidance=agency.guidance.all() if partner else [],
            investigations=disclose_all(Investigation.objects.restrict(user).filter(agency=agency), user),
        )
        return context


class AgencyFormAction(ServiceFormView):
    """A form that runs one service on one agency (or investigation) the user may change."""

    model = SendingAgency


class AgencyCreateView(ServiceFormView):
    form_class = AgencyForm
    title = gettext_lazy("Register an application for certification")
    success_message = gettext_lazy("The application is registered.")

    def allowed(self, user) -> bool:
        return bool(
            user.can_write and user.side_id and is_partner_officer(user, user.organization.side.memorandum)
        )

    def perform(self, form):
        data = dict(form.cleaned_data)
        sectors = data.pop("sectors")
        return services.register_agency(self.request.user, sectors=sectors, **data)


agency_create = AgencyCreateView.as_view()


class AgencyEditView(AgencyFormAction):
    title = gettext_lazy("Change the agency's details")
    lead = gettext_lazy(
        "A change to a published field of a certified agency publishes a new version of both lists."
    )

    def get_form(self, form_class=None):
        return AgencyForm(**self.get_form_kwargs(), instance=self.object)

    def perform(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "sectors"}
        return services.update_agency(
            self.object, self.request.user, sectors=form.cleaned_data["sectors"], **data
        )


class CertifyView(AgencyFormAction):
    form_class = CertifyForm
    title = gettext_lazy("Certify the agency")
    lead = gettext_lazy("Certification is refused while a mandatory criterion of the screening is not met.")
    submit = gettext_lazy("Certify")
    success_message = gettext_lazy(
        "Certified. Japan's contact point is notified and both lists will be published."
    )

    def perform(self, form):
        return services.certify(self.object, self.request.user, **form.cleaned_data)


class RejectView(AgencyFormAction):
    form_class = RejectForm
    title = gettext_lazy("Reject the application")
    submit = gettext_lazy("Reject")

    def perform(self, form):
        return services.reject(self.object, self.request.user, **form.cleaned_data)


class RevokeView(AgencyFormAction):
    form_class = RevokeForm
    title = gettext_lazy("Revoke the certification")
    lead = gettext_lazy(
        "Japan's contact point is notified; both published lists move the agency to the revoked section."
    )
    submit = gettext_lazy("Revoke")
    success_message = gettext_lazy("Certification revoked. Japan's contact point is notified.")

    def perform(self, form):
        return services.revoke(self.object, self.request.user, **form.cleaned_data)


class GuidanceView(AgencyFormAction):
    form_class = GuidanceForm
    title = gettext_lazy("Record guidance given to the agency")

    def perform(self, form):
        services.give_guidance(self.object, self.request.user, **form.cleaned_data)
        return self.object


class ReportView(AgencyFormAction):
    """Japan asks for an investigation of a certified agency (7(3))."""

    action = "view"
    form_class = InvestigationReportForm
    title = gettext_lazy("Ask Tajikistan to investigate this agency")
    lead = gettext_lazy("Describe what suggests that the agency breaches the criteria or acts improperly.")
    submit = gettext_lazy("Send to the other side")
    success_message = gettext_lazy("Sent. The other side's contact point has it in its inbox.")

    def perform(self, form):
        data = dict(form.cleaned_data)
        attachment = data.pop("attachment")
        return services.report_for_investigation(
            self.request.user, self.object, attachments=[attachment] if attachment else [], **data
        )


class StartScreeningView(ServiceActionView):
    model = SendingAgency
    action = "change"

    def perform(self, obj):
        screening = services.start_screening(obj, self.request.user)
        return screening

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()


class ReapplyView(ServiceActionView):
    model = SendingAgency
    action = "change"

    def perform(self, obj):
        return services.reapply(obj, self.request.user)


class AcknowledgeView(ServiceActionView):
    """Japan records receipt of a certification or revocation."""

    model = AgencyEvent
    success_message = gettext_lazy("Receipt acknowledged.")

    def get_object(self, pk, event_id):
        agency = get_restricted_or_404(SendingAgency, self.request.user, pk)
        event = AgencyEvent.objects.restrict(self.request.user).filter(agency=agency, pk=event_id).first()
        if event is None:
            raise Http404
        return event

    def perform(self, event):
        return services.acknowledge(event, self.request.user)

    def get_success_url(self, event) -> str:
        return event.agency.get_absolute_url()


class ScreeningView(ServiceFormView):
    """A screening's results, criterion by criterion, with their documents; the form
    while the screening is the agency's current one under screening."""

    model = Screening
    action = "view"
    pk_url_kwarg = "screening_id"
    template_name = "agencies/screening.html"
    success_message = gettext_lazy("Screening saved.")

    def allowed(self, user) -> bool:
        return self.object.agency_id == self.kwargs["pk"]

    def get_form(self, form_class=None):
        return ScreeningForm(**self.get_form_kwargs(), screening=self.object)

    def get_context_data(self, **kwargs):
        screening = self.object
        results = list(screening.results.select_related("criterion").prefetch_related("attachments"))
        editable = can(policies.check_record_screening, self.request.user, screening)
        # What blocks certification, as saved (the rule is the model's), each linked to
        # its radios in the form or to its row in the table.
        failing = {criterion.pk for criterion in screening.failing_mandatory()}
        return super().get_context_data(
            screening=screening,
            agency=screening.agency,
            editable=editable,
            results=results,
            failing=[
                (row, f"id_result_{row.criterion_id}_0" if editable else f"criterion-{row.criterion_id}")
                for row in results
                if row.criterion_id in failing
            ],
            **kwargs,
        )

    def perform(self, form):
        screening, user = self.object, self.request.user
        with transaction.atomic():  # the results and their documents, or nothing
            services.record_screening(screening, user, form.results(), form.cleaned_data["note"])
            for row, file in form.evidence():
                services.add_evidence(row, user, file)
        return screening.agency


screening_view = ScreeningView.as_view()


class InvestigationListView(FilteredListMixin, RestrictedListView):
    model = Investigation
    template_name = "agencies/investigation_list.html"
    context_object_name = "investigations"
    filterset_class = InvestigationFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "origin", "assigned_to")


class InvestigationDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = Investigation
    template_name = "agencies/investigation_detail.html"
    context_object_name = "investigation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        investigation, user = self.object, self.request.user
        shown = context["investigation"]  # what this reader may read of it
        context.update(
            can_send_result=can(policies.check_send_result, user, investigation),
            guidance=shown.guidance.all(),
        )
        return context


class AssignView(AgencyFormAction):
    model = Investigation
    action = "view"
    title = gettext_lazy("Assign the investigation")
    submit = gettext_lazy("Assign")

    def get_form(self, form_class=None):
        return AssignForm(**self.get_form_kwargs(), investigation=self.object)

    def perform(self, form):
        return services.assign_investigation(self.object, self.request.user, **form.cleaned_data)


class ResultView(AgencyFormAction):
    model = Investigation
    action = "view"
    form_class = ResultForm
    title = gettext_lazy("Send the result of the investigation to Japan")
    submit = gettext_lazy("Send to the other side")
    success_message = gettext_lazy("The result is sent to Japan's contact point.")

    def perform(self, form):
        return services.send_investigation_result(self.object, self.request.user, **form.cleaned_data)
