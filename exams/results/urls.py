"""The pass-result imports' pages, under /exams/results/ in the ``exams`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ImportListView.as_view(), name="imports"),
    path("new/", views.ImportCreateView.as_view(), name="import-create"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="import"),
]
