from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "noichinh.cases"
    label = "cases"
    verbose_name = _("Cases and security issues")

    def ready(self) -> None:
        from . import (  # noqa: F401
            counts,
            handover,
            resources,
        )
