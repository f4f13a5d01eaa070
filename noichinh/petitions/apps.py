from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "noichinh.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        import datetime as dt

        from noichinh.core.schedule import Periodic, register_periodic

        from . import (
            checks,  # noqa: F401  (check --deploy: the identity keys)
            handover,  # noqa: F401  (its kinds in core.handover)
            resources,  # noqa: F401
        )
        from .tasks import purge_identities_task

        # Identities past the retention an administrator set, erased nightly.
        register_periodic(
            Periodic("purge_identities", purge_identities_task, dt.timedelta(days=1), at=dt.time(2))
        )
