"""The tree of units, as data with history.

`Unit` is an identity with its current state; `UnitVersion` rows keep every state it had
(name, parent, kind) with the dates it held, so the tree can be read as it was on any day;
`UnitEvent` records each reorganisation (established, renamed, moved, merged, split, closed)
with the units before and after. `path` is a materialized path of zero-padded ids
("0000001.0000012."), so a subtree is one indexed prefix condition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar, NamedTuple

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noichinh.core.models import Record
from noichinh.core.scoping import ScopedQuerySet, user_scope
from noichinh.core.text import format_date

from .choices import EventKind, LinkRole, UnitKind

SEGMENT = 7
EM_SPACE = "\u2003"  # indents the tree in lists


def segment(pk: int) -> str:
    return f"{pk:0{SEGMENT}d}."


class UnitQuerySet(ScopedQuerySet["Unit"]):
    def active_on(self, day: dt.date | None = None) -> UnitQuerySet:
        day = day or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def active(self) -> UnitQuerySet:
        return self.filter(valid_to__isnull=True)

    def scope_choices(self, user: Any) -> list[Unit]:
        """Units a user can pick in the scope picker: their assigned units and the active
        units one level below."""
        scope = user_scope(user, "view", Unit)
        if scope.empty:
            return []
        tops = list(self.filter(path__in=scope.paths).order_by("path"))
        children = self.filter(parent__in=tops).active().exclude(kind=UnitKind.DEPARTMENT)
        return sorted([*tops, *children.order_by("path")[:200]], key=lambda u: u.path)


UnitManager = models.Manager.from_queryset(UnitQuerySet)


class Unit(Record):
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short unique code, e.g. BNCTW or NA-BNCTU."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("effective from"))
    valid_to = models.DateField(_("effective until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor unit"),
    )

    objects = UnitManager()
    scope_path_lookup: ClassVar[str] = "path"

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    def name_on(self, day: dt.date) -> UnitName:
        """The unit's name on `day` (see `names_on`); today's if it had none yet."""
        return names_on([self.pk], day).get(self.pk, UnitName(self.name, self.short_name))

    def tree_label(self) -> str:
        return EM_SPACE * self.depth + self.name

    tree_label.short_description = _("name")  # type: ignore[attr-defined]

    def status_label(self) -> str:
        """Active; merged (closed with a successor); or closed."""
        if self.is_active:
            return str(_("Active"))
        return str(_("Merged away")) if self.successor_id else str(_("Closed"))

    status_label.short_description = _("status")  # type: ignore[attr-defined]

    def ancestors(self) -> models.QuerySet[Unit]:
        prefixes = [self.path[: i * (SEGMENT + 1)] for i in range(1, self.depth + 1)]
        return Unit.objects.filter(path__in=prefixes).order_by("depth")

    def descendants(self) -> UnitQuerySet:
        return Unit.objects.filter(path__startswith=self.path).exclude(pk=self.pk)


class UnitEvent(models.Model):
    """One reorganisation: which units there were before and which after, on what date, by which
    decision."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("effective date"))
    document = models.CharField(
        _("decision"), max_length=100, blank=True, help_text=_("Number and symbol, e.g. 60-NQ/TW.")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)
    units: models.ManyToManyField[Unit, UnitEventLink] = models.ManyToManyField(
        Unit, through="UnitEventLink", related_name="events"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("reorganisation event")
        verbose_name_plural = _("reorganisation events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_date(self.date)}"

    def sources(self) -> list[Unit]:
        return [link.unit for link in self.links.all() if link.role == LinkRole.SOURCE]

    def targets(self) -> list[Unit]:
        return [link.unit for link in self.links.all() if link.role == LinkRole.TARGET]


class UnitEventLink(models.Model):
    event = models.ForeignKey(UnitEvent, on_delete=models.CASCADE, related_name="links")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="event_links")
    role = models.CharField(max_length=10, choices=LinkRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "unit", "role"], name="unit_event_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.role}:{self.unit_id}"


class UnitVersion(models.Model):
    """A state a unit held between two dates."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent unit"),
    )
    event = models.ForeignKey(UnitEvent, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["unit", "-valid_from", "-id"]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.name} ({format_date(self.valid_from)}-)"


class MergedOutsideRule(models.TextChoices):
    """How a member merged into a unit outside the cluster counts in the cluster's table."""

    COUNT_UNTIL_CLOSING = (
        "count_until_closing",
        _("Counted until its closing (its own target, its records up to its closing date)"),
    )
    EXCLUDE = "exclude", _("Left out of the table (its target and records are not counted)")


class Cluster(Record):
    """An emulation cluster (cụm thi đua) of provincial committees, owned by the unit that
    runs it. Membership is dated (`ClusterMembership`): a table of a past review reads the
    members of its cut-off date."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="owned_clusters", verbose_name=_("unit")
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    region = models.CharField(_("region"), max_length=255, blank=True)
    members: models.ManyToManyField[Unit, ClusterMembership] = models.ManyToManyField(
        Unit,
        through="ClusterMembership",
        related_name="clusters",
        blank=True,
        verbose_name=_("member units"),
    )
    merged_outside_rule = models.CharField(
        _("a member merged into a unit outside the cluster"),
        max_length=30,
        choices=MergedOutsideRule.choices,
        default=MergedOutsideRule.COUNT_UNTIL_CLOSING,
        help_text=_(
            "Chosen by the organising unit; stated under the cluster's table of every review."
        ),
    )

    objects = models.Manager.from_queryset(ScopedQuerySet)()
    scope_path_lookup: ClassVar[str] = "unit__path"
    # Member committees see the cluster they belong to (read-only).
    scope_view_also: ClassVar[tuple[str, ...]] = ("members__path",)

    class Meta:
        ordering = ["code"]
        verbose_name = _("emulation cluster")
        verbose_name_plural = _("emulation clusters")

    def __str__(self) -> str:
        return self.name

    def memberships_on(self, day: dt.date) -> models.QuerySet[ClusterMembership]:
        """The memberships in force on `day`."""
        return (
            self.memberships.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .select_related("unit__successor")
        )


class ClusterMembership(models.Model):
    """A unit's membership of a cluster between two dates (`valid_from` empty: since the unit
    existed; `valid_to` empty: still a member). A member closed while in the cluster stays a
    member of the days before its closing."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cluster")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="cluster_memberships",
        verbose_name=_("member unit"),
    )
    valid_from = models.DateField(
        _("member from"), null=True, blank=True, help_text=_("Empty: since the unit existed.")
    )
    valid_to = models.DateField(_("member until"), null=True, blank=True)

    class Meta:
        ordering = ["cluster", "unit__code", "valid_from"]
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="cluster_membership_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster_id}:{self.unit_id}"


class UnitName(NamedTuple):
    name: str
    short_name: str

    @property
    def label(self) -> str:
        """The short name if there is one (the tables' column), else the full name."""
        return self.short_name or self.name


def names_on(unit_ids: Iterable[int], day: dt.date) -> dict[int, UnitName]:
    """The name each unit had on `day`, in one query: the version in force that day, or for a
    unit closed before it the last version it had. A unit established after `day` (no version
    yet) is absent: the caller falls back to its current name."""
    ids = sorted(set(unit_ids))
    names: dict[int, UnitName] = {}
    if not ids:
        return names
    rows = (
        UnitVersion.objects.filter(unit_id__in=ids, valid_from__lte=day)
        .order_by("unit_id", "valid_from", "id")
        .values_list("unit_id", "name", "short_name")
    )
    for unit_id, name, short_name in rows:  # the latest version starting by `day` wins
        names[unit_id] = UnitName(name, short_name)
    return names
