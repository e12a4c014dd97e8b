"""The statistics page for officers (``notices:statistics``): the period form, then each
figure as a chart and the table beside it. Signed-in users only; every number is counted
from what the reader may read (``figures.compute``), so the page needs no rule of its
own about who sees what."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .figures import compute
from .forms import PeriodForm


def memorandum_of(user):
    """The reader's memorandum: their side's; a third party's or a superuser's is the
    current one (one today)."""
    organization = getattr(user, "organization", None) if getattr(user, "organization_id", None) else None
    if organization is not None and organization.side_id:
        return organization.side.memorandum
    from portal.services import current_memorandum

    return current_memorandum()


class StatisticsView(LoginRequiredMixin, TemplateView):
    template_name = "notices/statistics/statistics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PeriodForm(self.request.GET)
        statistics = None
        if form.is_valid():
            start, end = form.period()
            statistics = compute(
                self.request.user, memorandum=memorandum_of(self.request.user), start=start, end=end
            )
        context.update(form=form, statistics=statistics)
        return context

    def render_to_response(self, context, **kwargs):
        # A refused period is the reader's input: a 400 with the form and its message.
        if context["statistics"] is None:
            kwargs.setdefault("status", 400)
        return super().render_to_response(context, **kwargs)
