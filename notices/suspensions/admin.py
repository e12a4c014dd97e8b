"""Django admin of the suspensions part."""
