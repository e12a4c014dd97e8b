"""The Celery application. Tasks run eagerly in-process in embedded mode (no
``REDIS_URL``), on Redis-backed workers otherwise; see the CELERY_* settings.

Apps add their periodic tasks and task routes from ``AppConfig.ready()``
(``portal.hooks.register_beat`` / ``register_task_route``), not in the settings: beat
entries go into ``app.conf.beat_schedule`` through Celery's ``add_periodic_task``, and
``CELERY_TASK_ROUTES`` names ``route_registered_tasks`` below, a router that reads the
registered routes each time a task is sent."""

import os

from celery import Celery

from . import hooks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def route_registered_tasks(name, args, kwargs, options, task=None, **kw):
    """A Celery router (``task_routes``): the options an app registered for ``name``,
    or ``None`` to leave the task to the next router and the default queue."""
    return hooks.TASK_ROUTES.get(name)
