"""The suspensions part's officer pages, under /notices/suspensions/ in the ``notices`` namespace."""

urlpatterns: list = []
