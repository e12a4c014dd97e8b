"""Django admin of the consultations part."""
