"""Officer pages of certificate checks (5): the check form with the organization's
recent checks, a check's answer, and the batch check (upload, its lines, their CSV).

A check is a service (``exams.checks.services``) asked through ``ServiceFormView``: a
refusal (bad input, the rate limit, a role that does not check) is shown above the form.
Reads go through ``restrict()``: another organization's check or batch is a 404. Nothing
of the register is on any page: an outcome and the names of the fields that differ."""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from portal.views.base import RestrictedDetailView, ServiceFormView, audit_denied

from ..choices import CheckedField, CheckOutcome
from ..models import CertificateCheck
from . import policies, services
from .forms import BatchForm, CheckForm

#: How many of the organization's checks the check page lists.
RECENT = 20


def _fraud_link(user, check) -> str:
    """Where a writer opens a fraud report pre-filled from a check that did not match or
    was not found (the fraud part reads the check's entered values from ``?check=``)."""
    if check.outcome == CheckOutcome.MATCHES or not policies.can(policies.check_fraud_report, user, check):
        return ""
    return f"{reverse('exams:fraud-create')}?check={check.pk}"


def _may_open(user) -> bool:
    return user.is_superuser or policies.of_a_side(user)


class CheckView(ServiceFormView):
    """The check form, and below it the organization's recent checks."""

    form_class = CheckForm
    template_name = "exams/checks/check_form.html"
    title = gettext_lazy("Certificate checks")
    submit = gettext_lazy("Check the certificate")

    def allowed(self, user) -> bool:
        return _may_open(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_check"] = policies.can(policies.check_checker, user, None)
        context["recent"] = list(
            CertificateCheck.objects.restrict(user).select_related("exam", "user")[:RECENT]
        )
        context["per_hour"] = services.checks_per_hour()
        return context

    def perform(self, form):
        return services.check_certificate(self.request.user, **form.cleaned_data)


class CheckDetailView(RestrictedDetailView):
    model = CertificateCheck
    template_name = "exams/checks/check_detail.html"
    context_object_name = "check"

    def get_queryset(self):
        return super().get_queryset().select_related("exam", "user")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        check = self.object
        context["differs"] = [CheckedField(name).label for name in check.differing_fields]
        context["fraud_url"] = _fraud_link(self.request.user, check)
        return context


class BatchView(ServiceFormView):
    form_class = BatchForm
    template_name = "exams/checks/batch_form.html"
    title = gettext_lazy("Check a batch of certificates")
    submit = gettext_lazy("Check the file")

    def allowed(self, user) -> bool:
        return _may_open(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_check"] = policies.can(policies.check_checker, self.request.user, None)
        context["columns"] = ",".join(services.COLUMNS)
        context["max_lines"] = services.MAX_BATCH_LINES
        return context

    def perform(self, form):
        return services.check_batch(self.request.user, form.cleaned_data["file"])

    def get_success_url(self, result=None) -> str:
        return reverse("exams:checks-batch-result", args=[result.id])


def _lines_or_404(request, batch):
    lines = services.batch_lines(request.user, batch)
    if lines is None:
        audit_denied(request.user, CertificateCheck, str(batch))
        raise Http404
    return lines


class BatchResultView(TemplateView):
    template_name = "exams/checks/batch_result.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = _lines_or_404(self.request, kwargs["batch"])
        context["batch"] = kwargs["batch"]
        return context


CSV_HEADER = ("line", "test", "certificate_number", "outcome", "fields_that_differ", "reason_not_checked")


def batch_csv(request, batch):
    """The batch's lines as CSV (UTF-8 with BOM, for spreadsheet programs)."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    lines = _lines_or_404(request, batch)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="certificate-checks-{batch}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for line in lines:
        writer.writerow(
            [line.line, line.test, line.certificate_number, line.outcome, " ".join(line.differs), line.reason]
        )
    return response
