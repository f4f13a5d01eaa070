"""The one gate: a user and an action become a queryset filter over the unit tree.

A user's scope for an action is the union of the subtrees of the units in their active role
assignments whose role permits that action (for that resource). Units carry a materialized path
("0000001.0000007."), so "in scope" is one indexed prefix condition per assigned subtree.

Every list, detail, form choice, API endpoint, export and search goes through `restrict()`.
Out of scope is 404: callers use `get_object_or_404(Model.objects.restrict(user, action), ...)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .permissions import DEFAULT_MATRIX

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

_M = TypeVar("_M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """Subtrees (path prefixes) a user may act on; empty means nothing."""

    paths: tuple[str, ...]

    @classmethod
    def of(cls, paths: list[str]) -> Scope:
        # Keep only the outermost prefixes: a subtree inside another adds nothing.
        minimal: list[str] = []
        for path in sorted(set(paths), key=len):
            if not any(path.startswith(kept) for kept in minimal):
                minimal.append(path)
        return cls(tuple(sorted(minimal)))

    @property
    def empty(self) -> bool:
        return not self.paths

    def q(self, lookup: str) -> Q:
        if not self.paths:
            return Q(pk__in=[])
        condition = Q()
        for path in self.paths:
            condition |= Q(**{f"{lookup}__startswith": path})
        return condition

    def ancestor_paths(self) -> list[str]:
        """The paths of every unit above a scope root (materialized-path prefixes)."""
        found: set[str] = set()
        for path in self.paths:
            parts = [p for p in path.split(".") if p]
            found.update(".".join(parts[:i]) + "." for i in range(1, len(parts)))
        return sorted(found)

    def covers(self, path: str | None) -> bool:
        return bool(path) and any(path.startswith(p) for p in self.paths)  # type: ignore[union-attr]


def roles_for(model: type[models.Model] | None, action: str) -> frozenset[str]:
    """Which roles may do `action` on `model`: the resource's override, else the default matrix."""
    if model is not None:
        from .resources import registry

        resource = registry.for_model(model)
        if resource is not None and action in resource.permissions:
            return frozenset(resource.permissions[action])
    return DEFAULT_MATRIX.get(action, frozenset())


def _assignments(user: Any) -> list[tuple[str, str]]:
    """(role, unit path) of the user's active assignments on units in force, cached on the
    user object."""
    cached = getattr(user, "_noichinh_assignments", None)
    if cached is None:
        assignment = apps.get_model("accounts", "RoleAssignment")
        today = timezone.localdate()
        cached = list(
            assignment.objects.filter(user=user, valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            # A role on a closed unit ends with it (a hand-over may carry it to the heir).
            .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=today))
            .values_list("role", "unit__path")
        )
        user._noichinh_assignments = cached
    return cached


class SystemActor:
    """The actor of management commands (demo data, generators): holds the system
    administrator role over the whole tree. It is not a database user and cannot sign in."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    pk = None
    id = None
    username = "system"
    home_unit = None
    _noichinh_assignments: ClassVar[list[tuple[str, str]]] = [("system_admin", "")]

    def get_username(self) -> str:
        return self.username

    def __str__(self) -> str:
        return self.username


SYSTEM = SystemActor()


def forget(user: Any) -> None:
    """Drop the cached assignments (after a role change within the same request)."""
    if not isinstance(user, SystemActor) and "_noichinh_assignments" in getattr(
        user, "__dict__", {}
    ):
        del user._noichinh_assignments


def user_scope(
    user: AnonymousUser | Any, action: str = "view", model: type[models.Model] | None = None
) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(())
    allowed = roles_for(model, action)
    return Scope.of([path for role, path in _assignments(user) if role in allowed])


def sees_everything(user: Any, model: type[models.Model]) -> bool:
    """Does the gate let `user` open every record of `model` (a view scope over the whole tree
    and no record narrowed away, such as a confidential case)? Read once per user object (one
    request) and model, so that a table of many figures does not count each one twice."""
    if isinstance(user, SystemActor):
        return True
    cache: dict[type[models.Model], bool] = user.__dict__.setdefault("_noichinh_sees_all", {})
    if model not in cache:
        scope = user_scope(user, "view", model)
        narrow = getattr(model, "scope_narrow", None)
        narrowed = model._default_manager.exclude(narrow(user)) if narrow is not None else None
        hidden_by_narrowing: bool | None = None
        if "_noichinh_roots" not in user.__dict__:
            # The roots of the tree, and whether the narrowing hides a record, in one query.
            roots = apps.get_model("units", "Unit").objects.filter(parent__isnull=True)
            if narrowed is not None:
                rows = list(
                    roots.annotate(hidden=models.Exists(narrowed)).values_list("path", "hidden")
                )
                hidden_by_narrowing = any(hidden for _path, hidden in rows)
                user._noichinh_roots = [path for path, _hidden in rows]
            else:
                user._noichinh_roots = list(roots.values_list("path", flat=True))
        answer = not scope.empty and all(
            any(path.startswith(held) for held in scope.paths) for path in user._noichinh_roots
        )
        if answer and narrowed is not None:
            if hidden_by_narrowing is None:
                hidden_by_narrowing = narrowed.exists()
            answer = not hidden_by_narrowing
        cache[model] = answer
    return cache[model]


def user_roles(user: Any) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    return {role for role, _path in _assignments(user)}


def roles_held_on(user: Any, path: str) -> set[str]:
    """The roles the user holds on the unit at `path` (through it or a unit above it)."""
    if user is None or not user.is_authenticated:
        return set()
    return {role for role, held in _assignments(user) if path.startswith(held)}


def can(user: Any, action: str, model: type[models.Model] | None = None) -> bool:
    """Does the user hold the action anywhere (to show a button or a menu entry)?"""
    return not user_scope(user, action, model).empty


def can_on(user: Any, action: str, obj: models.Model) -> bool:
    """Does the user hold the action on this record's unit (for "view", also through the
    model's `scope_view_also` paths)?"""
    model = type(obj)
    allows = getattr(model, "scope_allows", None)
    if allows is not None and not allows(user, obj):
        # The record-level narrowing of `scope_narrow`, evaluated on the instance as it is
        # (a form may be about to make a case confidential).
        return False
    if user_scope(user, action, model).covers(scope_path_of(obj)):
        return True
    also: tuple[str, ...] = getattr(model, "scope_view_also", ())
    if action == "view" and getattr(model, "scope_view_ancestors", False):
        path = scope_path_of(obj)
        if path and path in user_scope(user, "view", model).ancestor_paths():
            return True
    if action == "view" and also:
        manager: Any = model._default_manager
        return bool(manager.restrict(user, "view").filter(pk=obj.pk).exists())
    return False


