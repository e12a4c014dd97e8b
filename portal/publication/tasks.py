"""Thin tasks (STYLE.md §8) of the publication component; publishing itself is asked
for through the outbox (``publishing.request``)."""

from celery import shared_task

from . import lists, publishing


@shared_task(
    name="publication.tasks.render_documents",
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=20,
)
def render_documents(publication_id: int) -> bool:
    """The CSV, HTML and PDF of a published version, on the ``documents`` queue."""
    return publishing.render_documents(publication_id)


@shared_task(
    name="publication.tasks.publish_side",
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=20,
)
def publish_side(list_name: str, memorandum_id: int, side_id: int, item_ids: list[int] | None = None) -> int:
    """A new version of one side's list, if its content changed; idempotent."""
    from portal.models import Memorandum

    memorandum = Memorandum.objects.get(pk=memorandum_id)
    return int(publishing.publish_side(lists.get(list_name), memorandum, side_id, item_ids) is not None)


@shared_task(name="publication.tasks.publish_overdue")
def publish_overdue() -> int:
    """Every 30 s: the lists and sides whose publish task was lost with its worker."""
    return publishing.publish_overdue()


@shared_task(name="publication.tasks.publish_if_changed")
def publish_if_changed() -> int:
    """Periodic safety net: publish any list behind the register."""
    return publishing.publish_if_changed()


@shared_task(name="publication.tasks.resend_missing_documents")
def resend_missing_documents() -> int:
    return publishing.resend_missing_documents()


@shared_task(name="publication.tasks.render_missing_documents")
def render_missing_documents() -> int:
    """Every minute, on the ``documents`` queue: renders lost with their worker."""
    return publishing.render_missing_documents()


@shared_task(name="publication.tasks.sweep_media")
def sweep_media() -> int:
    """Hourly, on the ``documents`` queue: the retention policy for superseded
    versions' documents, then the files that no version names."""
    return publishing.prune_superseded_documents() + publishing.remove_orphan_files()
