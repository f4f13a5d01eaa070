"""Re-entry of the password before sensitive actions (role changes, unlocking an approved
report): `@require_recent_password()` lets the request through when the password was entered
within NOICHINH_REAUTH_MINUTES (sign-in counts), else sends the user to the confirmation page,
which returns them to the page they came from to repeat the action."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SESSION_KEY = "noichinh_password_at"


def mark_password_entered(request: HttpRequest) -> None:
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = int(time.time())


def password_is_recent(request: HttpRequest, minutes: int | None = None) -> bool:
    window = 60 * (minutes if minutes is not None else settings.NOICHINH_REAUTH_MINUTES)
    entered = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return isinstance(entered, int) and time.time() - entered <= window


def _return_to(request: HttpRequest) -> str:
    if request.method == "GET":
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("core:home")


def require_recent_password(minutes: int | None = None) -> Callable[..., Any]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated or password_is_recent(request, minutes):
                return view(request, *args, **kwargs)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Enter your password again to continue.")}, status=403
                )
            query = urlencode({"next": _return_to(request)})
            return redirect(f"{reverse('accounts:reauth')}?{query}")

        return wrapped

    return decorator
