"""The notices app's test helpers, loaded by the canary crawl and the permission matrix
(``portal.testing``): each part registers its canary factories and matrix rows."""

from .consultations import testing as _consultations_testing  # noqa: F401
from .inquiries import testing as _inquiries_testing  # noqa: F401
from .orders import testing as _orders_testing  # noqa: F401
from .register import matrix as _register_matrix  # noqa: F401
from .returns import testing as _returns_testing  # noqa: F401
from .statistics import testing as _statistics_testing  # noqa: F401
from .suspensions import testing as _suspensions_testing  # noqa: F401
