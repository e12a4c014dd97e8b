"""Records of the `exams` app; filled in by its own issue (see DESIGN.md, clause → app)."""
