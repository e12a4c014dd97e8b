"""Officer pages of cooperation requests (5, first paragraph): the list with its
filters, a request with its answer, its completion and the kit's panels, and the forms
to request, answer, complete and cancel.

Every read goes through the restricted base views (out of scope is a 404, audited);
templates render the disclosed object, never the model instance; every change is a
service asked through ``ServiceFormView``, and the buttons shown are those the policies
allow."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from portal.filters import FilteredListMixin
from portal.records.views import SharedRecordPanelsMixin
from portal.views.base import RestrictedDetailView, RestrictedListView, ServiceFormView

from ..models import CooperationRequest
from . import policies, services
from .filters import CooperationFilterSet
from .forms import AnswerForm, CancelForm, CompleteForm, RequestForm

FORM_TEMPLATE = "exams/cooperation/cooperation_form.html"


class CooperationListView(FilteredListMixin, RestrictedListView):
    model = CooperationRequest
    template_name = "exams/cooperation/cooperation_list.html"
    context_object_name = "cooperations"
    filterset_class = CooperationFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "requesting_ministry", "exam")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_request"] = policies.can(policies.check_request, self.request.user, None)
        return context


class CooperationDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = CooperationRequest
    template_name = "exams/cooperation/cooperation_detail.html"
    context_object_name = "cooperation"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("origin__side", "requesting_ministry", "exam", "created_by", "answered_by")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, record = self.request.user, self.object
        context["can_answer"] = policies.can(policies.check_answer, user, record)
        context["can_complete"] = policies.can(policies.check_complete, user, record)
        context["can_cancel"] = policies.can(policies.check_cancel, user, record)
        return context


class CooperationCreateView(ServiceFormView):
    form_class = RequestForm
    template_name = FORM_TEMPLATE
    title = gettext_lazy("Request cooperation")
    lead = gettext_lazy(
        "Requesting shares the request with the partner side at once: its contact point is asked to "
        "answer what it can do by the due date."
    )
    submit = gettext_lazy("Request and share")
    success_message = gettext_lazy("The cooperation request is shared with the partner side.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_request, user, None)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["ministries"] = services.ministry_choices(self.request.user)
        return kwargs

    def perform(self, form):
        return services.request(self.request.user, **form.facts())


class _RecordFormView(ServiceFormView):
    model = CooperationRequest
    # Reading the request is enough to reach the form; the policy decides who acts.
    action = "view"
    template_name = FORM_TEMPLATE
    check = None

    def allowed(self, user) -> bool:
        return policies.can(type(self).check, user, self.object)


class CooperationAnswerView(_RecordFormView):
    form_class = AnswerForm
    check = staticmethod(policies.check_answer)
    title = gettext_lazy("Answer the cooperation request")
    lead = gettext_lazy("Say what your side can do. The requesting side is told.")
    submit = gettext_lazy("Send the answer")
    success_message = gettext_lazy("The answer is sent to the requesting side.")

    def perform(self, form):
        return services.answer(self.object, self.request.user, **form.cleaned_data)


class CooperationCompleteView(_RecordFormView):
    form_class = CompleteForm
    check = staticmethod(policies.check_complete)
    title = gettext_lazy("Record the completion")
    lead = gettext_lazy("Say what was done. The request is completed and the requesting side is told.")
    submit = gettext_lazy("Record the completion")
    success_message = gettext_lazy("The cooperation request is completed.")

    def perform(self, form):
        return services.complete(self.object, self.request.user, **form.cleaned_data)


class CooperationCancelView(_RecordFormView):
    form_class = CancelForm
    check = staticmethod(policies.check_cancel)
    title = gettext_lazy("Cancel the cooperation request")
    lead = gettext_lazy("The partner side is told, with the reason.")
    submit = gettext_lazy("Cancel the request")
    success_message = gettext_lazy("The cooperation request is cancelled.")

    def perform(self, form):
        return services.cancel(self.object, self.request.user, **form.cleaned_data)
