"""Petitions (đơn thư) and what happens to them: extensions, pauses, citizen reception
sessions, and the national holiday calendar the legal clock reads.

A denouncer's identity is protected by law (Law on Denunciations 2018, Art. 47-48): the
petitioner's name, address and identity number enter the audit log only as fingerprints
(`audit_redact`), never enter the search column of a denunciation, and are shown only to roles
with the `see_identity` action (see resources.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _

from noichinh.core.models import UnitOwned, Versioned

from . import clock
from .choices import (
    OPEN_STATUSES,
    OUTCOMES_BY_KIND,
    Channel,
    ComplaintRound,
    Complexity,
    FollowUp,
    Outcome,
    PetitionField,
    PetitionKind,
    PetitionStatus,
)
from .crypto import EncryptedCharField, blind_index

ATTACHMENT_TYPES = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "odt"]
IDENTITY_FIELDS = ("petitioner_name", "petitioner_address", "petitioner_id_number")


class Holiday(models.Model):
    """A public holiday (a day off for offices). National reference data, not owned by a unit:
    every signed-in user reads it, only system administrators change it."""

    day = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["day"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class ReceptionSession(UnitOwned):
    """A citizen reception session (tiếp công dân)."""

    held_on = models.DateField(_("date"))
    leader = models.CharField(_("leader receiving"), max_length=200)
    people = models.PositiveIntegerField(_("number of people"), default=1)
    place = models.CharField(_("place"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("citizen reception session")
        verbose_name_plural = _("citizen reception sessions")

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} — {self.leader}"


class Petition(Versioned, UnitOwned):
    """A petition received by a unit (the owner)."""

    reference = models.CharField(_("register number"), max_length=50, blank=True)
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=PetitionKind.choices)
    complaint_round = models.CharField(
        _("complaint round"),
        max_length=10,
        choices=ComplaintRound.choices,
        blank=True,
        default="",
        help_text=_("For complaints: first or second complaint."),
    )
    field = models.CharField(_("field"), max_length=20, choices=PetitionField.choices)
    subject = models.CharField(_("subject"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    # Encrypted at rest (crypto.py); `petitioner_key` is a keyed blind index of the name.
    petitioner_name = EncryptedCharField(_("petitioner"), max_length=200, blank=True)
    petitioner_address = EncryptedCharField(_("petitioner's address"), max_length=300, blank=True)
    petitioner_id_number = EncryptedCharField(
        _("petitioner's identity number"), max_length=20, blank=True
    )
    petitioner_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    accused = models.CharField(_("person or body complained about"), max_length=300, blank=True)
    session = models.ForeignKey(
        ReceptionSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("reception session"),
    )
    complexity = models.CharField(
        _("complexity"), max_length=20, choices=Complexity.choices, default=Complexity.NORMAL
    )
    attachment = models.FileField(
        _("attachment"),
        upload_to="petitions/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(ATTACHMENT_TYPES)],
        help_text=_(
            "The scanned petition (PDF, image, Word). For a denunciation only the roles that "
            "see the denouncer's identity can download it."
        ),
    )
    remote_area = models.BooleanField(
        _("remote or difficult area"),
        default=False,
        help_text=_("Longer time limits apply (Law on Complaints 2011, Art. 28 and 37)."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PetitionStatus.choices,
        default=PetitionStatus.RECEIVED,
        editable=False,
    )
    classified_on = models.DateField(_("classified on"), null=True, blank=True, editable=False)
    route_note = models.TextField(_("reason or routing note"), blank=True, editable=False)
    forwarded_to = models.CharField(_("forwarded to"), max_length=300, blank=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False)
    classify_due_on = models.DateField(
        _("deadline to classify"), null=True, blank=True, editable=False, db_index=True
    )
    resolve_due_on = models.DateField(
        _("deadline to resolve"), null=True, blank=True, editable=False, db_index=True
    )
    paused_since = models.DateField(_("paused since"), null=True, blank=True, editable=False)
    # The deadline running now (the day after it, the petition is overdue): to classify while
    # received, to resolve while accepted and not paused, none otherwise. Kept in the same
    # write as the fields it derives from (aggregates.py: on every save; set-based by
    # `aggregates.rebuild` and `count_created` after bulk inserts); indexed with the unit for
    # the overdue and due-soon filters (selectors.overdue_q; bench: 509 ms for a province).
    current_due_on = models.DateField(_("current deadline"), null=True, blank=True, editable=False)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, editable=False
    )
    resolution_note = models.TextField(_("resolution"), blank=True, editable=False)
    follow_up = models.CharField(
        _("follow-up of the decision"),
        max_length=20,
        choices=FollowUp.choices,
        blank=True,
        default="",
        editable=False,
    )
    follow_up_note = models.TextField(_("follow-up note"), blank=True, editable=False)

    audit_redact: ClassVar[tuple[str, ...]] = (*IDENTITY_FIELDS, "petitioner_key")

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [
            models.Index(fields=["status", "resolve_due_on"]),
            models.Index(fields=["received_on"]),
            # The derived counts of reports and campaigns (bench: 473 -> 30 ms nationally).
            models.Index(fields=["accepted_on", "unit"], name="petition_accepted"),
            models.Index(fields=["resolved_on", "unit"], name="petition_resolved"),
            models.Index(fields=["unit", "current_due_on"], name="petition_current_due"),
        ]

    def __str__(self) -> str:
        label = self.reference or f"#{self.pk or '—'}"
        subject = self.subject if len(self.subject) <= 80 else self.subject[:79] + "…"
        return f"{label} — {subject}"

    # -- derived ----------------------------------------------------------------------------
    @property
    def is_denunciation(self) -> bool:
        return self.kind == PetitionKind.DENUNCIATION

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def current_due(self) -> dt.date | None:
        if self.status == PetitionStatus.RECEIVED:
            return self.classify_due_on
        if self.status in (PetitionStatus.ACCEPTED, PetitionStatus.RESOLVED):
            return self.resolve_due_on
        return None

    def state_on(self, on: dt.date) -> clock.State:
        if self.status == PetitionStatus.RECEIVED:
            return clock.deadline_state(self.classify_due_on, on)
        if self.status == PetitionStatus.ACCEPTED:
            if self.paused_since is not None:
                return clock.State.NO_DEADLINE
            return clock.deadline_state(self.resolve_due_on, on)
        if self.status == PetitionStatus.RESOLVED:
            return clock.deadline_state(self.resolve_due_on, on, self.resolved_on)
        return clock.State.NO_DEADLINE

    def days_overdue_on(self, on: dt.date) -> int:
        due = self.current_due()
        done = self.resolved_on if self.status == PetitionStatus.RESOLVED else None
        return clock.days_overdue(due, on, done)

    def petitioner_display(self) -> str:
        """The petitioner as lists and exports show it: a denouncer's identity never."""
        if self.is_denunciation:
            return str(_("(protected)"))
        return self.petitioner_name

    petitioner_display.short_description = _("petitioner")  # type: ignore[attr-defined]

    def deadline_display(self) -> str:
        due = self.current_due()
        return f"{due:%d/%m/%Y}" if due else ""

    deadline_display.short_description = _("deadline")  # type: ignore[attr-defined]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == PetitionKind.COMPLAINT and not self.complaint_round:
            self.complaint_round = ComplaintRound.FIRST
        if self.kind != PetitionKind.COMPLAINT and self.complaint_round:
            errors["complaint_round"] = _("Only a complaint has a round.")
        if self.kind == PetitionKind.DENUNCIATION and not self.petitioner_name.strip():
            errors["petitioner_name"] = _(
                "A denunciation needs the denouncer's name (it stays protected)."
            )
        if self.outcome and self.kind and self.outcome not in OUTCOMES_BY_KIND.get(self.kind, ()):
            errors["outcome"] = _("This outcome does not apply to this kind of petition.")
        if errors:
            raise ValidationError(errors)
        self.petitioner_key = blind_index(self.petitioner_name)


