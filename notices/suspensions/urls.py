"""The suspensions part's officer pages, under /notices/suspensions/ in the ``notices`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.SuspensionListView.as_view(), name="suspensions"),
    path("new/", views.SuspensionCreateView.as_view(), name="suspension-create"),
    path("<int:pk>/", views.SuspensionDetailView.as_view(), name="suspension"),
    path("<int:pk>/correct/", views.SuspensionCorrectView.as_view(), name="suspension-correct"),
    path("<int:pk>/lift/", views.SuspensionLiftView.as_view(), name="suspension-lift"),
]
