"""The statistics part's officer pages, under /notices/statistics/ in the ``notices`` namespace."""

urlpatterns: list = []
