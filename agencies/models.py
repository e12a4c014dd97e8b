"""Records of the `agencies` app; filled in by its own issue (see DESIGN.md, clause → app)."""
