"""The notices app's officer pages, under /notices/ (registered by notices.registry)."""

from django.urls import include, path

app_name = "notices"

urlpatterns = [
    path("orders/", include("notices.orders.urls")),
    path("register/", include("notices.register.urls")),
    path("inquiries/", include("notices.inquiries.urls")),
    path("consultations/", include("notices.consultations.urls")),
    path("statistics/", include("notices.statistics.urls")),
    path("suspensions/", include("notices.suspensions.urls")),
    path("returns/", include("notices.returns.urls")),
]
