"""Thematic emulation campaigns: the plan, its criteria (each computed from a derived count of
the registries, never typed), its reviews (midterm and final, each with a cut-off date), and
the targets units register, submit and have approved by the level above.

A campaign, its criteria and reviews belong to the organising unit and are read by every unit
below it (`scope_view_ancestors`). A registration belongs to the registering unit."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noichinh.core.counts import all_counts
from noichinh.core.models import UnitOwned

from .choices import CampaignState, CriterionLevel, RegistrationStatus, ReviewKind


class Campaign(UnitOwned):
    title = models.CharField(_("title"), max_length=300)
    plan = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan"),
    )
    theme = models.TextField(_("theme"), blank=True)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["-start_on", "title"]
        verbose_name = _("emulation campaign")
        verbose_name_plural = _("emulation campaigns")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The campaign cannot end before it starts.")})

    def state_on(self, day: dt.date | None = None) -> str:
        """Not started, under way or ended on `day` (today), from the dates alone."""
        day = day or timezone.localdate()
        if day < self.start_on:
            return CampaignState.UPCOMING
        if day > self.end_on:
            return CampaignState.ENDED
        return CampaignState.RUNNING

    @property
    def state(self) -> str:
        return self.state_on()

    def state_text(self) -> str:
        return str(CampaignState(self.state_on()).label)

    state_text.short_description = _("state")  # type: ignore[attr-defined]


class Criterion(UnitOwned):
    """What is counted: a derived count of the registries from the catalogue (core.counts)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("campaign")
    )
    number = models.CharField(_("item"), max_length=10)
    name = models.CharField(_("name"), max_length=300)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("of which, part of"),
    )
    count_key = models.CharField(
        _("computed from"),
        max_length=100,
        help_text=_("The registry figure that gives the result; never typed by hand."),
    )
    level = models.CharField(
        _("registered by"),
        max_length=20,
        choices=CriterionLevel.choices,
        default=CriterionLevel.COMMITTEE,
    )
    measure = models.CharField(_("measure"), max_length=40, blank=True)
    counts_towards = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counts towards"),
        help_text=_(
            "For a criterion of the units below: the committee's criterion their sum is "
            "compared with."
        ),
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Weight of this criterion in the cluster's scoring."),
    )

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="criterion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self) -> None:
        known = {c.key for c in all_counts()}
        if self.count_key and self.count_key not in known:
            raise ValidationError({"count_key": _("Choose a figure from the list.")})
        parent = self.parent if self.parent_id else None
        if parent is not None and self.campaign_id and parent.campaign_id != self.campaign_id:
            raise ValidationError({"parent": _("The parent criterion must be of this campaign.")})


class Review(UnitOwned):
    """A midterm (sơ kết) or final (tổng kết) review; records up to the cut-off count."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("campaign")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    title = models.CharField(_("title"), max_length=300)
    cutoff_on = models.DateField(
        _("cut-off date"), help_text=_("Records dated after this day do not count.")
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["campaign", "cutoff_on"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="review_unique_kind")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        campaign = self.campaign if self.campaign_id else None
        if campaign and self.cutoff_on and not campaign.start_on <= self.cutoff_on:
            raise ValidationError(
                {"cutoff_on": _("The cut-off must fall after the campaign's start.")}
            )


class TargetRegistration(UnitOwned):
    """A unit's registration of targets in a campaign (đăng ký chỉ tiêu), approved by the level
    above; amended only with a reason once approved."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("campaign"),
    )
    plan = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("implementing plan"),
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.DRAFT,
        editable=False,
    )
    submitted_on = models.DateField(_("submitted on"), null=True, editable=False)
    decided_on = models.DateField(_("decided on"), null=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("decided by"),
    )
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)

    class Meta:
        ordering = ["campaign", "unit__path"]
        verbose_name = _("target registration")
        verbose_name_plural = _("target registrations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="registration_unique_unit")
        ]

    def __str__(self) -> str:
        unit = self.unit.short_name or self.unit.name if self.unit_id else ""
        return f"{unit}: {self.campaign}" if self.campaign_id else str(unit)

    @property
    def editable(self) -> bool:
        return self.status in (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED)


class Target(UnitOwned):
    """A registered target: for the whole period (no review) or by a review."""

    registration = models.ForeignKey(
        TargetRegistration,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("registration"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by the review"),
        help_text=_("Empty: the target for the whole period."),
    )
    value = models.PositiveIntegerField(_("target"))

    class Meta:
        ordering = ["registration", "criterion__number", "review__cutoff_on"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "criterion", "review"], name="target_unique"
            ),
            models.UniqueConstraint(
                fields=["registration", "criterion"],
                condition=models.Q(review__isnull=True),
                name="target_unique_whole_period",
            ),
        ]

    def __str__(self) -> str:
        when = str(self.review) if self.review_id else _("whole period")
        return f"{self.criterion.number} ({when}): {self.value}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        registration = self.registration if self.registration_id else None
        campaign_id = registration.campaign_id if registration else None
        if campaign_id and self.criterion_id and self.criterion.campaign_id != campaign_id:
            errors["criterion"] = _("The criterion must be of the registration's campaign.")
        review = self.review if self.review_id else None
        if campaign_id and review is not None and review.campaign_id != campaign_id:
            errors["review"] = _("The review must be of the registration's campaign.")
        if errors:
            raise ValidationError(errors)


class TargetChange(UnitOwned):
    """The history of an approved target's amendments, each with its reason."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="changes", verbose_name=_("target")
    )
    old_value = models.PositiveIntegerField(_("previous target"))
    new_value = models.PositiveIntegerField(_("new target"))
    reason = models.TextField(_("reason"))
    changed_on = models.DateField(_("date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["-changed_on", "-id"]
        verbose_name = _("target amendment")
        verbose_name_plural = _("target amendments")

    def __str__(self) -> str:
        return f"{self.target}: {self.old_value} → {self.new_value}"
