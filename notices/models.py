"""Records of the `notices` app; filled in by its own issue (see DESIGN.md, clause → app)."""
