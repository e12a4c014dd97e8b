"""Records of the `brokers` app; filled in by its own issue (see DESIGN.md, clause → app)."""
