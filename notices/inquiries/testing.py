"""The inquiries part's canary factories and permission-matrix rows (loaded by notices.testing)."""
