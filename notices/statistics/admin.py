"""Django admin of the statistics part."""
