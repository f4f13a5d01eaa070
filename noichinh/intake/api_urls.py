"""The intake API (`/api/intake/...`)."""

from typing import Any

from django.urls import path

from .api import ExtractView

urlpatterns: list[Any] = [
    path("extract/", ExtractView.as_view(), name="api_intake_extract"),
]
