"""Declared resources of the reports app."""
