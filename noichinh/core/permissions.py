"""Roles and what each may do. The matrix is the default; a resource may narrow it per action."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    SPECIALIST = "specialist", _("Specialist")
    HEAD = "head", _("Head (approver)")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Action(models.TextChoices):
    VIEW = "view", _("View")
    ADD = "add", _("Add")
    CHANGE = "change", _("Change")
    DELETE = "delete", _("Delete")
    APPROVE = "approve", _("Approve")
    ADMINISTER = "administer", _("Manage users and roles")
    MANAGE_UNITS = "manage_units", _("Reorganise units")
    AUDIT = "audit", _("Read the audit log")


ALL_ROLES = frozenset(Role.values)

DEFAULT_MATRIX: dict[str, frozenset[str]] = {
    Action.VIEW: ALL_ROLES,
    Action.ADD: frozenset({Role.SPECIALIST, Role.HEAD, Role.SYSTEM_ADMIN}),
    Action.CHANGE: frozenset({Role.SPECIALIST, Role.HEAD, Role.SYSTEM_ADMIN}),
    Action.DELETE: frozenset({Role.HEAD, Role.SYSTEM_ADMIN}),
    Action.APPROVE: frozenset({Role.HEAD}),
    Action.ADMINISTER: frozenset({Role.UNIT_ADMIN, Role.SYSTEM_ADMIN}),
    Action.MANAGE_UNITS: frozenset({Role.SYSTEM_ADMIN}),
    Action.AUDIT: frozenset({Role.HEAD, Role.UNIT_ADMIN, Role.SYSTEM_ADMIN}),
}

# Roles that outrank others when an administrator assigns roles: nobody grants above their own.
ROLE_RANK = {
    Role.VIEWER: 1,
    Role.SPECIALIST: 2,
    Role.HEAD: 3,
    Role.UNIT_ADMIN: 4,
    Role.SYSTEM_ADMIN: 5,
}
