"""Helpers for the sessions part's tests (canary factories, matrix rows). A stub until the part is built."""
