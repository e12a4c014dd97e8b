"""The returns part's periodic job (registered by ``registry`` with ``hooks.register_beat``)."""

from celery import shared_task


@shared_task(name="notices.returns.tasks.erase_personal_data")
def erase_personal_data() -> int:
    from .services import erase_personal_data as erase

    return erase()
