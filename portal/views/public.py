"""The public site: no account, no confidential data, nothing heavy on the request path."""

from django.views.generic import TemplateView

from ..models import Memorandum


class PublicIndexView(TemplateView):
    template_name = "public/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Public facts about the Memorandum itself (title, signature, commencement).
        context["memoranda"] = Memorandum.objects.order_by("pk")
        context["agency_lists"] = latest_agency_lists()
        return context


def latest_agency_lists():
    """The latest version of each side's certified-agency list (a query per side)."""
    from agencies.models import Publication
    from portal.models import Side

    latest = (
        Publication.objects.filter(side=side)
        .order_by("-version")
        .only("side", "version", "published_at")
        .first()
        for side in Side.objects.order_by("pk")
    )
    return [publication for publication in latest if publication is not None]