def scope_path_of(obj: models.Model) -> str | None:
    """The unit path a record hangs on, following the model's `scope_path_lookup`."""
    value: Any = obj
    for part in obj.scope_path_lookup.split("__"):  # type: ignore[attr-defined]
        value = getattr(value, part, None)
        if value is None:
            return None
    return str(value)


def owner_field(model: type[models.Model] | None) -> str:
    """The field that names a record's owner unit ("unit", or "home_unit" for users)."""
    lookup = getattr(model, "scope_path_lookup", "unit__path")
    return str(lookup).split("__")[0]


def restrict_choice(
    queryset: models.QuerySet[Any],
    user: Any,
    action: str,
    for_model: type[models.Model] | None,
    field_name: str | None = None,
) -> models.QuerySet[Any]:
    """Choices offered when writing a `for_model` record (form fields, API related fields).

    The owner unit field offers the units where the user may do `action` on `for_model` (a unit
    administrator assigns roles in their subtree even though they may not add units). Any other
    related record, other units included (co-operating or attending units), is offered if the
    user may see it.
    """
    if getattr(queryset.model, "scope_path_lookup", None) == "path" and (
        field_name is None or field_name == owner_field(for_model)
    ):
        return queryset.filter(user_scope(user, action, for_model).q("path"))
    return queryset.restrict(user, "view")  # type: ignore[attr-defined]


class ScopedQuerySet(models.QuerySet[_M]):
    """Querysets of every unit-scoped model. `restrict` is the only way lists are built."""

    def restrict(self, user: Any, action: str = "view") -> ScopedQuerySet[_M]:
        scope = user_scope(user, action, self.model)
        condition = scope.q(self.model.scope_path_lookup)  # type: ignore[attr-defined]
        if action == "view" and not scope.empty:
            # A model may declare other unit paths that make a record visible (never writable):
            # a cluster is seen by its member provinces as well as by the unit that runs it.
            for lookup in getattr(self.model, "scope_view_also", ()):
                related = self.model._default_manager.filter(scope.q(lookup)).values("pk")
                condition |= Q(pk__in=related)
            # ...or declare that records of the units above flow down (a central plan is read
            # by every committee below it): the owner is an ancestor of a unit in scope.
            if getattr(self.model, "scope_view_ancestors", False):
                lookup = self.model.scope_path_lookup  # type: ignore[attr-defined]
                condition |= Q(**{f"{lookup}__in": scope.ancestor_paths()})
        # ...and a model may narrow every action further (a confidential case is seen only by
        # the roles allowed to see confidential records, wherever the unit is in scope). It
        # declares the condition twice: `scope_narrow(user) -> Q` for querysets and
        # `scope_allows(user, obj) -> bool` for one instance (used by `can_on`).
        narrow = getattr(self.model, "scope_narrow", None)
        if narrow is not None and not scope.empty:
            condition &= narrow(user)
        return self.filter(condition)

    def within(self, unit: Any | None) -> ScopedQuerySet[_M]:
        """Narrow to one unit's subtree (the scope picker); never widens `restrict`."""
        if unit is None:
            return self
        lookup = self.model.scope_path_lookup  # type: ignore[attr-defined]
        return self.filter(**{f"{lookup}__startswith": unit.path})
