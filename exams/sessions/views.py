"""Officer pages of test sessions (5): the list with its filters (test, year), a
session, and the forms to record and change one. Reads go through the restricted base
views (a third party reads no session: 404); changes are the services', asked through
``ServiceFormView``; the buttons shown are those the policies allow."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from portal.filters import FilteredListMixin
from portal.views.base import RestrictedDetailView, RestrictedListView, ServiceFormView

from ..models import ExamSession
from . import policies, services
from .filters import SessionFilterSet
from .forms import SessionForm

FORM_TEMPLATE = "exams/sessions/session_form.html"


class SessionListView(FilteredListMixin, RestrictedListView):
    model = ExamSession
    template_name = "exams/sessions/session_list.html"
    context_object_name = "sessions"
    filterset_class = SessionFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("exam", "organization")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_record"] = policies.can(policies.check_record, self.request.user, None)
        return context


class SessionDetailView(RestrictedDetailView):
    model = ExamSession
    template_name = "exams/sessions/session_detail.html"
    context_object_name = "session"

    def get_queryset(self):
        return super().get_queryset().select_related("exam", "organization", "recorded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = policies.can(policies.check_change, self.request.user, self.object)
        return context


class SessionCreateView(ServiceFormView):
    form_class = SessionForm
    template_name = FORM_TEMPLATE
    title = gettext_lazy("Record a test session")
    lead = gettext_lazy(
        "A sitting of a test held in the partner country. The other side's contact point is told."
    )
    submit = gettext_lazy("Record the session")
    success_message = gettext_lazy("The test session is recorded; the other side is told.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_record, user, None)

    def get_initial(self):
        initial = super().get_initial()
        exam = self.request.GET.get("exam")
        if exam and exam.isdigit():
            initial["exam"] = int(exam)
        return initial

    def perform(self, form):
        return services.record_session(self.request.user, **form.facts())


class SessionEditView(ServiceFormView):
    model = ExamSession
    # Reading the session is enough to reach the form; the policy decides who changes it.
    action = "view"
    form_class = SessionForm
    template_name = FORM_TEMPLATE
    title = gettext_lazy("Change the test session")
    submit = gettext_lazy("Save the session")
    success_message = gettext_lazy("The test session is changed.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_change, user, self.object)

    def get_initial(self):
        session = self.object
        return {name: getattr(session, name) for name in services.SESSION_FIELDS}

    def perform(self, form):
        return services.change_session(self.object, self.request.user, **form.facts())
