from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.AgencyListView.as_view(), name="list"),
    path("new/", views.agency_create, name="create"),
    path("<int:pk>/", views.AgencyDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.AgencyEditView.as_view(), name="edit"),
    path("<int:pk>/screening/start/", views.StartScreeningView.as_view(), name="start-screening"),
    path("<int:pk>/screenings/<int:screening_id>/", views.screening_view, name="screening"),
    path("<int:pk>/certify/", views.CertifyView.as_view(), name="certify"),
    path("<int:pk>/reject/", views.RejectView.as_view(), name="reject"),
    path("<int:pk>/revoke/", views.RevokeView.as_view(), name="revoke"),
    path("<int:pk>/reapply/", views.ReapplyView.as_view(), name="reapply"),
    path("<int:pk>/guidance/", views.GuidanceView.as_view(), name="guidance"),
    path("<int:pk>/investigate/", views.ReportView.as_view(), name="report"),
    path("<int:pk>/events/<int:event_id>/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("investigations/", views.InvestigationListView.as_view(), name="investigations"),
    path("investigations/<int:pk>/", views.InvestigationDetailView.as_view(), name="investigation"),
    path("investigations/<int:pk>/assign/", views.AssignView.as_view(), name="assign"),
    path("investigations/<int:pk>/result/", views.ResultView.as_view(), name="result"),
]
