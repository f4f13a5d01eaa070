"""Idle timeout: a session unused for NOICHINH_SESSION_IDLE seconds ends (SESSION_COOKIE_AGE
stays the absolute limit). The last-seen time is written at most once a minute."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_KEY = "noichinh_seen_at"
WRITE_EVERY = 60


def mark_seen(request: HttpRequest) -> None:
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and session is not None and user.is_authenticated:
            now = int(time.time())
            seen = session.get(SESSION_KEY)
            if isinstance(seen, int) and now - seen > settings.NOICHINH_SESSION_IDLE:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Your session ended after a period of inactivity.")},
                        status=401,
                    )
                messages.info(
                    request, _("Your session ended after a period of inactivity: sign in again.")
                )
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:login')}?{query}")
            if not isinstance(seen, int) or now - seen >= WRITE_EVERY:
                session[SESSION_KEY] = now
        return self.get_response(request)
