"""Public URLs, included under /public/agencies/ in the ``public`` namespace. These are a
public contract (DESIGN.md): keep them stable."""

from django.urls import path

from . import public_views as views

urlpatterns = [
    path("<slug:side_code>/", views.agency_list, name="agency-list"),
    path("<slug:side_code>/feed.atom", views.agency_feed, name="agency-feed"),
    path("<slug:side_code>/current.<str:kind>", views.current_file, name="agency-current-file"),
    path("<slug:side_code>/versions/", views.agency_versions, name="agency-versions"),
    path("<slug:side_code>/versions/<int:version>/", views.agency_version, name="agency-version"),
    path("<slug:side_code>/versions/<int:version>.<str:kind>", views.agency_file, name="agency-file"),
    path("<slug:side_code>/agency/<str:key>/", views.agency_detail, name="agency-detail"),
]
