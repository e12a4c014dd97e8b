"""Models of the consultations part (issue 13); see notices/consultations/."""

__all__: list[str] = []
