"""Officer pages of improvement orders (6(3), 7(5)): the list with its filters, an
order with the kit's panels (acknowledgement, assignment, files, timeline, consent),
and the forms to record, correct and withdraw one.

Every read goes through the restricted base views (out of scope is a 404, audited);
templates render the disclosed object, never the model instance; every change is a
service asked through ``ServiceFormView``, and the buttons shown are those the policies
allow."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from notices.models import ImprovementOrder
from notices.prefectures import prefecture_name
from portal.filters import FilteredListMixin
from portal.records.views import SharedRecordPanelsMixin
from portal.views.base import RestrictedDetailView, RestrictedListView, ServiceFormView

from . import policies, services
from .filters import OrderFilterSet
from .forms import CorrectionForm, OrderForm, WithdrawForm


class OrderListView(FilteredListMixin, RestrictedListView):
    model = ImprovementOrder
    template_name = "notices/orders/order_list.html"
    context_object_name = "orders"
    filterset_class = OrderFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "sector")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(order, prefecture_name(order.prefecture)) for order in context["orders"]]
        context["can_record"] = policies.can(policies.check_record_order, self.request.user, None)
        return context


class OrderDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = ImprovementOrder
    template_name = "notices/orders/order_detail.html"
    context_object_name = "order"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "sector", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        shown = context["order"]
        context.update(
            prefecture=prefecture_name(getattr(shown, "prefecture", "") or ""),
            can_correct=policies.can(policies.check_correct_order, user, order),
            can_withdraw=policies.can(policies.check_withdraw_order, user, order),
        )
        return context


class OrderCreateView(ServiceFormView):
    title = gettext_lazy("Record an improvement order")
    lead = gettext_lazy(
        "Recording shares the order with the other side at once: its contact point is asked to acknowledge it."
    )
    submit = gettext_lazy("Record and share")
    success_message = gettext_lazy("The improvement order is recorded and shared with the other side.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_record_order, user, None)

    def get_form(self, form_class=None):
        return OrderForm(**self.get_form_kwargs())

    def perform(self, form):
        return services.record_order(self.request.user, **form.facts())


class OrderCorrectView(ServiceFormView):
    model = ImprovementOrder
    # The recording organization no longer holds "change" once the order is shared:
    # reading it is enough to reach the form; the policy decides who may correct.
    action = "view"
    title = gettext_lazy("Correct the improvement order")
    lead = gettext_lazy("The other side is told of the correction; the timeline keeps which fields changed.")
    submit = gettext_lazy("Save the correction")
    success_message = gettext_lazy("The correction is saved; the other side is told.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_correct_order, user, self.object)

    def get_form(self, form_class=None):
        # The form edits a copy: the service reads the order again, locked.
        copy = ImprovementOrder.objects.get(pk=self.object.pk)
        return CorrectionForm(**self.get_form_kwargs(), instance=copy)

    def perform(self, form):
        return services.correct_order(
            self.object, self.request.user, reason=form.cleaned_data.get("reason", ""), **form.facts()
        )


class OrderWithdrawView(ServiceFormView):
    model = ImprovementOrder
    action = "view"
    form_class = WithdrawForm
    title = gettext_lazy("Withdraw the improvement order")
    lead = gettext_lazy(
        "Only an order recorded in error is withdrawn. It is kept with your reason, leaves the public "
        "list, and the other side is told."
    )
    submit = gettext_lazy("Withdraw the order")
    success_message = gettext_lazy("The improvement order is withdrawn; the other side is told.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_withdraw_order, user, self.object)

    def perform(self, form):
        return services.withdraw_order(self.object, self.request.user, reason=form.cleaned_data["reason"])
