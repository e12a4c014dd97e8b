"""The test sessions' officer pages, under /exams/sessions/ in the ``exams`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.SessionListView.as_view(), name="sessions"),
    path("new/", views.SessionCreateView.as_view(), name="session-create"),
    path("<int:pk>/", views.SessionDetailView.as_view(), name="session"),
    path("<int:pk>/edit/", views.SessionEditView.as_view(), name="session-edit"),
]
