"""Records of the ``notices`` app: what Japan notifies and Tajikistan publishes (6(3),
7(5)) — improvement orders (``orders``) and the register of registered support
organizations with its imports (``register``) — and what the sides exchange and hold
together (4(2), 6(4), 7(6), 8): inquiries, consultations, acceptance suspensions and
return cases, under the memorandum's terms (``terms``)."""

from .consultations import *  # noqa: F403
from .inquiries import *  # noqa: F403
from .orders import *  # noqa: F403
from .register import *  # noqa: F403
from .returns import *  # noqa: F403
from .suspensions import *  # noqa: F403
from .terms import *  # noqa: F403
