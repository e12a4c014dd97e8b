"""What the results part adds to the portal, registered at start-up (called by
``exams.registry``). A stub until the part is built."""


def register() -> None:
    pass
