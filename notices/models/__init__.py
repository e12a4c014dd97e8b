"""Records of the ``notices`` app: what Japan notifies and Tajikistan publishes (6(3),
7(5)) — improvement orders (``orders``) and the register of registered support
organizations with its imports (``register``)."""

from .orders import *  # noqa: F403
from .register import *  # noqa: F403
