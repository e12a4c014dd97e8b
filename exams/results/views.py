"""The pass-result imports' pages, under /exams/results/: the organization's imports,
the upload, and one import with its counts and refused lines (refreshing itself while
it is queued; no script). The register's rows are on no page (admin alone)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from portal.views.base import RestrictedDetailView, RestrictedListView, ServiceFormView

from ..choices import ImportStatus
from ..models import ResultImport
from . import policies, services
from .forms import UploadForm
from .reading import HEADER

#: Seconds between refreshes of a queued import's page.
REFRESH_SECONDS = 5


class ImportListView(RestrictedListView):
    model = ResultImport
    template_name = "exams/results/import_list.html"
    context_object_name = "imports"
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().defer("errors")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = policies.can(policies.check_import, self.request.user, None)
        return context


class ImportDetailView(RestrictedDetailView):
    model = ResultImport
    template_name = "exams/results/import_detail.html"
    context_object_name = "record"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["queued"] = self.object.status == ImportStatus.QUEUED
        context["refresh_seconds"] = REFRESH_SECONDS
        context["errors_kept"] = services.MAX_ERRORS
        return context


class ImportCreateView(ServiceFormView):
    form_class = UploadForm
    template_name = "exams/results/import_form.html"
    title = gettext_lazy("Import pass results")
    lead = gettext_lazy(
        "A test body's CSV file of pass results. The file is imported in the background: its "
        "page shows how many results it added or changed and each line it refused, and your "
        "inbox tells you when it is done."
    )
    submit = gettext_lazy("Upload and import")
    success_message = gettext_lazy("The file is uploaded; its import is queued.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_import, user, None)

    def get_context_data(self, **kwargs):
        return super().get_context_data(header=HEADER, **kwargs)

    def perform(self, form):
        return services.upload(self.request.user, form.cleaned_data["file"])
