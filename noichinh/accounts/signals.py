"""A password change revokes the user's API tokens (sessions already end through Django's
session hash)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User


@receiver(post_save, sender=User, dispatch_uid="accounts_revoke_tokens_on_password_change")
def revoke_tokens_on_password_change(sender: Any, instance: User, created: bool, **kwargs: Any):
    if created or not getattr(instance, "_password_changed", False):
        return
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=instance).delete()
    instance._password_changed = False


@receiver(user_logged_in, dispatch_uid="accounts_password_entered_at_sign_in")
def password_entered_at_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Signing in counts as entering the password (accounts.reauth)."""
    from .reauth import mark_password_entered
    from .session import mark_seen

    if request is not None:
        mark_password_entered(request)
        mark_seen(request)
