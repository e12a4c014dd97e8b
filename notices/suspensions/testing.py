"""The suspensions part's canary factories and permission-matrix rows (loaded by notices.testing)."""
