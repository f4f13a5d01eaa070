from __future__ import annotations

from django.db import models

from noichinh.core.permissions import Role
from noichinh.core.resources import ModelResource, register

from .forms import ReminderRuleForm
from .models import ReminderRule

ADMINS = {Role.UNIT_ADMIN, Role.SYSTEM_ADMIN}


@register
class ReminderRuleResource(ModelResource):
    """Reminder rules: set by the administrators of a unit for its subtree."""

    model = ReminderRule
    form = ReminderRuleForm
    fields = tuple(ReminderRuleForm.Meta.fields)
    list_columns = ("kind", "days_before", "roles_display", "escalate_after_days", "unit")
    detail_fields = ("kind", "days_before", "roles_display", "escalate_after_days", "unit")
    filter_fields = ("kind",)
    ordering = ("unit__path", "kind")
    select_related = ("unit",)
    permissions = {"add": ADMINS, "change": ADMINS, "delete": ADMINS}
    url_prefix = "quy-tac-nhac-han/"
    area = "admin"
    api = False

    @classmethod
    def prepare_write(cls, instance: models.Model) -> None:
        assert isinstance(instance, ReminderRule)
        instance.roles = sorted(set(instance.roles or ()))
