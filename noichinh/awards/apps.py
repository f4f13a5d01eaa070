from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "noichinh.awards"
    label = "awards"
    verbose_name = _("Award reviews")

    def ready(self) -> None:
        from . import resources  # noqa: F401
