"""The exams app's officer pages, under /exams/ (registered by exams.registry)."""

from django.urls import include, path

app_name = "exams"

urlpatterns = [
    path("checks/", include("exams.checks.urls")),
    path("results/", include("exams.results.urls")),
    path("fraud/", include("exams.fraud.urls")),
    path("cooperation/", include("exams.cooperation.urls")),
    path("sessions/", include("exams.sessions.urls")),
]
