"""API of the reports app (registered on the core router)."""
