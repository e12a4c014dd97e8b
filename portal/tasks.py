"""Thin tasks (STYLE.md §8): load, call one service."""

from celery import shared_task

from . import audit_chain, services

# Defined with the outbox, which sends it after each commit that wrote to it; listed here
# with the others.
from .outbox import drain_outbox  # noqa: F401


@shared_task(name="portal.tasks.expire_consents")
def expire_consents() -> int:
    return services.revoke_lapsed_consents()


@shared_task(name="portal.tasks.publish_audit_head")
def publish_audit_head() -> dict:
    """Daily: the chain head to both contact points."""
    return audit_chain.publish_head()


@shared_task(name="portal.tasks.verify_audit")
def verify_audit() -> bool:
    """Daily: walk the chain; on a break both contact points are alerted."""
    return audit_chain.verify_and_alert().ok
