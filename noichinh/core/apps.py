from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "noichinh.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        import datetime as dt

        from . import signals  # noqa: F401  (login/logout audit)
        from .schedule import Periodic, register_periodic
        from .tasks import audit_verify_task

        register_periodic(Periodic("audit_verify", audit_verify_task, dt.timedelta(days=1)))
