from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "noichinh.units"
    label = "units"
    verbose_name = _("Units")

    def ready(self) -> None:
        from . import resources  # noqa: F401
