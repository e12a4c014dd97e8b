"""The brokers app's periodic job (registered in ``brokers.registry``)."""

from celery import shared_task

from . import services


@shared_task(name="brokers.tasks.remind_unacknowledged")
def remind_unacknowledged() -> int:
    """Daily: remind the receiving side of shared reports still awaiting acknowledgement."""
    return services.remind_unacknowledged()
