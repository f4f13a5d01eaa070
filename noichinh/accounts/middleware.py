"""Holds a signed-in user at the two-factor page until they verify, when a role of theirs
requires it (RolePolicy)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

OPEN_PREFIXES = (
    "/static/",
    "/healthz",
    "/tai-khoan/dang-xuat/",
    "/tai-khoan/xac-thuc-hai-lop/",
    "/i18n/",
)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            from .services import user_requires_two_factor

            if user_requires_two_factor(user):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Two-factor sign-in is required for your role.")}, status=403
                    )
                return redirect(reverse("accounts:two_factor") + f"?next={request.path}")
        return self.get_response(request)
