"""Files in the private folder that no row names: a file saved by a service whose
transaction then rolled back (a refused share after the upload, a failed save), or a
letter whose row update failed. Deleted by an hourly sweep once older than
``PRIVATE_ORPHAN_MINUTES`` — a service in progress names its file when it commits,
well within that."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from portal.models import DisclosureConsent

from .models import Attachment, private_storage


def referenced_files() -> set[str]:
    names = set(Attachment.objects.values_list("file", flat=True))
    names.update(DisclosureConsent.objects.exclude(letter="").values_list("letter", flat=True))
    return names


def _walk(storage, folder: str = ""):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in folders:
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def remove_orphan_files(older_than_minutes: int | None = None) -> int:
    minutes = settings.PRIVATE_ORPHAN_MINUTES if older_than_minutes is None else older_than_minutes
    storage = private_storage()
    try:
        storage.listdir("")
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - timedelta(minutes=minutes)
    referenced = referenced_files()  # read before the walk: a file named later is fresh
    removed = 0
    for name in list(_walk(storage)):
        if name not in referenced and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
            removed += 1
    return removed
