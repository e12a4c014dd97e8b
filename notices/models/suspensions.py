"""Models of the suspensions part (issue 13); see notices/suspensions/."""

__all__: list[str] = []
