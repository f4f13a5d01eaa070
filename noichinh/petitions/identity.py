"""Personal data of petitioners (Law on Denunciations 2018, Art. 47-48; Decree 13/2023/ND-CP):
every view of a protected identity is logged, and identities are erased after the retention
period an administrator sets (IdentityRetention, `purge_identities`).

A denouncer's identity (IDENTITY_FIELDS) shown to a user, on the petition page, the edit page,
the API (detail, list, duplicates, the verbs' answers) or through the scanned attachment,
writes one `view_identity` audit entry per request and record, or one entry for a list naming
how many and which records (their ids, never the identity itself). Who may not see the
identity is shown none, so nothing is logged for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext as _

from noichinh.core.audit import audit_record, diff, snapshot
from noichinh.core.models import AuditAction, AuditEntry

from .choices import OPEN_STATUSES
from .models import IDENTITY_FIELDS, IdentityRetention, Petition
from .resources import may_see_identity

# Where an identity is shown (the entry's message).
PAGE = "page"
EDIT = "edit"
API = "api"
ATTACHMENT = "attachment"

_REQUEST_KEY = "_noichinh_identity_logged"


def _where_label(where: str) -> str:
    labels = {
        PAGE: _("petition page"),
        EDIT: _("edit page"),
        API: _("API"),
        ATTACHMENT: _("attachment download"),
    }
    return labels.get(where, where)


def has_identity(petition: Petition) -> bool:
    return any(getattr(petition, name) for name in IDENTITY_FIELDS)


def protected_identities_shown(user: Any, petitions: Iterable[Petition]) -> list[Petition]:
    """The denunciations among `petitions` whose identity the user sees (and that still hold
    one: an identity erased after its retention period is no longer there to see)."""
    return [
        p for p in petitions if p.is_denunciation and has_identity(p) and may_see_identity(user, p)
    ]


def log_identity_view(
    *,
    user: Any,
    petitions: Iterable[Petition],
    where: str,
    request: HttpRequest | None = None,
) -> AuditEntry | None:
    """One `view_identity` entry for the protected identities among `petitions` the user is
    shown: the record itself for one, the count and the ids for several. With `request`, a
    record already logged in this request is not logged again. Returns the entry (or None
    when no protected identity was shown)."""
    shown = protected_identities_shown(user, petitions)
    if request is not None:
        logged: set[int] = getattr(request, _REQUEST_KEY, set())
        shown = [p for p in shown if p.pk not in logged]
        setattr(request, _REQUEST_KEY, logged | {p.pk for p in shown})
    shown = list({p.pk: p for p in shown}.values())
    if not shown:
        return None
    label = _where_label(where)
    if len(shown) == 1:
        return audit_record(
            action=AuditAction.VIEW_IDENTITY, user=user, instance=shown[0], message=label
        )
    ids = sorted(p.pk for p in shown)
    return audit_record(
        action=AuditAction.VIEW_IDENTITY,
        user=user,
        object_type=Petition._meta.label_lower,
        object_repr=_("%(count)d denunciations") % {"count": len(ids)},
        message=_("%(where)s: %(count)d denunciations (ids %(ids)s)")
        % {"where": label, "count": len(ids), "ids": ", ".join(f"#{i}" for i in ids)},
    )


# -- retention ---------------------------------------------------------------------------------

ERASED_FIELDS = (*IDENTITY_FIELDS, "petitioner_key")


def years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def _holds_identity() -> Q:
    q = Q()
    for name in ERASED_FIELDS:
        q |= ~Q(**{name: ""})
    return q


def expired_identities(on: dt.date) -> QuerySet[Petition]:
    """Closed petitions still holding an identity whose retention has run out on `on`: for
    each rule, the petitions of its kind in its unit's subtree (less the subtrees of deeper
    rules for the same kind, which apply there instead) closed before `on` minus its years."""
    rules = list(IdentityRetention.objects.select_related("unit").order_by("unit__path"))
    condition = Q(pk__in=[])
    for rule in rules:
        path = rule.unit.path
        cutoff = years_before(on, rule.years)
        own = Q(kind=rule.kind, unit__path__startswith=path, closed_on__lt=cutoff)
        for deeper in rules:
            other = deeper.unit.path
            if deeper.kind == rule.kind and other != path and other.startswith(path):
                own &= ~Q(unit__path__startswith=other)
        condition |= own
    return (
        Petition.objects.annotate(closed_on=Coalesce("resolved_on", "classified_on"))
        .exclude(status__in=OPEN_STATUSES)  # closed: resolved or classified away
        .filter(condition)
        .filter(_holds_identity())
        .order_by("pk")
    )


@dataclass
class PurgeResult:
    erased: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)


def identity_purge(
    *, user: Any, on: dt.date, dry_run: bool = False, batch: int = 500
) -> PurgeResult:
    """Erase the identity (name, address, identity number and the folded name used to match
    duplicates) of every petition past its retention on `on`, each with an update entry in
    the audit log (fingerprints only, as always) in the same transaction. Idempotent: an
    erased petition holds no identity, so a second run changes nothing. `dry_run` counts."""
    result = PurgeResult()
    queryset = expired_identities(on)
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).select_related("unit")[:batch])
        if not chunk:
            break
        last = chunk[-1].pk
        for petition in chunk:
            result.erased += 1
            result.by_kind[petition.kind] = result.by_kind.get(petition.kind, 0) + 1
            result.ids.append(petition.pk)
            if not dry_run:
                _erase(user=user, petition=petition)
    return result


@transaction.atomic
def _erase(*, user: Any, petition: Petition) -> None:
    before = snapshot(petition)
    for name in ERASED_FIELDS:
        setattr(petition, name, "")
    petition.save(update_fields=list(ERASED_FIELDS))
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        instance=petition,
        changes=diff(before, snapshot(petition)),
        message=_("Identity erased: the retention period has passed"),
    )


__all__ = [
    "expired_identities",
    "identity_purge",
    "log_identity_view",
    "protected_identities_shown",
]
