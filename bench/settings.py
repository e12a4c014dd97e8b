"""Settings for the benchmarks: the portal's, plus a trivial view to compare against."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
