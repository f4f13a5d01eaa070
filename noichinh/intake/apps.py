from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "noichinh.intake"
    label = "intake"
    verbose_name = _("Intake of reports")

    def ready(self) -> None:
        # the side navigation's entry (core.navigation)
        from . import navigation  # noqa: F401
