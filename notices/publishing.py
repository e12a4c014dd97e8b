"""The public lists Tajikistan publishes from the notices app (7(5)): improvement orders
and registered support organizations, declared on the portal's publication component.

The services call ``orders_changed`` / ``register_changed`` in the transaction that
changes what a list shows."""


def orders_changed(memorandum, order_ids) -> None:
    """An improvement order was recorded, corrected or withdrawn."""


def register_changed(memorandum) -> None:
    """A register import was applied."""
