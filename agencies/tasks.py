"""Thin tasks (STYLE.md §8); publication itself runs from the outbox."""

from celery import shared_task

from . import publication, services


@shared_task(name="agencies.tasks.expire_certifications")
def expire_certifications() -> int:
    return services.expire_certifications()


@shared_task(
    name="agencies.tasks.render_documents",
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=20,
)
def render_documents(publication_id: int) -> bool:
    """The CSV, HTML and PDF of a published version, on the ``documents`` queue."""
    return publication.render_documents(publication_id)


@shared_task(
    name="agencies.tasks.publish_side",
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=20,
)
def publish_side(memorandum_id: int, side_id: int, agency_ids: list[int] | None = None) -> int:
    """A new version of one side's list, if its content changed; idempotent."""
    from portal.models import Memorandum

    memorandum = Memorandum.objects.get(pk=memorandum_id)
    return int(publication.publish_side(memorandum, side_id, agency_ids) is not None)


@shared_task(name="agencies.tasks.publish_overdue")
def publish_overdue() -> int:
    """Every 30 s: the sides whose publish task was lost with its worker."""
    return publication.publish_overdue()


@shared_task(name="agencies.tasks.publish_if_changed")
def publish_if_changed() -> int:
    """Periodic safety net: publish any side whose list is behind the register (a
    publish task lost with a Redis restart). Costs one snapshot when nothing changed."""
    from portal.models import Memorandum

    return sum(len(publication.publish_lists(memorandum)) for memorandum in Memorandum.objects.all())


@shared_task(name="agencies.tasks.resend_missing_documents")
def resend_missing_documents() -> int:
    return publication.resend_missing_documents()


@shared_task(name="agencies.tasks.render_missing_documents")
def render_missing_documents() -> int:
    """Every minute, on the ``documents`` queue: renders lost with their worker."""
    return publication.render_missing_documents()


@shared_task(name="agencies.tasks.sweep_publication_media")
def sweep_publication_media() -> int:
    """Hourly, on the ``documents`` queue: the retention policy for superseded
    versions' documents, then the files that no version names."""
    return publication.prune_superseded_documents() + publication.remove_orphan_files()
