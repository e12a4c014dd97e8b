"""The brokers app's officer pages (registered under /brokers/ by brokers.registry)."""

from django.urls import path

from . import exports, views

app_name = "brokers"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="reports"),
    path("reports.csv", exports.ReportListCSVView.as_view(), name="reports-csv"),
    path("reports.pdf", exports.ReportListPDFView.as_view(), name="reports-pdf"),
    path("reports/new/", views.ReportCreateView.as_view(), name="report-create"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path("reports/<int:pk>/report.pdf", exports.ReportPDFView.as_view(), name="report-pdf"),
    path("reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="report-edit"),
    path("reports/<int:pk>/share/", views.ReportShareView.as_view(), name="report-share"),
    path("reports/<int:pk>/withdraw/", views.ReportWithdrawView.as_view(), name="report-withdraw"),
    path("reports/<int:pk>/link/", views.ReportLinkView.as_view(), name="report-link"),
    path("reports/<int:pk>/close/", views.ReportCloseView.as_view(), name="report-close"),
    path("brokers/", views.BrokerListView.as_view(), name="brokers"),
    path("brokers/new/", views.BrokerCreateView.as_view(), name="broker-create"),
    path("<int:pk>/", views.BrokerDetailView.as_view(), name="broker"),
    path("<int:pk>/names/", views.BrokerNamesView.as_view(), name="broker-names"),
    path("<int:pk>/share/", views.BrokerShareView.as_view(), name="broker-share"),
    path("<int:pk>/merge/", views.BrokerMergeView.as_view(), name="broker-merge"),
]
