from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "noichinh.reports"
    label = "reports"
    verbose_name = _("Periodic reports")

    def ready(self) -> None:
        from . import (
            handover,  # noqa: F401  (its kinds in core.handover)
            resources,  # noqa: F401
        )
