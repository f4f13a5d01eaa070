"""Background work of the petitions app, run by the django-tasks queue (`db_worker`); the
scheduler enqueues the identity purge daily (apps.py)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def purge_identities_task() -> dict[str, Any]:
    """Erase the identities past their retention (identity.identity_purge), as the system."""
    from django.utils import timezone

    from noichinh.core.scoping import SYSTEM

    from .identity import identity_purge

    result = identity_purge(user=SYSTEM, on=timezone.localdate())
    return {"erased": result.erased, "by_kind": result.by_kind}
