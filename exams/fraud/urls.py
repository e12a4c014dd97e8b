"""The fraud part's officer pages, in the ``exams`` namespace (under /exams/fraud/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.FraudListView.as_view(), name="frauds"),
    path("new/", views.FraudCreateView.as_view(), name="fraud-create"),
    path("<int:pk>/", views.FraudDetailView.as_view(), name="fraud"),
    path("<int:pk>/edit/", views.FraudEditView.as_view(), name="fraud-edit"),
    path("<int:pk>/share/", views.FraudShareView.as_view(), name="fraud-share"),
    path("<int:pk>/withdraw/", views.FraudWithdrawView.as_view(), name="fraud-withdraw"),
    path("<int:pk>/link/", views.FraudLinkView.as_view(), name="fraud-link"),
    path("<int:pk>/close/", views.FraudCloseView.as_view(), name="fraud-close"),
]
