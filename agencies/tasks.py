"""Thin tasks (STYLE.md §8); publication itself runs from the outbox."""

from celery import shared_task

from . import services


@shared_task(name="agencies.tasks.expire_certifications")
def expire_certifications() -> int:
    return services.expire_certifications()


@shared_task(name="agencies.tasks.remind_due_investigations")
def remind_due_investigations() -> int:
    return services.remind_due_investigations()
