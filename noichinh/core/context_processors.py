"""What every page's frame needs: navigation, the scope picker, the user's unit and roles."""

from typing import Any

from django.http import HttpRequest

from .autocomplete import unit_labels
from .listing import scope_unit
from .navigation import areas_for

SCOPE_CHOICES = 40  # the top bar's scope list without JavaScript (the units at the top)


def frame(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from django.apps import apps

    from .scoping import user_roles

    unit_model = apps.get_model("units", "Unit")
    picked = scope_unit(request)
    # The scope picker's few top choices (its list without JavaScript; with it, a combobox
    # searches every unit in scope), and the unit picked if it is deeper than those.
    choices = unit_model.objects.scope_choices(user)[:SCOPE_CHOICES]
    if picked is not None and picked not in choices:
        choices = sorted([*choices, picked], key=lambda u: u.path)
    return {
        "nav_areas": areas_for(user),
        "scope_unit": picked,
        # The picked unit named as the combobox names it (by its path below the root).
        "scope_label": unit_labels([picked])[picked.pk] if picked is not None else "",
        "scope_choices": choices,
        "user_roles": sorted(user_roles(user)),
    }
