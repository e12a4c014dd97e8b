"""Thin task (STYLE.md §8) of the pass-result imports: the import itself, asked for
through the outbox (``services.queue_import``)."""

from celery import shared_task


@shared_task(name="exams.results.tasks.import_pass_results", acks_late=True)
def import_pass_results(import_id: int) -> bool:
    from .services import run_import

    return run_import(import_id)


@shared_task(name="exams.results.tasks.import_waiting")
def import_waiting() -> int:
    from .services import run_waiting

    return run_waiting()
