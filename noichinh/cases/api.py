"""API of the cases app (registered on the core router)."""
