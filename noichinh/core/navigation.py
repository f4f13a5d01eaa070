"""The side navigation, in the order UI.md gives. An area shows only when it exists (its app
registers it) and the user may see something in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Area:
    key: str
    label: str | Promise
    url_name: str
    order: int
    visible: Callable[[Any], bool]


_areas: dict[str, Area] = {}


def register_area(area: Area) -> None:
    _areas[area.key] = area


def areas_for(user: Any) -> list[dict[str, Any]]:
    items = []
    for area in sorted(_areas.values(), key=lambda a: a.order):
        if user.is_authenticated and area.visible(user):
            items.append({"key": area.key, "label": area.label, "url": reverse(area.url_name)})
    return items
