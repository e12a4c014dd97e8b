"""Admin of the exams app: each part's own."""

from .checks import admin as _checks  # noqa: F401
from .cooperation import admin as _cooperation  # noqa: F401
from .fraud import admin as _fraud  # noqa: F401
from .results import admin as _results  # noqa: F401
from .sessions import admin as _sessions  # noqa: F401
