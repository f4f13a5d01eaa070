"""What every page's frame needs: navigation, the scope picker, the user's unit and roles."""

from typing import Any

from django.http import HttpRequest

from .listing import scope_unit
from .navigation import areas_for


def frame(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from django.apps import apps

    from .scoping import user_roles

    unit_model = apps.get_model("units", "Unit")
    return {
        "nav_areas": areas_for(user),
        "scope_unit": scope_unit(request),
        "scope_choices": unit_model.objects.scope_choices(user),
        "user_roles": sorted(user_roles(user)),
    }
