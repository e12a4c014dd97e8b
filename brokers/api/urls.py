"""The brokers app's API routes, registered on the portal's /api/v1/ router by
``brokers.registry`` (portal/api/urls.py)."""

from . import views

ROUTES = [
    ("brokers", views.BrokerViewSet, "broker"),
    ("broker-reports", views.MisconductReportViewSet, "broker-report"),
]
