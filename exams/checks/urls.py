"""The checks part's officer pages, under /exams/checks/ in the ``exams`` namespace;
``checks`` is the app's menu entry."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.CheckView.as_view(), name="checks"),
    path("<int:pk>/", views.CheckDetailView.as_view(), name="check"),
    path("batch/", views.BatchView.as_view(), name="checks-batch"),
    path("batch/<uuid:batch>/", views.BatchResultView.as_view(), name="checks-batch-result"),
    path("batch/<uuid:batch>.csv", views.batch_csv, name="checks-batch-csv"),
]
