"""Officer pages of inquiries (6(4), 7(6)): the list with its filters, an inquiry with
its answer, its time to answer and the kit's panels (the comments are its thread), the
forms to ask and to answer, and the overdue inquiries grouped by the organization that
has to answer.

Every read goes through the restricted base views (out of scope is a 404, audited);
templates render the disclosed object, never the model instance; every change is a
service asked through ``ServiceFormView``, and the buttons shown are those the policies
allow."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from notices.models import Inquiry
from portal.disclosure import disclose_all
from portal.filters import FilteredListMixin
from portal.records.views import SharedRecordPanelsMixin
from portal.views.base import RestrictedDetailView, RestrictedListView, RestrictedMixin, ServiceFormView

from . import policies, services
from .filters import InquiryFilterSet
from .forms import AnswerForm, AskForm
from .querysets import overdue_by_organization


def _of_a_side(user) -> bool:
    organization = getattr(user, "organization", None)
    return user.is_superuser or (organization is not None and not organization.is_third_party)


class InquiryListView(FilteredListMixin, RestrictedListView):
    model = Inquiry
    template_name = "notices/inquiries/inquiry_list.html"
    context_object_name = "inquiries"
    filterset_class = InquiryFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_ask"] = policies.can(policies.check_ask, self.request.user, None)
        context["of_a_side"] = _of_a_side(self.request.user)
        return context


class InquiryDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = Inquiry
    template_name = "notices/inquiries/inquiry_detail.html"
    context_object_name = "inquiry"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "created_by", "answered_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_answer"] = policies.can(policies.check_answer, self.request.user, self.object)
        return context


class InquiryOverdueView(RestrictedMixin, TemplateView):
    """Open inquiries past their due date, grouped by the organization that has to
    answer. Whether an inquiry is answered is the answering side's part: a third party
    never sees this page."""

    model = Inquiry
    template_name = "notices/inquiries/inquiry_overdue.html"

    def get(self, request, *args, **kwargs):
        if not _of_a_side(request.user):
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        own = user.organization_id
        groups = [
            (organization, disclose_all(rows, user), organization.pk == own)
            for organization, rows in overdue_by_organization(self.get_queryset())
        ]
        groups.sort(key=lambda group: not group[2])  # the reader's own organization first
        context["groups"] = groups
        return context


class InquiryCreateView(ServiceFormView):
    form_class = AskForm
    title = gettext_lazy("Ask an inquiry")
    lead = gettext_lazy(
        "Asking shares the inquiry with the other side at once: its contact point is asked to answer "
        "it by the due date."
    )
    submit = gettext_lazy("Ask and share")
    success_message = gettext_lazy("The inquiry is shared with the other side.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_ask, user, None)

    def perform(self, form):
        return services.ask(self.request.user, **form.facts())


class InquiryAnswerView(ServiceFormView):
    model = Inquiry
    # Reading the inquiry is enough to reach the form; the policy decides who answers.
    action = "view"
    form_class = AnswerForm
    title = gettext_lazy("Answer the inquiry")
    lead = gettext_lazy("The side that asked is told; the answer closes the inquiry.")
    submit = gettext_lazy("Send the answer")
    success_message = gettext_lazy("The answer is sent to the side that asked.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_answer, user, self.object)

    def perform(self, form):
        file = form.cleaned_data.get("file")
        return services.answer(
            self.object, self.request.user, answer=form.cleaned_data["answer"], files=[file] if file else []
        )
