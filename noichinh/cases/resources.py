"""Declared resources of the cases app."""
