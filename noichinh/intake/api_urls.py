"""The intake API (`/api/intake/...`)."""

from typing import Any

urlpatterns: list[Any] = []
