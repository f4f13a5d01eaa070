from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "noichinh.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from . import (
            handover,  # noqa: F401  (its kinds in core.handover)
            resources,  # noqa: F401
        )
