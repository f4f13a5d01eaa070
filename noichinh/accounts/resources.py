from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from noichinh.core.navigation import Area, register_area
from noichinh.core.permissions import ROLE_RANK, Role
from noichinh.core.resources import ModelResource, register
from noichinh.core.scoping import can

from .forms import RoleAssignmentForm, UserCreateForm, UserEditForm
from .models import RoleAssignment, User
from .services import check_role_assignment, highest_rank_over

ADMINS = {Role.UNIT_ADMIN, Role.SYSTEM_ADMIN}


@register
class UserResource(ModelResource):
    model = User
    form = UserEditForm
    create_form = UserCreateForm
    fields = ("username", "full_name", "email", "title", "home_unit", "is_active")
    list_columns = ("username", "full_name", "title", "home_unit", "is_active", "last_login")
    detail_fields = (
        "username",
        "full_name",
        "email",
        "title",
        "home_unit",
        "is_active",
        "last_login",
        "date_joined",
    )
    filter_fields = ("is_active",)
    search_fields = ("username", "full_name", "email", "title")
    sortable = ("username", "full_name", "last_login")
    ordering = ("username",)
    select_related = ("home_unit",)
    url_prefix = "quan-tri/nguoi-dung/"
    area = "admin"
    permissions = {"view": ADMINS, "add": ADMINS, "change": ADMINS, "delete": set()}

    @classmethod
    def actions(cls) -> tuple[str, ...]:
        return ("list", "add", "detail", "edit", "export")  # users are deactivated, never deleted

    @classmethod
    def new_instance(cls, data: dict[str, Any]) -> models.Model:
        user = User(**data)
        user.set_unusable_password()  # created through the API: a password is set on the page
        return user

    @classmethod
    def check_write(cls, user: Any, instance: models.Model, action: str) -> None:
        assert isinstance(instance, User)
        if instance.pk is None or instance.home_unit is None:
            return
        theirs = max((ROLE_RANK[Role(a.role)] for a in instance.assignments.all()), default=0)
        if theirs > highest_rank_over(user, instance.home_unit.path):
            raise PermissionDenied(_("This user holds a role above yours."))


@register
class RoleAssignmentResource(ModelResource):
    model = RoleAssignment
    form = RoleAssignmentForm
    fields = ("user", "unit", "role", "valid_from", "valid_to", "note")
    list_columns = ("user", "role", "unit", "valid_from", "valid_to")
    filter_fields = ("role", "user")
    search_fields = ("user__username", "user__full_name", "unit__name", "role")
    sortable = ("valid_from", "role")
    ordering = ("user__username", "unit__path")
    import_fields = ("user", "unit", "role", "valid_from", "valid_to", "note")
    natural_keys = {"user": "username", "unit": "code"}
    select_related = ("user", "user__home_unit", "unit")
    url_prefix = "quan-tri/phan-quyen/"
    area = "admin"
    permissions = {"view": {*ADMINS, Role.HEAD}, "add": ADMINS, "change": ADMINS, "delete": ADMINS}

    @classmethod
    def check_write(cls, user: Any, instance: models.Model, action: str) -> None:
        assert isinstance(instance, RoleAssignment)
        check_role_assignment(user=user, assignment=instance)


register_area(
    Area(
        "admin",
        gettext_lazy("Administration"),
        "accounts:admin_home",
        1000,
        lambda user: (
            can(user, "administer", User) or can(user, "audit") or can(user, "view", RoleAssignment)
        ),
    )
)
