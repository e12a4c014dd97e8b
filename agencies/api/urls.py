"""Registered on the portal's /api/v1/ router (portal/api/urls.py)."""

from . import views

ROUTES = [
    ("agencies", views.SendingAgencyViewSet, "agency"),
    ("screenings", views.ScreeningViewSet, "screening"),
    ("investigations", views.InvestigationViewSet, "investigation"),
    ("published-agency-lists", views.PublishedListViewSet, "published-agency-list"),
]
