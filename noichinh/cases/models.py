"""The registry leaders follow: cases and matters of corruption and negative conduct, their
dated progress through the stages, suspensions, split-off phases; and complex, prominent
security and order issues.

A case's current stage, last activity, open suspension and headline figures are kept on the
case (derived from its events and suspensions by `services.case_refresh`) so that lists,
filters and the stalled rule are single indexed queries.

Confidential cases are narrowed by the gate itself (`scope_narrow`): only roles holding
"view_confidential" on the unit see them, in every list, page, export, search and API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noichinh.core.models import UnitOwned, Versioned
from noichinh.core.scoping import user_scope
from noichinh.core.text import format_date

from . import rules
from .choices import (
    STALL_STAGES,
    CaseField,
    CaseKind,
    Conduct,
    Confidentiality,
    Detection,
    IssueKind,
    IssueStatus,
    MonitoringLevel,
    Stage,
    SuspensionReason,
)

VIEW_CONFIDENTIAL = "view_confidential"


def _department_outside(record: Any) -> bool:
    """A department in charge must be the owner unit or below it."""
    if not (record.department_id and record.unit_id) or record.department_id == record.unit_id:
        return False
    return not record.department.path.startswith(record.unit.path)


def _confidential_scope(user: Any) -> Any:
    return user_scope(user, VIEW_CONFIDENTIAL, Case)


class Case(Versioned, UnitOwned):
    title = models.CharField(_("title"), max_length=400)
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    conduct = models.CharField(
        _("conduct"), max_length=20, choices=Conduct.choices, default=Conduct.CORRUPTION
    )
    field = models.CharField(_("field"), max_length=20, choices=CaseField.choices)
    department = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department in charge"),
    )
    detected_on = models.DateField(_("detected on"))
    detection = models.CharField(_("how it was detected"), max_length=20, choices=Detection.choices)
    public_concern = models.BooleanField(_("of public concern"), default=False)
    monitoring = models.CharField(
        _("monitoring level"), max_length=2, choices=MonitoringLevel.choices, blank=True
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.NORMAL,
        help_text=_("A confidential case is seen only by heads and system administrators."),
    )
    summary = models.TextField(_("summary"), blank=True)
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("directing documents")
    )
    origin = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="phases",
        verbose_name=_("split off from"),
    )
    phase = models.PositiveSmallIntegerField(_("phase"), default=1, editable=False)
    # Derived from events and suspensions (services.case_refresh).
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.REGISTERED, editable=False
    )
    last_event_on = models.DateField(_("last activity"), null=True, editable=False)
    suspended_since = models.DateField(_("suspended since"), null=True, editable=False)
    suspension_reason = models.CharField(
        _("suspension reason"),
        max_length=20,
        choices=SuspensionReason.choices,
        blank=True,
        editable=False,
    )
    closed_on = models.DateField(_("closed on"), null=True, editable=False)
    people_prosecuted = models.PositiveIntegerField(
        _("people prosecuted"), null=True, editable=False
    )
    damage_amount = models.DecimalField(
        _("damage (VND)"), null=True, editable=False, max_digits=20, decimal_places=0
    )
    recovered_amount = models.DecimalField(
        _("recovered (VND)"), null=True, editable=False, max_digits=20, decimal_places=0
    )

    class Meta:
        ordering = ["-detected_on", "-id"]
        verbose_name = _("case or matter")
        verbose_name_plural = _("cases and matters")
        indexes = [
            models.Index(fields=["stage", "last_event_on"], name="case_stage_activity"),
            models.Index(fields=["detected_on"], name="case_detected"),
        ]

    def __str__(self) -> str:
        if self.phase > 1:
            return f"{self.title} ({_('phase')} {self.phase})"
        return self.title

    @classmethod
    def scope_narrow(cls, user: Any) -> Q:
        return Q(confidentiality=Confidentiality.NORMAL) | _confidential_scope(user).q("unit__path")

    @classmethod
    def scope_allows(cls, user: Any, obj: Any) -> bool:
        if obj.confidentiality == Confidentiality.NORMAL:
            return True
        return bool(obj.unit_id) and _confidential_scope(user).covers(obj.unit.path)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.detected_on and self.detected_on > timezone.localdate():
            errors["detected_on"] = _("The detection date cannot be in the future.")
        if _department_outside(self):
            errors["department"] = _("The department must belong to the unit following it.")
        if errors:
            raise ValidationError(errors)

    @property
    def closed(self) -> bool:
        return self.stage == Stage.CLOSED

    def stall(self, on: dt.date | None = None) -> rules.StallVerdict:
        on = on or timezone.localdate()
        return rules.stall_verdict(
            stage=self.stage,
            last_activity=self.last_event_on or self.detected_on,
            suspended_since=self.suspended_since,
            on=on,
            rule=rules.rule_for(self.stage, self.unit.path, rules.cached_rules()),
        )

    def stall_text(self) -> str:
        reason = self.get_suspension_reason_display() if self.suspension_reason else ""
        return rules.verdict_text(self.stall(), str(reason))

    stall_text.short_description = _("progress")  # type: ignore[attr-defined]

    def monitoring_short(self) -> str:
        return str({"1": _("CSC"), "2": _("CIAC"), "3": _("PSC")}.get(self.monitoring, ""))

    monitoring_short.short_description = _("monitoring")  # type: ignore[attr-defined]


class CaseEvent(UnitOwned):
    """A dated step of a case; the figures are as they stand at this event (the latest event
    that records a figure gives the case's figure)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case or matter")
    )
    occurred_on = models.DateField(_("date"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    description = models.TextField(_("description"), blank=True)
    people_prosecuted = models.PositiveIntegerField(_("people prosecuted"), null=True, blank=True)
    damage_amount = models.DecimalField(
        _("damage (VND)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        max_digits=20,
        decimal_places=0,
    )
    recovered_amount = models.DecimalField(
        _("recovered (VND)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        max_digits=20,
        decimal_places=0,
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )

    class Meta:
        ordering = ["case", "occurred_on", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {format_date(self.occurred_on)}"

    @classmethod
    def scope_narrow(cls, user: Any) -> Q:
        return Q(case__confidentiality=Confidentiality.NORMAL) | _confidential_scope(user).q(
            "case__unit__path"
        )

    @classmethod
    def scope_allows(cls, user: Any, obj: Any) -> bool:
        return not obj.case_id or Case.scope_allows(user, obj.case)

    def clean(self) -> None:
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
        if self.case_id and self.occurred_on and self.occurred_on < self.case.detected_on:
            raise ValidationError(
                {"occurred_on": _("The event cannot precede the case's detection date.")}
            )


class CaseSuspension(UnitOwned):
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="suspensions",
        verbose_name=_("case or matter"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=SuspensionReason.choices)
    started_on = models.DateField(_("suspended from"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )

    class Meta:
        ordering = ["case", "-started_on", "-id"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({format_date(self.started_on)})"

    scope_narrow = CaseEvent.scope_narrow
    scope_allows = CaseEvent.scope_allows

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError(
                {"ended_on": _("The case cannot resume before it was suspended.")}
            )
        if self.case_id and self.started_on and self.started_on < self.case.detected_on:
            raise ValidationError(
                {"started_on": _("The suspension cannot precede the case's detection date.")}
            )

    def days(self, on: dt.date | None = None) -> int:
        return rules.suspended_days([(self.started_on, self.ended_on)], on or timezone.localdate())

    days.short_description = _("days suspended")  # type: ignore[attr-defined]


class StallRule(UnitOwned):
    """When a case at a stage counts as stalled: no event for `no_event_days`, or suspended
    for longer than `suspended_days`. A unit's rule applies to its subtree; the most specific
    unit's rule wins; a stage without a rule uses `rules.DEFAULT_RULES`."""

    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=STALL_STAGES,
    )
    no_event_days = models.PositiveIntegerField(
        _("days without an event"), validators=[MinValueValidator(1)]
    )
    suspended_days = models.PositiveIntegerField(
        _("days suspended"), validators=[MinValueValidator(1)]
    )

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["unit__path", "stage"]
        verbose_name = _("stalled rule")
        verbose_name_plural = _("stalled rules")
        constraints = [
            models.UniqueConstraint(fields=["unit", "stage"], name="stallrule_unique_stage")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.no_event_days}/{self.suspended_days}"


class SecurityIssue(UnitOwned):
    """A complex, prominent security and order issue; `unit` is the committee that advised on
    it."""

    title = models.CharField(_("title"), max_length=400)
    kind = models.CharField(_("kind"), max_length=20, choices=IssueKind.choices)
    location = models.CharField(_("location"), max_length=300)
    people_count = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    department = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department in charge"),
    )
    started_on = models.DateField(_("started on"))
    advised_on = models.DateField(
        _("advised on"), help_text=_("When the committee advised the party committee on it.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.ONGOING
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    description = models.TextField(_("description"), blank=True)
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("documents")
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("security and order issue")
        verbose_name_plural = _("security and order issues")
        indexes = [models.Index(fields=["advised_on"], name="issue_advised")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        today = timezone.localdate()
        if self.started_on and self.started_on > today:
            errors["started_on"] = _("The start date cannot be in the future.")
        if self.advised_on and self.started_on and self.advised_on < self.started_on:
            errors["advised_on"] = _("The advice cannot precede the start of the issue.")
        if self.status == IssueStatus.RESOLVED and not self.resolved_on:
            errors["resolved_on"] = _("Give the date the issue was resolved.")
        if self.resolved_on and self.status != IssueStatus.RESOLVED:
            errors["status"] = _("An issue with a resolution date is resolved.")
        if self.resolved_on and self.started_on and self.resolved_on < self.started_on:
            errors["resolved_on"] = _("The resolution cannot precede the start of the issue.")
        if _department_outside(self):
            errors["department"] = _("The department must belong to the advising unit.")
        if errors:
            raise ValidationError(errors)
