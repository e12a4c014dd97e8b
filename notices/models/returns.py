"""Models of the returns part (issue 13); see notices/returns/."""

__all__: list[str] = []
