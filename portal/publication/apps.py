from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def latest_versions() -> list[dict]:
    """For the public index: each declared list with the latest version of each side
    that publishes it (a query per list and side)."""
    from portal.models import Side

    from . import lists
    from .models import Publication

    listed = []
    for published_list in lists.all_lists():
        versions = [
            version
            for side in Side.objects.order_by("pk")
            if (
                version := Publication.objects.filter(list_name=published_list.name, side=side)
                .order_by("-version")
                .only("side", "version", "published_at")
                .first()
            )
            is not None
        ]
        listed.append({"list": published_list, "urls": published_list.urls, "versions": versions})
    return listed


class PublicationConfig(AppConfig):
    """The publication component (DESIGN.md principles 6 and 9): numbered, hashed,
    immutable versions of every list the sides publish, declared by the apps
    (``portal.publication.lists``)."""

    name = "portal.publication"
    label = "publication"
    verbose_name = _("Publication")

    def ready(self) -> None:
        from django.conf import settings

        from portal import audit, hooks

        from . import publishing  # noqa: F401 - its outbox handlers

        audit.register("publication.published", _("List version published"))
        hooks.register_public_index("published_lists", latest_versions)
        hooks.register_beat(
            "publication-sweep", "publication.tasks.publish_if_changed", timedelta(minutes=10)
        )
        # A publication or a render lost with its worker (issue 15). Each message expires
        # by the next: after a long outage one sweep runs, not one per missed interval.
        sweep = settings.PUBLICATION_SWEEP_SECONDS
        hooks.register_beat(
            "publication-overdue",
            "publication.tasks.publish_overdue",
            timedelta(seconds=sweep),
            expires=sweep,
        )
        documents = settings.PUBLICATION_DOCUMENTS_SWEEP_SECONDS
        hooks.register_beat(
            "publication-documents-sweep",
            "publication.tasks.render_missing_documents",
            timedelta(seconds=documents),
            queue="documents",
            expires=documents,
        )
        hooks.register_beat(
            "publication-media-sweep",
            "publication.tasks.sweep_media",
            timedelta(hours=1),
            queue="documents",
            expires=60 * 60,
        )
        # Long renders (the PDF of a whole list) have their own queue and worker, so
        # that they never hold up the outbox: `celery worker -Q documents`
        # (docker-compose: worker-documents).
        hooks.register_task_route("publication.tasks.render_documents", queue="documents")
