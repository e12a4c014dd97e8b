"""The returns part's officer pages, under /notices/returns/ in the ``notices`` namespace."""

urlpatterns: list = []
