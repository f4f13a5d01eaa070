"""API authentication that obeys the two-factor policy and the token lifetime (kept apart from
views: DRF imports authentication classes while its own views module loads)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.NOICHINH_TOKEN_HOURS)


def token_expired(token: Any, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) - token.created >= token_lifetime()


class PolicyTokenAuthentication(TokenAuthentication):
    """Token sign-in that obeys the two-factor policy (a token issued before a role required
    two-factor stops working until its holder has set two-factor up) and expires
    NOICHINH_TOKEN_HOURS after it was issued (an expired token is deleted). A password change
    deletes the user's tokens (User.save)."""

    def authenticate_credentials(self, key: str) -> Any:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from .services import user_requires_two_factor

        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("The token has expired: ask for a new one at /api/auth/token/.")
            )
        if (
            user_requires_two_factor(user)
            and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        ):
            raise exceptions.AuthenticationFailed(
                _("Your role requires two-factor sign-in: set it up in the web interface first.")
            )
        return user, token
