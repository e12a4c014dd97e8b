"""The public site: no account, no confidential data, nothing heavy on the request path."""

from django.views.generic import TemplateView

from .. import hooks
from ..models import Memorandum


class PublicIndexView(TemplateView):
    template_name = "public/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Public facts about the Memorandum itself (title, signature, commencement).
        context["memoranda"] = Memorandum.objects.order_by("pk")
        # What each app publishes (registered from its AppConfig: portal.hooks).
        for name, provider in hooks.PUBLIC_INDEX.items():
            context[name] = provider()
        return context
