"""Users, their role assignments (user x unit x role) and the two-factor policy per role."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from noichinh.core.models import UnitOwned
from noichinh.core.permissions import Role
from noichinh.core.scoping import ScopedQuerySet


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in. Belongs to a home unit: unit administrators see users of their
    subtree. What a user may do comes from their role assignments, never from this row."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    title = models.CharField(_("position"), max_length=150, blank=True)
    home_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    objects: ClassVar[ScopedUserManager] = ScopedUserManager()
    scope_path_lookup: ClassVar[str] = "home_unit__path"

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    def save(self, *args, **kwargs):
        from noichinh.core.text import fold

        self.search_text = fold(f"{self.username} {self.full_name} {self.email} {self.title}")
        if not self.password:
            self.set_unusable_password()  # created without a password (API): cannot sign in yet
        super().save(*args, **kwargs)

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self._password_changed = True  # accounts.signals revokes the API tokens on save

    def display_name(self) -> str:
        return self.full_name or self.username


class RoleAssignment(UnitOwned):
    """The user holds this role over this unit's subtree for these dates."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    valid_from = models.DateField(_("effective from"))
    valid_to = models.DateField(_("effective until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["user__username", "unit__path", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="role_assignment_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.username} · {self.get_role_display()} · {self.unit}"


class RolePolicy(models.Model):
    """Per-role security policy set by a system administrator (global, not unit-owned)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, unique=True)
    require_two_factor = models.BooleanField(_("require two-factor sign-in"), default=False)

    class Meta:
        verbose_name = _("role policy")
        verbose_name_plural = _("role policies")

    def __str__(self) -> str:
        return self.get_role_display()


def roles_required_by_settings() -> set[str]:
    """Roles that need two-factor whatever the policy page says (NOICHINH_TWO_FACTOR_ROLES,
    default: the system administrator)."""
    from django.conf import settings

    return set(getattr(settings, "NOICHINH_TWO_FACTOR_ROLES", ()))


def roles_requiring_two_factor() -> set[str]:
    chosen = RolePolicy.objects.filter(require_two_factor=True).values_list("role", flat=True)
    return set(chosen) | roles_required_by_settings()
