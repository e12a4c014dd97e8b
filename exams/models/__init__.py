"""Records of the ``exams`` app (clause 5): the tests as reference data and the sessions
held in the partner country (``reference``); cooperation requests (``cooperation``);
fraud reports (``fraud``); and the register of pass results with the certificate checks
made against it (``results``)."""

from .cooperation import *  # noqa: F403
from .fraud import *  # noqa: F403
from .reference import *  # noqa: F403
from .results import *  # noqa: F403
