"""Sign-in lockout (django-axes): per username from any address, per address whatever the
username, each with its own limit, and the lockout answered in the client's language: the
Vietnamese page for the browser, JSON 429 for the API."""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _limits() -> list[int]:
    """One limit per entry of AXES_LOCKOUT_PARAMETERS (username first, then the address)."""
    per_user = int(settings.AXES_FAILURE_LIMIT)
    per_address = int(getattr(settings, "NOICHINH_LOCKOUT_IP_FAILURES", per_user))
    return [
        per_user if parameter == "username" else per_address
        for parameter in settings.AXES_LOCKOUT_PARAMETERS
    ]


class LockoutHandler(AxesDatabaseHandler):
    """Axes compares one number with AXES_FAILURE_LIMIT; this handler scales each parameter's
    failures to that limit, so 5 wrong passwords lock a username (from any number of addresses)
    and 20 lock an address (an office behind one NAT is not locked by five typos)."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        limit = int(settings.AXES_FAILURE_LIMIT)
        worst = 0
        for attempts, own_limit in zip(
            self.get_user_attempts(request, credentials), _limits(), strict=False
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            worst = max(worst, failures * limit // max(own_limit, 1))
        return worst


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    reason = _("Too many failed attempts: the account is locked for a while.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": reason, "retry_after_minutes": minutes}, status=429)
        response["Retry-After"] = str(minutes * 60)
        return response
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"cooloff_minutes": minutes, "username": (credentials or {}).get("username", "")},
        status=429,
    )
