"""Improvement orders (6(3), 7(5))."""
