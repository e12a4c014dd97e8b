"""Thin tasks (STYLE.md §8): load, call one service."""

from celery import shared_task

from . import outbox, services


@shared_task(name="portal.tasks.drain_outbox")
def drain_outbox() -> int:
    """Triggered after each commit that wrote to the outbox, and by the periodic sweep."""
    return outbox.drain()


@shared_task(name="portal.tasks.expire_consents")
def expire_consents() -> int:
    return services.revoke_lapsed_consents()
