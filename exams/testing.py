"""The exams app's test helpers, loaded by the canary crawl and the permission matrix
(``portal.testing``): each part registers its canary factories and matrix rows."""

from .checks import testing as _checks_testing  # noqa: F401
from .cooperation import testing as _cooperation_testing  # noqa: F401
from .fraud import testing as _fraud_testing  # noqa: F401
from .results import testing as _results_testing  # noqa: F401
from .sessions import testing as _sessions_testing  # noqa: F401