class PetitionExtension(UnitOwned):
    """An extension of the time to resolve, by decision (Law on Denunciations 2018, Art. 30)."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("petition")
    )
    decided_on = models.DateField(_("decision date"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision document"),
    )
    days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["petition", "decided_on", "id"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        label = self.decision_number or f"{self.decided_on:%d/%m/%Y}"
        return f"{label} (+{self.days})"


class PetitionPause(UnitOwned):
    """A period during which the clock stops (e.g. waiting for an expert assessment)."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("petition")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["petition", "start", "id"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")

    def __str__(self) -> str:
        end = f"{self.end:%d/%m/%Y}" if self.end else "…"
        return f"{self.start:%d/%m/%Y} - {end}"

    def clean(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValidationError({"end": _("A pause cannot end before it starts.")})


class PetitionCount(models.Model):
    """The kept aggregate of petitions (aggregates.py): how many petitions of one kind and
    field had one event (`measure`) in one period (`grain`: a day, a month or a year starting
    on `day`), summed over the subtree of `unit` as the aggregate's own tree records it
    (`PetitionCountNode`). Kept up to date in the transaction of every petition write; the
    petitions summary reads hundreds of these rows instead of scanning the petitions."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=20)
    field = models.CharField(max_length=20)
    measure = models.CharField(max_length=10)
    grain = models.CharField(max_length=1)
    day = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "grain", "day", "measure", "kind", "field"],
                name="petition_count_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.measure} {self.grain}{self.day} {self.kind}/{self.field}"


class PetitionCountNode(models.Model):
    """The unit tree the kept aggregate rolls up along (a closure table: each unit with itself
    and each of its ancestors, `distance` steps up), recorded when the unit's first petition is
    counted and renewed by `aggregates.rebuild`. A unit moved later keeps its recorded place
    until the next rebuild, so the rolled-up rows and the tree they are read with always agree."""

    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="petition_count_nodes",
    )
    ancestor = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    distance = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "ancestor"], name="petition_count_node_key")
        ]
        indexes = [models.Index(fields=["distance", "unit"], name="petition_count_node_parent")]

    def __str__(self) -> str:
        return f"{self.unit_id} < {self.ancestor_id} ({self.distance})"


class IdentityRetention(UnitOwned):
    """How long the petitioner's identity of a closed petition of `kind` is kept in the unit's
    subtree: `years` after the petition was closed (resolved, or classified as forwarded,
    guided back, not accepted or a duplicate). Afterwards `purge_identities` erases it (the
    record stays, the name, address and identity number are blanked). The rule of the nearest
    unit above a petition applies; without one, the identity is kept (Decree 13/2023/ND-CP:
    personal data kept no longer than the purpose needs; the period is the administrator's)."""

    kind = models.CharField(_("kind of petition"), max_length=20, choices=PetitionKind.choices)
    years = models.PositiveSmallIntegerField(
        _("years kept after closing"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["unit__path", "kind"]
        verbose_name = _("identity retention rule")
        verbose_name_plural = _("identity retention rules")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="identity_retention_unit_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit}"
