from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "noichinh.work"
    label = "work"
    verbose_name = _("Meetings and tasks")

    def ready(self) -> None:
        from . import (
            handover,  # noqa: F401  (its kinds in core.handover)
            resources,  # noqa: F401
        )
