"""Thin tasks (STYLE.md §8) of consultations: the daily action-item reminders and the
briefing packs (``documents`` queue)."""

from celery import shared_task


@shared_task(name="notices.consultations.tasks.remind_action_items")
def remind_action_items() -> int:
    from .services import remind_action_items

    return remind_action_items()


@shared_task(name="notices.consultations.tasks.render_briefing_pack", acks_late=True)
def render_briefing_pack(pack_id: int) -> bool:
    from .packs import render_pack

    return render_pack(pack_id)


@shared_task(name="notices.consultations.tasks.render_waiting_packs")
def render_waiting_packs() -> int:
    from .packs import render_waiting

    return render_waiting()
