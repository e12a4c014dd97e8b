"""Officer pages of brokers and their misconduct reports (placeholder: filled in by the pages' work)."""

from portal.records.views import SharedRecordPanelsMixin
from portal.views.base import RestrictedDetailView, RestrictedListView

from .models import Broker, MisconductReport


class ReportListView(RestrictedListView):
    model = MisconductReport
    template_name = "brokers/report_list.html"


class ReportDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = MisconductReport
    template_name = "brokers/report_detail.html"


class BrokerDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = Broker
    template_name = "brokers/broker_detail.html"
