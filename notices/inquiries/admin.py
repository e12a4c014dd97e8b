"""Django admin of the inquiries part."""
