"""Dated membership of the emulation clusters: the service that changes who is a member from a
given day, keeping the history a past review's table reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from noichinh.core.audit import audit_record
from noichinh.core.models import AuditAction
from noichinh.core.text import format_date

from .models import Cluster, ClusterMembership, Unit


@transaction.atomic
def cluster_members_set(
    *, user: Any, cluster: Cluster, units: Iterable[Unit], on: dt.date
) -> tuple[list[int], list[int]]:
    """Make `units` the members of `cluster` from `on`. A unit added joins on `on` (a cluster
    with no membership yet takes its first members since their beginning, as the migration
    did); a member left out stops being one the day before `on` (a membership that had not
    started yet is removed). Returns (joined, left) unit ids; the change is audited on the
    cluster."""
    fresh = not cluster.memberships.exists()
    current = {m.unit_id: m for m in cluster.memberships_on(on)}
    wanted = {u.pk for u in units}
    left = sorted(set(current) - wanted)
    joined = sorted(wanted - set(current))
    for unit_id in left:
        membership = current[unit_id]
        if membership.valid_from is not None and membership.valid_from >= on:
            membership.delete()
        else:
            membership.valid_to = on - dt.timedelta(days=1)
            membership.save(update_fields=["valid_to"])
    ClusterMembership.objects.bulk_create(
        ClusterMembership(cluster=cluster, unit_id=pk, valid_from=None if fresh else on)
        for pk in joined
    )
    if joined or left:
        audit_record(
            action=AuditAction.TRANSITION,
            user=user,
            instance=cluster,
            changes={"members": [sorted(current), sorted(wanted)]},
            message=_("Members from %(day)s") % {"day": f"{format_date(on)}"},
        )
    return joined, left
