"""Django admin of the returns part."""
