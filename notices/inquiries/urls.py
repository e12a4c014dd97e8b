"""The inquiries part's officer pages, under /notices/inquiries/ in the ``notices`` namespace."""

urlpatterns: list = []
