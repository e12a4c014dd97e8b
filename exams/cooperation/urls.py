"""The cooperation requests' officer pages, under /exams/cooperation/ in the ``exams`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.CooperationListView.as_view(), name="cooperations"),
    path("new/", views.CooperationCreateView.as_view(), name="cooperation-create"),
    path("<int:pk>/", views.CooperationDetailView.as_view(), name="cooperation"),
    path("<int:pk>/answer/", views.CooperationAnswerView.as_view(), name="cooperation-answer"),
    path("<int:pk>/complete/", views.CooperationCompleteView.as_view(), name="cooperation-complete"),
    path("<int:pk>/cancel/", views.CooperationCancelView.as_view(), name="cooperation-cancel"),
]
