"""The returns part's officer pages, under /notices/returns/ in the ``notices`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ReturnListView.as_view(), name="returns"),
    path("new/", views.ReturnCreateView.as_view(), name="return-create"),
    path("<int:pk>/", views.ReturnDetailView.as_view(), name="return"),
    path("<int:pk>/persons/new/", views.PersonAddView.as_view(), name="return-person"),
    path("<int:pk>/steps/new/", views.StepRecordView.as_view(), name="return-step"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="return-close"),
]
