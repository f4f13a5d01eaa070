from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "noichinh.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        import datetime as dt

        from noichinh.core.schedule import Periodic, register_periodic

        from . import resources  # noqa: F401  (the reminder rules' pages)
        from .tasks import morning_task, run_scans_task

        register_periodic(Periodic("inbox_scans", run_scans_task, dt.timedelta(hours=1)))
        register_periodic(
            Periodic("inbox_morning", morning_task, dt.timedelta(days=1), at=dt.time(7))
        )
