"""Where attachments and consent letters are kept: a folder of their own
(``PRIVATE_MEDIA_ROOT``), with no URL — no web server route and no ``MEDIA_URL`` reaches
it. The only way out is a view that checks who asks (``portal.views.files``)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(**kwargs)

    # Read from the settings each time, so that a test (or a deployment that moves the
    # folder) is followed without rebuilding the storage.
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no URL: link to their download view")
