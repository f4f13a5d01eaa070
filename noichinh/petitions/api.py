"""API of the petitions app (registered on the core router)."""
