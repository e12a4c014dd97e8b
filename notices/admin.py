"""Admin of the notices app: each part's own (``orders.admin``, ``register.admin``)."""

from .orders import admin as _orders  # noqa: F401
from .register import admin as _register  # noqa: F401
