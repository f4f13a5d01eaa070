"""Rules about accounts: who may grant which role where, and the two-factor policy."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from noichinh.core.audit import audit_record, diff
from noichinh.core.models import AuditAction
from noichinh.core.permissions import ROLE_RANK, Role
from noichinh.core.scoping import user_scope

from .models import RoleAssignment, RolePolicy, User, roles_requiring_two_factor


def highest_rank_over(user: Any, path: str) -> int:
    """The highest role rank the user holds over the unit at `path`."""
    from noichinh.core.scoping import roles_held_on

    ranks = [ROLE_RANK[Role(r)] for r in roles_held_on(user, path)]
    return max(ranks, default=0)


def check_role_assignment(*, user: Any, assignment: RoleAssignment) -> None:
    """An administrator grants only inside their scope, never above their own rank, and only to
    users they can see."""
    unit_path = assignment.unit.path
    if not user_scope(user, "administer", RoleAssignment).covers(unit_path):
        raise PermissionDenied(_("This unit is outside your scope."))
    if ROLE_RANK[Role(assignment.role)] > highest_rank_over(user, unit_path):
        raise PermissionDenied(_("You cannot grant a role above your own."))
    if (
        assignment.role == Role.SYSTEM_ADMIN
        and highest_rank_over(user, unit_path) < ROLE_RANK[Role.SYSTEM_ADMIN]
    ):
        raise PermissionDenied(_("Only a system administrator can grant that role."))
    target = assignment.user
    if target.home_unit_id is not None and not user_scope(user, "administer", User).covers(
        target.home_unit.path  # type: ignore[union-attr]
    ):
        raise PermissionDenied(_("This user belongs to a unit outside your scope."))


def is_whole_tree_admin(user: Any) -> bool:
    """A system administrator whose scope covers every root of the tree (global settings)."""
    from noichinh.units.models import Unit

    scope = user_scope(user, "manage_units")
    roots = list(Unit.objects.filter(parent=None).values_list("path", flat=True))
    return not scope.empty and all(scope.covers(path) for path in roots)


def user_requires_two_factor(user: Any) -> bool:
    from noichinh.core.scoping import user_roles

    required = roles_requiring_two_factor()
    return bool(required) and bool(user_roles(user) & required)


@transaction.atomic
def role_policy_set(*, user: Any, role: str, require_two_factor: bool) -> RolePolicy:
    if not is_whole_tree_admin(user):
        raise PermissionDenied(_("Only a system administrator may change the sign-in policy."))
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    policy, _created = RolePolicy.objects.select_for_update().get_or_create(role=role)
    if policy.require_two_factor != require_two_factor:
        before = {"require_two_factor": policy.require_two_factor}
        policy.require_two_factor = require_two_factor
        policy.save()
        audit_record(
            action=AuditAction.UPDATE,
            user=user,
            instance=policy,
            changes=diff(before, {"require_two_factor": require_two_factor}),
            unit=getattr(user, "home_unit", None),
        )
    return policy


def _target_in_reach(*, actor: Any, target: User) -> None:
    """The actor administers the target's unit and does not rank below the target."""
    from .resources import UserResource

    if not User.objects.restrict(actor, "change").filter(pk=target.pk).exists():
        raise PermissionDenied(_("This user belongs to a unit outside your scope."))
    UserResource.check_write(actor, target, "change")


@transaction.atomic
def user_set_password(*, actor: Any, target: User, password: str) -> None:
    _target_in_reach(actor=actor, target=target)
    target.set_password(password)
    target.save(update_fields=["password"])
    audit_record(
        action=AuditAction.UPDATE,
        user=actor,
        instance=target,
        changes={"password": ["***", "***"]},
        message=_("Password reset by an administrator"),
    )


@transaction.atomic
def user_two_factor_reset(*, actor: Any, target: User) -> int:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _target_in_reach(actor=actor, target=target)
    removed, _detail = TOTPDevice.objects.filter(user=target).delete()
    audit_record(
        action=AuditAction.UPDATE,
        user=actor,
        instance=target,
        changes={"two_factor": [bool(removed), False]},
        message=_("Two-factor turned off by an administrator"),
    )
    return removed


@transaction.atomic
def user_unlock(*, actor: Any, target: User) -> int:
    from axes.handlers.proxy import AxesProxyHandler

    _target_in_reach(actor=actor, target=target)
    cleared = AxesProxyHandler.reset_attempts(username=target.username)
    audit_record(
        action=AuditAction.UPDATE,
        user=actor,
        instance=target,
        changes={"locked": [bool(cleared), False]},
        message=_("Sign-in lockout lifted"),
    )
    return cleared


@transaction.atomic
def user_token_revoke(*, actor: Any, target: User) -> int:
    from rest_framework.authtoken.models import Token

    _target_in_reach(actor=actor, target=target)
    removed, _detail = Token.objects.filter(user=target).delete()
    audit_record(
        action=AuditAction.UPDATE,
        user=actor,
        instance=target,
        changes={"api_token": [bool(removed), False]},
        message=_("API token revoked"),
    )
    return removed
