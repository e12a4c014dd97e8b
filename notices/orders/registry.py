from portal import hooks  # noqa: F401


def register() -> None:
    """Filled in by this part: API routes, audit actions, inbox kinds, beat, seeder."""
