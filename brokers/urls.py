"""The brokers app's officer pages (registered under /brokers/ by brokers.registry)."""

from django.urls import path

from . import views

app_name = "brokers"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="reports"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path("<int:pk>/", views.BrokerDetailView.as_view(), name="broker"),
]
