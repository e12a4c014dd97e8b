"""The notices app's officer pages, under /notices/ (registered by notices.registry)."""

from django.urls import include, path

app_name = "notices"

urlpatterns = [
    path("orders/", include("notices.orders.urls")),
    path("register/", include("notices.register.urls")),
]
