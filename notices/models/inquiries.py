"""Models of the inquiries part (issue 13); see notices/inquiries/."""

__all__: list[str] = []
