"""Thin tasks (STYLE.md §8); publication is the component's (``portal.publication``)."""

from celery import shared_task

from . import services


@shared_task(name="agencies.tasks.expire_certifications")
def expire_certifications() -> int:
    return services.expire_certifications()
