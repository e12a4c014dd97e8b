"""The consultations' pages, under /notices/consultations/ in the ``notices`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ConsultationListView.as_view(), name="consultations"),
    path("new/", views.ConsultationCreateView.as_view(), name="consultation-create"),
    path("<int:pk>/", views.ConsultationDetailView.as_view(), name="consultation"),
    path("<int:pk>/edit/", views.ConsultationEditView.as_view(), name="consultation-edit"),
    path("<int:pk>/participants/", views.ParticipantView.as_view(), name="consultation-participant"),
    path("<int:pk>/agenda/", views.AgendaItemView.as_view(), name="consultation-agenda"),
    path("<int:pk>/agenda/<int:agenda_item>/link/", views.LinkView.as_view(), name="consultation-link"),
    path("<int:pk>/minutes/", views.MinutesView.as_view(), name="consultation-minutes"),
    path("<int:pk>/agree/", views.AgreeView.as_view(), name="consultation-agree"),
    path("<int:pk>/action-items/", views.ActionItemView.as_view(), name="consultation-action-item"),
    path(
        "<int:pk>/action-items/<int:action_item>/close/",
        views.CloseActionItemView.as_view(),
        name="consultation-action-item-close",
    ),
    path("<int:pk>/packs/", views.PackRequestView.as_view(), name="consultation-pack-request"),
    path("<int:pk>/packs/<int:pack>/", views.PackStatusView.as_view(), name="consultation-pack"),
    path("<int:pk>/packs/<int:pack>/pdf/", views.PackDownloadView.as_view(), name="consultation-pack-pdf"),
]
