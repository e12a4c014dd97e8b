"""The statistics part's officer page, under /notices/statistics/ in the ``notices`` namespace."""

from django.urls import path

from . import views

urlpatterns = [path("", views.StatisticsView.as_view(), name="statistics")]
