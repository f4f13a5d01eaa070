"""Declared resources of the petitions app."""
