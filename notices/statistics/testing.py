"""The statistics part's canary factories and permission-matrix rows (loaded by
notices.testing): none. The statistics are no record kind of their own and accept no
write; the canary crawl visits ``/notices/statistics/`` and ``/api/v1/statistics/`` as
every reader with the other kinds' marked records in place, and the figures hold no
text of a record, only counts (``notices/tests/test_statistics.py`` checks the counts
each reader gets)."""
