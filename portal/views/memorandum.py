"""The Memorandum's own pages (clauses 9 and 10): its detail, and the forms with which
a contact-point officer records a termination notice or an amendment. The forms run
``portal.services.notify_termination`` and ``record_amendment``; who is offered them is
``portal.policies``, asked by the page and by the service alike."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policies, services
from ..forms_base import PortalForm
from ..models import TERMINATION_NOTICE_MONTHS, Amendment, Memorandum, add_months
from .base import RestrictedDetailView, ServiceFormView

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemorandumDetailView(RestrictedDetailView):
    """The Memorandum, its sides and amendments, with the forms its viewer may use
    (``portal.policies``)."""

    model = Memorandum
    template_name = "portal/memorandum_detail.html"
    context_object_name = "memorandum"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sides"] = self.object.sides.prefetch_related("organizations")
        context["amendments"] = self.object.amendments.all()
        user = self.request.user
        context["can_terminate"] = policies.can(policies.check_terminate, user, self.object)
        context["can_amend"] = policies.can(policies.check_amend, user, self.object)
        return context


class TerminationForm(PortalForm):
    notified_on = forms.DateField(
        label=gettext_lazy("Date of the notice"),
        widget=_DATE,
        help_text=gettext_lazy("The Memorandum ends six months after this date (clause 10)."),
    )


def _label(name: str):
    """The model's own label, translated once in the catalogs."""
    return capfirst(Amendment._meta.get_field(name).verbose_name)


class AmendmentForm(PortalForm):
    agreed_on = forms.DateField(label=_label("agreed_on"), widget=_DATE)
    summary_en = forms.CharField(label=_label("summary_en"), widget=forms.Textarea(attrs={"rows": 3}))
    summary_ja = forms.CharField(
        label=_label("summary_ja"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_ru = forms.CharField(
        label=_label("summary_ru"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_tg = forms.CharField(
        label=_label("summary_tg"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    japan_consent_reference = forms.CharField(label=_label("japan_consent_reference"), max_length=200)
    partner_consent_reference = forms.CharField(label=_label("partner_consent_reference"), max_length=200)


class MemorandumTerminateView(ServiceFormView):
    model = Memorandum
    action = "view"
    form_class = TerminationForm
    title = gettext_lazy("Record a termination notice")
    submit = gettext_lazy("Record the notice")

    def get_initial(self):
        return {"notified_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        self.lead = _(
            "Either side may end the Memorandum by telling the other that it wishes to end it; "
            "it ends six months later. A notice given on %(day)s ends it on %(end)s."
        ) % {
            "day": date_format(today, "Y-m-d"),
            "end": date_format(add_months(today, TERMINATION_NOTICE_MONTHS), "Y-m-d"),
        }
        return super().get_context_data(**kwargs)

    def perform(self, form):
        memorandum = services.notify_termination(
            self.object, self.request.user, notified_on=form.cleaned_data["notified_on"]
        )
        self.success_message = _("Termination notice recorded: the Memorandum ends on %(end)s.") % {
            "end": date_format(memorandum.ends_on, "Y-m-d")
        }
        return memorandum


class AmendmentCreateView(ServiceFormView):
    model = Memorandum
    action = "view"
    form_class = AmendmentForm
    title = gettext_lazy("Record an amendment")
    lead = gettext_lazy(
        "The Memorandum may be amended or supplemented by written consent of both sides (clause 9): "
        "give the references of both sides' written consent."
    )
    submit = gettext_lazy("Record the amendment")
    success_message = gettext_lazy("Amendment recorded.")

    def perform(self, form):
        services.record_amendment(self.object, self.request.user, **form.cleaned_data)
        return self.object
