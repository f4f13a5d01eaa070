"""API authentication that obeys the two-factor policy (kept apart from views: DRF imports
authentication classes while its own views module loads)."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class PolicyTokenAuthentication(TokenAuthentication):
    """Token sign-in that obeys the two-factor policy: a token issued before a role required
    two-factor stops working until its holder has set two-factor up."""

    def authenticate_credentials(self, key: str) -> Any:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from .services import user_requires_two_factor

        user, token = super().authenticate_credentials(key)
        if (
            user_requires_two_factor(user)
            and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        ):
            raise exceptions.AuthenticationFailed(
                _("Your role requires two-factor sign-in: set it up in the web interface first.")
            )
        return user, token
