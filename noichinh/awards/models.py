"""Award reviews (bình xét khen thưởng): the kinds of award, the review conference of a
cluster, its delegates (with proxies), the nominations, and the ballots.

**Secret ballots store no link between a voter and a vote, nor the order of voting.** A
delegate's participation (`BallotParticipation`: who took part, so nobody votes twice) and the
votes are kept apart: votes of a secret ballot only increment `Tally` counters (per nomination
and choice), which have no voter, no timestamp and no row per vote. Every participation row
(one per delegate, `voted` false) and every tally row (one per nomination and choice, count 0)
is created when the ballot opens, in a fixed order, so their ids say nothing about who voted
when or what was chosen first; a vote sets `voted` (no timestamp) and adds to the counters in
one statement over all the ballot's counters. Only a named vote keeps `Vote` rows with the
delegate. The audit log of a secret vote records the participation, never the choices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from noichinh.core.models import UnitOwned
from noichinh.core.text import format_date

from .choices import (
    BallotKind,
    BallotStatus,
    Choice,
    NomineeType,
    Recipients,
    ReviewStatus,
    ThresholdBasis,
)

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class AwardKind(UnitOwned):
    """A kind of award, kept by the administrators (owned by the central commission and read
    by every unit below)."""

    name = models.CharField(_("name"), max_length=300)
    authority = models.CharField(_("granting authority"), max_length=300)
    recipients = models.CharField(
        _("awarded to"), max_length=20, choices=Recipients.choices, default=Recipients.BOTH
    )
    threshold_percent = models.DecimalField(
        _("votes needed (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=PERCENT,
        help_text=_("A nomination passes with at least this share of agreeing votes."),
    )
    threshold_basis = models.CharField(
        _("share of"),
        max_length=20,
        choices=ThresholdBasis.choices,
        default=ThresholdBasis.VALID_BALLOTS,
    )
    min_score = models.DecimalField(
        _("minimum campaign score (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The nominee's weighted result in the campaign review must reach this."),
    )

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("award kind")
        verbose_name_plural = _("award kinds")

    def __str__(self) -> str:
        return self.name


class AwardReview(UnitOwned):
    """A review conference of a cluster, organised by its leading unit; the member committees
    read it."""

    cluster = models.ForeignKey(
        "units.Cluster", on_delete=models.PROTECT, related_name="+", verbose_name=_("cluster")
    )
    campaign_review = models.ForeignKey(
        "campaigns.Review",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("campaign review"),
    )
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    participants = models.CharField(
        _("attended by"),
        max_length=500,
        blank=True,
        help_text=_("Who attended besides the delegates, as the minutes write it."),
    )
    conclusions = models.TextField(
        _("results, difficulties and key tasks"),
        blank=True,
        help_text=_("What the conference concluded, as the minutes record it."),
    )
    quorum_percent = models.DecimalField(
        _("quorum (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("66.67"),
        validators=PERCENT,
        help_text=_("Share of the delegates who must be present (in person or by proxy)."),
    )
    threshold_percent = models.DecimalField(
        _("votes needed (%) for this review"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Empty: each award kind's own threshold."),
    )
    threshold_basis = models.CharField(
        _("share of"), max_length=20, choices=ThresholdBasis.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED
    )

    # Member committees of the cluster read the review.
    scope_view_also: ClassVar[tuple[str, ...]] = ("cluster__members__path",)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("award review")
        verbose_name_plural = _("award reviews")

    def __str__(self) -> str:
        return f"{self.title} ({format_date(self.held_on)})"

    def clean(self) -> None:
        if self.threshold_percent is not None and not self.threshold_basis:
            raise ValidationError({"threshold_basis": _("Say what the percentage is of.")})


class Delegate(UnitOwned):
    """A delegate of a member committee at the conference (owned by the review's unit). A
    delegate may hold the written authorisation of an absent one (`proxy_for`)."""

    review = models.ForeignKey(
        AwardReview, on_delete=models.CASCADE, related_name="delegates", verbose_name=_("review")
    )
    member = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("member committee")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account (to vote from a device)"),
    )
    present = models.BooleanField(_("present"), default=True)
    proxy_for = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proxy",
        verbose_name=_("holds the proxy of"),
    )
    authorisation = models.CharField(
        _("written authorisation"),
        max_length=200,
        blank=True,
        help_text=_("Number and date of the authorisation letter, for a proxy."),
    )

    scope_view_also: ClassVar[tuple[str, ...]] = ("review__cluster__members__path",)

    class Meta:
        ordering = ["review", "member__code", "name"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")

    def __str__(self) -> str:
        member = self.member.short_name or self.member.name if self.member_id else ""
        return f"{self.name} ({member})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        proxy = self.proxy_for if self.proxy_for_id else None
        if proxy is not None:
            if proxy.pk == self.pk:
                errors["proxy_for"] = _("A delegate cannot hold their own proxy.")
            elif proxy.review_id != self.review_id:
                errors["proxy_for"] = _("The proxy must be of a delegate of the same review.")
            elif proxy.present:
                errors["proxy_for"] = _("Only an absent delegate gives a proxy.")
            elif not self.present:
                errors["proxy_for"] = _("Only a delegate who is present can hold a proxy.")
            if not self.authorisation:
                errors["authorisation"] = _("A proxy needs its written authorisation.")
        if errors:
            raise ValidationError(errors)


class Nomination(UnitOwned):
    """A member committee's proposal (owned by the nominating committee; the organiser and the
    other members of the cluster read it)."""

    review = models.ForeignKey(
        AwardReview, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("review")
    )
    kind = models.ForeignKey(
        AwardKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("award kind")
    )
    nominee_type = models.CharField(
        _("nominee"), max_length=20, choices=NomineeType.choices, default=NomineeType.COLLECTIVE
    )
    nominee_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collective nominated"),
    )
    person_name = models.CharField(_("person nominated"), max_length=200, blank=True)
    person_position = models.CharField(_("position"), max_length=200, blank=True)
    achievements = models.TextField(_("achievements"))
    figures = models.TextField(
        _("campaign figures"),
        blank=True,
        editable=False,
        help_text=_("Attached from the campaign review when the nomination is made."),
    )
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("supporting documents")
    )

    scope_view_also: ClassVar[tuple[str, ...]] = (
        "review__unit__path",
        "review__cluster__members__path",
    )

    class Meta:
        ordering = ["review", "kind__name", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self) -> str:
        return f"{self.nominee_label()}: {self.kind}" if self.kind_id else self.nominee_label()

    def nominee_label(self) -> str:
        if self.nominee_type == NomineeType.INDIVIDUAL:
            return self.person_name
        unit = self.nominee_unit if self.nominee_unit_id else None
        return str(unit.short_name or unit.name) if unit is not None else ""

    nominee_label.short_description = _("nominee")  # type: ignore[attr-defined]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.nominee_type == NomineeType.COLLECTIVE and not self.nominee_unit_id:
            errors["nominee_unit"] = _("Choose the collective nominated.")
        if self.nominee_type == NomineeType.INDIVIDUAL and not self.person_name.strip():
            errors["person_name"] = _("Give the name of the person nominated.")
        kind = self.kind if self.kind_id else None
        if kind is not None and kind.recipients not in (Recipients.BOTH, self.nominee_type):
            errors["kind"] = _("This award is not given to this kind of nominee.")
        if errors:
            raise ValidationError(errors)


class Ballot(UnitOwned):
    """One round of voting on all the review's nominations (owned by the review's unit)."""

    review = models.ForeignKey(
        AwardReview, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("review")
    )
    number = models.PositiveSmallIntegerField(_("round"), default=1)
    kind = models.CharField(
        _("kind"), max_length=20, choices=BallotKind.choices, default=BallotKind.SECRET
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BallotStatus.choices,
        default=BallotStatus.OPEN,
        editable=False,
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, editable=False)
    delegates_total = models.PositiveIntegerField(_("delegates"), default=0, editable=False)
    delegates_present = models.PositiveIntegerField(
        _("delegates present or represented"), default=0, editable=False
    )

    scope_view_also: ClassVar[tuple[str, ...]] = ("review__cluster__members__path",)

    class Meta:
        ordering = ["review", "number"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="ballot_unique_round")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}: {self.review.title}"


class BallotParticipation(models.Model):
    """Whether a delegate took part in a ballot (on a device, by proxy, or on paper): no
    choices, no time. One row per delegate, created when the ballot opens (ids in the
    delegates' order, not the voting order); casting a vote turns `voted` on with a conditional
    update, so a second vote is impossible, even under concurrent submissions."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="participations")
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="+")
    voted = models.BooleanField(default=False)
    cast_by = models.ForeignKey(
        Delegate, on_delete=models.PROTECT, null=True, related_name="+"
    )  # the proxy holder, when it is not the delegate
    paper = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "delegate"], name="participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}/{self.delegate_id}"


class Tally(models.Model):
    """The counted votes of a nomination in a ballot, per choice: no voter, no timestamp. All
    rows of a ballot exist from its opening (count 0), in a fixed order."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="tallies")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=20, choices=Choice.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "nomination", "choice"], name="tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.choice}: {self.count}"


class Vote(models.Model):
    """A named vote (never used by a secret ballot)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="named_votes")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="+")
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=20, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "nomination", "delegate"], name="vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.delegate_id}: {self.choice}"
