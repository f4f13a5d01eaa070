from typing import Any

import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noichinh.core.navigation import Area, register_area
from noichinh.core.permissions import ALL_ROLES, Role
from noichinh.core.resources import ModelResource, register
from noichinh.core.scoping import can

from .choices import UnitKind
from .forms import ClusterForm
from .models import Cluster, Unit


class UnitFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Active")), ("closed", _("Closed")), ("all", _("All"))],
        method="filter_status",
        empty_label=None,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=UnitKind.choices, empty_label=_("All")
    )

    class Meta:
        model = Unit
        fields = ["kind"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", "active")
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.filter(valid_to__isnull=True)
        if value == "closed":
            return queryset.filter(valid_to__isnull=False)
        return queryset


@register
class UnitResource(ModelResource):
    model = Unit
    fields = ("code", "name", "short_name", "kind", "parent", "valid_from", "valid_to", "successor")
    list_columns = ("name", "code", "kind", "status_label", "valid_from", "valid_to")
    detail_fields = (
        "code",
        "name",
        "short_name",
        "kind",
        "parent",
        "valid_from",
        "valid_to",
        "successor",
    )
    filterset = UnitFilterSet
    search_fields = ("code", "name", "short_name")
    sortable = ("name", "code", "valid_from")
    ordering = ("path",)
    generic_write = False  # units change only through the reorganisation services
    select_related = ("parent", "successor")
    url_prefix = ""
    area = "units"

    @classmethod
    def row_class(cls, obj: Any) -> str:
        return f"depth-{min(obj.depth, 6)}"

    @classmethod
    def list_actions(cls, user: Any) -> list[tuple[str, str, bool]]:
        actions = [
            (str(_("Tree on a date")), reverse("units:unit_tree_on"), False),
            (str(_("Emulation clusters")), reverse("units:cluster_list"), False),
        ]
        if can(user, "manage_units", Unit):
            actions.append((str(_("Establish a unit")), reverse("units:unit_add"), True))
        return actions


@register
class ClusterResource(ModelResource):
    model = Cluster
    form = ClusterForm
    fields = ("unit", "code", "name", "region", "members", "merged_outside_rule")
    list_columns = ("name", "code", "region", "unit")
    detail_fields = ("code", "name", "region", "unit", "members", "merged_outside_rule")
    filter_fields = ()
    search_fields = ("code", "name", "region")
    sortable = ("name", "code")
    ordering = ("code",)
    select_related = ("unit",)
    url_prefix = "cum-thi-dua/"
    area = "units"
    permissions = {
        "view": ALL_ROLES,
        "add": {Role.SYSTEM_ADMIN, Role.UNIT_ADMIN},
        "change": {Role.SYSTEM_ADMIN, Role.UNIT_ADMIN},
        "delete": {Role.SYSTEM_ADMIN},
    }

    @classmethod
    def check_write(cls, user: Any, instance: Any, action: str) -> None:
        # Who writes, for the audit entry of the membership change made after the save.
        instance._writer = user

    @classmethod
    def after_write(cls, instance: Any, before: dict[str, Any] | None) -> None:
        """The members chosen on the form are today's: dated memberships through
        `cluster_members_set`, never a `.set()` that would erase the history."""
        from .clusters import cluster_members_set

        chosen = getattr(instance, "_chosen_members", None)
        if chosen is not None and Cluster.objects.filter(pk=instance.pk).exists():
            instance._chosen_members = None
            cluster_members_set(
                user=getattr(instance, "_writer", None),
                cluster=instance,
                units=chosen,
                on=timezone.localdate(),
            )


register_area(
    Area("units", _("Units"), "units:unit_list", 100, lambda user: can(user, "view", Unit))
)
