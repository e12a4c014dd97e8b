"""The kit's periodic and document jobs."""

from celery import shared_task


@shared_task(name="portal.records.tasks.remind_due_records")
def remind_due_records() -> int:
    from .services import remind_due_records

    return remind_due_records()


@shared_task(name="portal.records.tasks.render_consent_letter", acks_late=True)
def render_consent_letter(consent_id: int) -> bool:
    from .letters import render_letter

    return render_letter(consent_id)


@shared_task(name="portal.records.tasks.sweep_private_files")
def sweep_private_files() -> int:
    from .sweeps import remove_orphan_files

    return remove_orphan_files()


@shared_task(name="portal.records.tasks.render_missing_letters")
def render_missing_letters() -> int:
    from .letters import render_missing

    return render_missing()
