"""The notices app's test helpers, loaded by the canary crawl and the permission matrix
(``portal.testing``): each part registers its canary factories and matrix rows."""

from .orders import testing as _orders_testing  # noqa: F401
from .register import matrix as _register_matrix  # noqa: F401
