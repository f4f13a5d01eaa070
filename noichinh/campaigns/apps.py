from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "noichinh.campaigns"
    label = "campaigns"
    verbose_name = _("Emulation campaigns")

    def ready(self) -> None:
        from . import (
            handover,  # noqa: F401  (its kinds in core.handover)
            resources,  # noqa: F401
        )
