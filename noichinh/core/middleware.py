"""Gives every request an id (kept from X-Request-ID when a proxy sets one) for logs and audit."""

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import request_context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_context.set_current(
            request_context.RequestInfo(request_id=request_id, ip=request.META.get("REMOTE_ADDR"))
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        return response
