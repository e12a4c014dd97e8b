"""gunicorn's settings file, read from the working directory by default (the image's
and ``make run``'s command lines run from the project's root)."""


def post_worker_init(worker):
    """Each worker, once the application is loaded: the publication component's start-up
    hook (the current versions decoded, then frozen out of the garbage collector's
    reach: ``portal.publication.startup``)."""
    from portal.publication.startup import serving_process_started

    serving_process_started()
