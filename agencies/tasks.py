"""Thin tasks (STYLE.md §8); publication itself runs from the outbox."""

from celery import shared_task

from . import publication, services


@shared_task(name="agencies.tasks.expire_certifications")
def expire_certifications() -> int:
    return services.expire_certifications()


@shared_task(name="agencies.tasks.remind_due_investigations")
def remind_due_investigations() -> int:
    return services.remind_due_investigations()


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


@shared_task(name="agencies.tasks.resend_missing_documents")
def resend_missing_documents() -> int:
    return publication.resend_missing_documents()
