"""The bell's count: one indexed COUNT (notification_unread), run only when a page shows it."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest


def unread_count(user: Any) -> int:
    from .models import Notification

    if user is None or not getattr(user, "is_authenticated", False) or not user.pk:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)

    @cache
    def count() -> int:
        return unread_count(user)

    return {"inbox_unread": count}
