"""The inquiries part's officer pages, under /notices/inquiries/ in the ``notices`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.InquiryListView.as_view(), name="inquiries"),
    path("overdue/", views.InquiryOverdueView.as_view(), name="inquiries-overdue"),
    path("new/", views.InquiryCreateView.as_view(), name="inquiry-create"),
    path("<int:pk>/", views.InquiryDetailView.as_view(), name="inquiry"),
    path("<int:pk>/answer/", views.InquiryAnswerView.as_view(), name="inquiry-answer"),
]
