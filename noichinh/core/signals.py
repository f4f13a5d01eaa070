"""Sign-ins, failed sign-ins and sign-outs go to the audit log (signals are for audit only)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit_record
from .models import AuditAction


def _home_unit(user: Any) -> Any:
    return getattr(user, "home_unit", None) if user is not None else None


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(
        action=AuditAction.LOGIN,
        user=user,
        object_type="accounts.user",
        object_id=str(user.pk),
        object_repr=user.get_username(),
        unit=_home_unit(user),
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(
            action=AuditAction.LOGOUT,
            user=user,
            object_type="accounts.user",
            object_id=str(user.pk),
            object_repr=user.get_username(),
            unit=_home_unit(user),
        )


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    from django.contrib.auth import get_user_model

    account = get_user_model().objects.filter(username=username).select_related("home_unit").first()
    audit_record(
        unit=getattr(account, "home_unit", None),
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=username,
        message="",
    )
