"""The register's officer pages, under /notices/register/ in the ``notices`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="register-organizations"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="register-organization"),
    path("imports/", views.ImportListView.as_view(), name="register-imports"),
    path("imports/new/", views.ImportCreateView.as_view(), name="import-create"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="register-import"),
    path("imports/<int:pk>/apply/", views.ImportApplyView.as_view(), name="import-apply"),
    path("imports/<int:pk>/withdraw/", views.ImportWithdrawView.as_view(), name="import-withdraw"),
]
