"""Improvement orders' pages, under /notices/orders/ in the ``notices`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.OrderListView.as_view(), name="orders"),
    path("new/", views.OrderCreateView.as_view(), name="order-create"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="order"),
    path("<int:pk>/correct/", views.OrderCorrectView.as_view(), name="order-correct"),
    path("<int:pk>/withdraw/", views.OrderWithdrawView.as_view(), name="order-withdraw"),
]
