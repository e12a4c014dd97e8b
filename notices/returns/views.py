"""Officer pages of return requests (clause 8): the list, a request with its persons
(personal data or the mask, ``services.persons_for``) and the kit's panels, and the
forms to make a request, add a person, record a step and close the case.

Reads go through the restricted base views (out of scope: a 404, audited); templates
render the disclosed object and the person rows the service gives, never the model;
every change is a service asked through ``ServiceFormView``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from notices.models import ReturnRequest
from portal.filters import FilteredListMixin
from portal.records.views import SharedRecordPanelsMixin
from portal.views.base import RestrictedDetailView, RestrictedListView, ServiceFormView

from . import policies, services
from .filters import ReturnFilterSet
from .forms import CloseForm, PersonForm, RequestForm, StepForm


class ReturnListView(FilteredListMixin, RestrictedListView):
    """No personal data on the list: the persons are counted, never named."""

    model = ReturnRequest
    template_name = "notices/returns/return_list.html"
    context_object_name = "requests"
    filterset_class = ReturnFilterSet

    def get_queryset(self):
        from django.db.models import Count

        return (
            super()
            .get_queryset()
            .select_related("origin__side")
            .annotate(person_count=Count("persons"))
            .order_by("-created_at", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.can(policies.check_create, self.request.user, None)
        return context


class ReturnDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = ReturnRequest
    template_name = "notices/returns/return_detail.html"
    context_object_name = "request_record"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "embassy", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record, user = self.object, self.request.user
        context.update(
            persons=services.persons_for(record, user),
            mask=services.MASK,
            can_add_person=policies.can(policies.check_add_person, user, record),
            can_record_step=policies.can(policies.check_record_step, user, record),
            can_close=policies.can(policies.check_close, user, record),
        )
        return context


class ReturnCreateView(ServiceFormView):
    form_class = RequestForm
    title = gettext_lazy("Request the return of a person")
    lead = gettext_lazy(
        "The request is shared with the other side at once, and the Embassy is given access. "
        "Add further persons on the request's page. Only the contact points and the Embassy "
        "read the personal data."
    )
    submit = gettext_lazy("Make and share the request")
    success_message = gettext_lazy("The return request is made and shared; the Embassy has access.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_create, user, None)

    def perform(self, form):
        return services.create_request(self.request.user, persons=[form.person()])


class PersonAddView(ServiceFormView):
    model = ReturnRequest
    action = "view"
    form_class = PersonForm
    title = gettext_lazy("Add a person to the return request")
    submit = gettext_lazy("Add the person")
    success_message = gettext_lazy("The person is added; the other side and the Embassy are told.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_add_person, user, self.object)

    def perform(self, form):
        services.add_person(self.object, self.request.user, **form.person())
        return self.object


class StepRecordView(ServiceFormView):
    model = ReturnRequest
    action = "view"
    title = gettext_lazy("Record a step")
    lead = gettext_lazy(
        "Steps are dated in order: the return date is never before the temporary passport was issued."
    )
    submit = gettext_lazy("Record the step")
    success_message = gettext_lazy("The step is recorded.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_record_step, user, self.object)

    def get_form(self, form_class=None):
        persons = [row for row in self._rows()]
        return StepForm(**self.get_form_kwargs(), persons=persons)

    def _rows(self):
        from notices.models import ReturnPerson

        return [
            services.PersonRow(pk, number, None, False, [])
            for pk, number in ReturnPerson.objects.filter(request=self.object).values_list("pk", "number")
        ]

    def perform(self, form):
        data = form.cleaned_data
        services.record_step(
            self.object, self.request.user, person=data["person"], kind=data["kind"], on=data["on"]
        )
        return self.object


class CloseView(ServiceFormView):
    model = ReturnRequest
    action = "view"
    form_class = CloseForm
    title = gettext_lazy("Close the return case")
    lead = gettext_lazy(
        "A closed case takes no more steps. Its personal data are erased after the period the "
        "memorandum's terms set."
    )
    submit = gettext_lazy("Close the case")
    success_message = gettext_lazy("The return case is closed.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_close, user, self.object)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not policies.can(policies.check_withdraw, self.request.user, self.object):
            del form.fields["withdraw"]  # only the side that made the request withdraws it
        return form

    def perform(self, form):
        data = form.cleaned_data
        return services.close_request(
            self.object, self.request.user, reason=data["reason"], withdraw=data.get("withdraw", False)
        )
