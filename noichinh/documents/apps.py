from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "noichinh.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # resources: the pages and API; handover: documents are dated for core.handover
        from . import handover, resources  # noqa: F401
