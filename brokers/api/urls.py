"""The brokers app's API routes (registered by brokers.registry)."""

ROUTES = []
