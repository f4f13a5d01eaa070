"""The tree of units, as data with history.

`Unit` is an identity with its current state; `UnitVersion` rows keep every state it had
(name, parent, kind) with the dates it held, so the tree can be read as it was on any day;
`UnitEvent` records each reorganisation (established, renamed, moved, merged, split, closed)
with the units before and after. `path` is a materialized path of zero-padded ids
("0000001.0000012."), so a subtree is one indexed prefix condition.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noichinh.core.models import Record
from noichinh.core.scoping import ScopedQuerySet, user_scope

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
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

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
        return f"{self.name} ({self.valid_from:%d/%m/%Y}-)"


class Cluster(Record):
    """An emulation cluster (cụm thi đua) of provincial committees, owned by the unit that
    runs it."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="owned_clusters", verbose_name=_("unit")
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    region = models.CharField(_("region"), max_length=255, blank=True)
    members = models.ManyToManyField(
        Unit, related_name="clusters", blank=True, verbose_name=_("member units")
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
