from django.http import FileResponse, HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    return HttpResponse("ok")


def plain_file(request, pk: int):
    """The same attachment served with no check at all: what a static file costs Django."""
    from portal.records.models import Attachment

    attachment = Attachment.objects.get(pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


urlpatterns = [
    path("bench/trivial", trivial),
    path("bench/plain-file/<int:pk>", plain_file),
    *portal_urlpatterns,
]
