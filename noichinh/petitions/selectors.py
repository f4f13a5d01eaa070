"""What leaders ask of petitions; every read starts from the gate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Case, Count, F, Q, QuerySet, When

from noichinh.core.text import fold

from . import clock
from .choices import PetitionStatus
from .models import Petition

STOP_WORDS = frozenset(
    [
        "va",
        "cua",
        "cac",
        "ve",
        "viec",
        "don",
        "de",
        "nghi",
        "cho",
        "tai",
        "trong",
        "voi",
        "la",
        "co",
        "khong",
        "bi",
        "duoc",
        "nguoi",
        "ong",
        "ba",
    ]
)


def visible(user: Any) -> Any:
    """Petitions the user may see (a scoped queryset: `within` narrows it)."""
    return Petition.objects.restrict(user, "view")


def overdue_q(on: dt.date) -> Q:
    """Open petitions past their deadline on `on` (a paused petition's clock is stopped)."""
    received = Q(status=PetitionStatus.RECEIVED, classify_due_on__lt=on)
    accepted = Q(status=PetitionStatus.ACCEPTED, paused_since__isnull=True, resolve_due_on__lt=on)
    return received | accepted


def due_soon_q(on: dt.date, days: int = clock.DUE_SOON_DAYS) -> Q:
    last = on + dt.timedelta(days=days)
    received = Q(status=PetitionStatus.RECEIVED, classify_due_on__gte=on, classify_due_on__lte=last)
    accepted = Q(
        status=PetitionStatus.ACCEPTED,
        paused_since__isnull=True,
        resolve_due_on__gte=on,
        resolve_due_on__lte=last,
    )
    return received | accepted


def resolved_late_q() -> Q:
    return Q(status=PetitionStatus.RESOLVED, resolved_on__gt=F("resolve_due_on"))


def petition_list_overdue(user: Any, on: dt.date) -> Any:
    """Overdue petitions, the longest overdue first."""
    return (
        visible(user)
        .filter(overdue_q(on))
        .select_related("unit")
        .annotate(
            due=Case(
                When(status=PetitionStatus.ACCEPTED, then=F("resolve_due_on")),
                default=F("classify_due_on"),
            )
        )
        .order_by("due", "id")
    )


def petition_list_due_soon(user: Any, on: dt.date) -> QuerySet[Petition]:
    return visible(user).filter(due_soon_q(on)).select_related("unit")


@dataclass(frozen=True)
class Figures:
    received: int
    accepted: int
    resolved: int
    resolved_late: int

    @property
    def rate(self) -> Decimal | None:
        """Resolved / accepted in the period, in percent."""
        if not self.accepted:
            return None
        return Decimal(self.resolved * 100) / Decimal(self.accepted)


def shift_year(day: dt.date, years: int = -1) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/2
        return day.replace(year=day.year + years, day=28)


def figures(queryset: QuerySet[Petition], start: dt.date, end: dt.date) -> Figures:
    """Received, accepted, resolved (and resolved late) in [start, end], each by its own date.
    Only rows with one of the three dates in the window are read (each date is indexed)."""
    in_window = (
        Q(received_on__gte=start, received_on__lte=end)
        | Q(accepted_on__gte=start, accepted_on__lte=end)
        | Q(resolved_on__gte=start, resolved_on__lte=end)
    )
    row = (
        queryset.filter(in_window)
        .order_by()
        .aggregate(
            received=Count("id", filter=Q(received_on__gte=start, received_on__lte=end)),
            accepted=Count("id", filter=Q(accepted_on__gte=start, accepted_on__lte=end)),
            resolved=Count("id", filter=Q(resolved_on__gte=start, resolved_on__lte=end)),
            resolved_late=Count(
                "id",
                filter=Q(resolved_on__gte=start, resolved_on__lte=end) & resolved_late_q(),
            ),
        )
    )
    return Figures(row["received"], row["accepted"], row["resolved"], row["resolved_late"])


@dataclass(frozen=True)
class Summary:
    current: Figures
    last_year: Figures
    overdue: int
    due_soon: int


def summary(queryset: QuerySet[Petition], start: dt.date, end: dt.date, on: dt.date) -> Summary:
    """The period's figures, the same period last year, and today's overdue / due soon."""
    current = figures(queryset, start, end)
    last_year = figures(queryset, shift_year(start), shift_year(end))
    # Only open petitions can be overdue or due soon (bench: 855 -> 172 ms nationally).
    open_ones = queryset.filter(status__in=[PetitionStatus.RECEIVED, PetitionStatus.ACCEPTED])
    state = open_ones.order_by().aggregate(
        overdue=Count("id", filter=overdue_q(on)), due_soon=Count("id", filter=due_soon_q(on))
    )
    return Summary(current, last_year, state["overdue"], state["due_soon"])


def breakdown(
    queryset: QuerySet[Petition], by: str, start: dt.date, end: dt.date, on: dt.date
) -> list[dict[str, Any]]:
    """Figures per value of `by` ("unit", "kind" or "field"), with the same period last year."""
    ly_start, ly_end = shift_year(start), shift_year(end)
    rows = list(
        queryset.order_by()
        .values(by)
        .annotate(
            received=Count("id", filter=Q(received_on__gte=start, received_on__lte=end)),
            accepted=Count("id", filter=Q(accepted_on__gte=start, accepted_on__lte=end)),
            resolved=Count("id", filter=Q(resolved_on__gte=start, resolved_on__lte=end)),
            resolved_late=Count(
                "id",
                filter=Q(resolved_on__gte=start, resolved_on__lte=end) & resolved_late_q(),
            ),
            received_ly=Count("id", filter=Q(received_on__gte=ly_start, received_on__lte=ly_end)),
            overdue=Count("id", filter=overdue_q(on)),
        )
    )
    rows = [
        r
        for r in rows
        if r["received"] or r["accepted"] or r["resolved"] or r["overdue"] or r["received_ly"]
    ]
    for r in rows:
        r["rate"] = Decimal(r["resolved"] * 100) / Decimal(r["accepted"]) if r["accepted"] else None
    if by == "unit":
        unit_model = apps.get_model("units", "Unit")
        units = unit_model.objects.in_bulk([r["unit"] for r in rows])
        for r in rows:
            r["unit"] = units[r["unit"]]
        rows.sort(key=lambda r: r["unit"].path)
    else:
        choices = dict(getattr(Petition._meta.get_field(by), "choices", None) or [])
        for r in rows:
            r["value"] = r[by]
            r["label"] = choices.get(r[by], r[by])
        rows.sort(key=lambda r: -r["received"])
    return rows


def _words(text: str) -> set[str]:
    return {w for w in fold(text).replace(",", " ").split() if len(w) > 2 and w not in STOP_WORDS}


def similar_subject(a: str, b: str, threshold: float = 0.4) -> bool:
    """Subjects sharing enough significant words (folded, without diacritics)."""
    left, right = _words(a), _words(b)
    if not left or not right:
        return False
    return len(left & right) / len(left | right) >= threshold


def petition_duplicates(user: Any, petition: Petition, limit: int = 10) -> list[Petition]:
    """Likely duplicates: the same petitioner (folded name) and a similar subject, among the
    earlier petitions the user may see in the subtree of the receiving unit's parent."""
    if not petition.petitioner_key:
        return []
    unit = petition.unit
    segments = [p for p in unit.path.split(".") if p]
    parent_path = ".".join(segments[:-1]) + "." if len(segments) > 1 else unit.path
    candidates = (
        visible(user)
        .filter(petitioner_key=petition.petitioner_key, unit__path__startswith=parent_path)
        .exclude(pk=petition.pk)
        .filter(received_on__lte=petition.received_on)
        .select_related("unit")
        .order_by("-received_on")[:200]
    )
    found = [c for c in candidates if similar_subject(c.subject, petition.subject)]
    return found[:limit]
