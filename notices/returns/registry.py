"""What the returns part adds to the portal, registered at start-up (called by
``notices.registry``)."""


def register() -> None:
    pass
