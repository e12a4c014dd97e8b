"""The consultations part's officer pages, under /notices/consultations/ in the ``notices`` namespace."""

urlpatterns: list = []
