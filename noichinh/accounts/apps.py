import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "noichinh.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from noichinh.core.audit_anchor import audit_checkpoint_task
        from noichinh.core.schedule import Periodic, register_periodic

        from . import (
            checks,  # noqa: F401  (check --deploy: the audit key)
            handover,  # noqa: F401  (its kinds in core.handover)
            resources,  # noqa: F401
            signals,  # noqa: F401  (tokens revoked on a password change)
        )

        # The audit chain's anchor outside the database (core.audit_anchor), every hour.
        register_periodic(
            Periodic("audit_checkpoint", audit_checkpoint_task, dt.timedelta(hours=1))
        )
