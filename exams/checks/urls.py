"""The checks part's officer pages, in the ``exams`` namespace. A stub until the part is built."""

from django.urls import path
from django.views.generic import TemplateView

urlpatterns = [
    path("", TemplateView.as_view(template_name="404.html"), name="checks"),
]
