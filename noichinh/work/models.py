"""Meetings and their conclusions, the key tasks they give, projects with milestones, and each
unit's annual work programme.

Meetings (and their conclusions) of a unit are read by every unit below it
(`scope_view_ancestors`): a national briefing concerns the provinces that attend it."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from noichinh.core.models import UnitOwned
from noichinh.core.text import format_date, format_number

from . import deadlines
from .choices import DeadlineState, MeetingKind, MeetingPeriod, Recurrence, TaskStatus


class Meeting(UnitOwned):
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    period = models.CharField(_("period"), max_length=20, choices=MeetingPeriod.choices, blank=True)
    session_number = models.PositiveSmallIntegerField(
        _("session number"), null=True, blank=True, help_text=_("For steering committee sessions.")
    )
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    connected_locations = models.PositiveIntegerField(
        _("connected locations"), null=True, blank=True
    )
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    attending_units = models.ManyToManyField(
        "units.Unit", blank=True, related_name="+", verbose_name=_("attending units")
    )
    expected_units = models.PositiveIntegerField(
        _("units expected"), null=True, blank=True, help_text=_("How many units were invited.")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    results = models.TextField(
        _("results"), blank=True, help_text=_("What the meeting reviewed: results of the period.")
    )
    limitations = models.TextField(_("limitations"), blank=True)
    materials = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("materials")
    )

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.title} ({format_date(self.held_on)})"

    def attendance(self) -> str:
        """Units attending against units expected, as "8/8"."""
        attending = self.attending_units.count()
        if self.expected_units:
            return f"{attending}/{self.expected_units}"
        return str(attending) if attending else ""

    attendance.short_description = _("units attending")  # type: ignore[attr-defined]

    def clean(self) -> None:
        if self.connected_locations and not self.online:
            raise ValidationError(
                {"connected_locations": _("Only an online meeting has connected locations.")}
            )


class Conclusion(UnitOwned):
    """A numbered item of a meeting's conclusions; owned by the meeting's unit."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="conclusions", verbose_name=_("meeting")
    )
    number = models.PositiveSmallIntegerField(_("item"), validators=[MinValueValidator(1)])
    text = models.TextField(_("content"))

    scope_view_ancestors: ClassVar[bool] = True

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="conclusion_unique_number")
        ]

    def __str__(self) -> str:
        short = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{self.number}. {short}"


class Project(UnitOwned):
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("documents")
    )

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def year_text(self) -> str:
        """The year as written (a year is not a quantity: 2023, not "2.023")."""
        return str(self.year)

    year_text.short_description = _("year")  # type: ignore[attr-defined]


class Milestone(UnitOwned):
    """A step of a project; owned by the project's unit."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="milestones", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["project", "due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.title} ({format_date(self.due_on)})"


class WorkProgramme(UnitOwned):
    """A unit's annual work programme: due by a date, issued (or not) by a document."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("to be issued by"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True, editable=False)
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("issuing document"),
    )

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("annual work programme")
        verbose_name_plural = _("annual work programmes")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="programme_unique_year")
        ]

    def __str__(self) -> str:
        return self.title

    def year_text(self) -> str:
        """The year as written (a year is not a quantity: 2023, not "2.023")."""
        return str(self.year)

    year_text.short_description = _("year")  # type: ignore[attr-defined]

    def timeliness(self, on: dt.date) -> deadlines.ProgrammeTimeliness:
        return deadlines.programme_timeliness(self.due_on, self.issued_on, on)

    def timeliness_today(self) -> str:
        return timeliness_text(self.timeliness(timezone.localdate()))

    timeliness_today.short_description = _("timeliness")  # type: ignore[attr-defined]


def timeliness_text(value: deadlines.ProgrammeTimeliness) -> str:
    state = deadlines.Timeliness
    if value.state == state.ON_TIME:
        return gettext("Issued on time")
    if value.state == state.LATE:
        return ngettext(
            "Issued %(days)s day late", "Issued %(days)s days late", value.days_late
        ) % {"days": format_number(value.days_late)}
    if value.state == state.OVERDUE:
        return ngettext(
            "Not issued, %(days)s day overdue", "Not issued, %(days)s days overdue", value.days_late
        ) % {"days": format_number(value.days_late)}
    return gettext("Not yet due")


class Task(UnitOwned):
    """A key task owned by its unit (`unit`), with co-operating units, a deadline or a
    recurrence, progress reports and completion. It may come from a meeting's conclusion,
    belong to a project or to an annual work programme (due in a month)."""

    number = models.PositiveSmallIntegerField(_("no."), null=True, blank=True)
    title = models.CharField(_("task"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    co_units = models.ManyToManyField(
        "units.Unit", blank=True, related_name="+", verbose_name=_("co-operating units")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("meeting"),
    )
    conclusion = models.ForeignKey(
        Conclusion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("conclusion"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("project"),
    )
    programme = models.ForeignKey(
        WorkProgramme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("work programme"),
    )
    due_month = models.PositiveSmallIntegerField(
        _("due month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("For a programme item: the deadline is the last day of this month."),
    )
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=20, choices=Recurrence.choices, blank=True, default=""
    )
    series_start = models.DateField(_("first deadline of the series"), null=True, editable=False)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("previous occurrence"),
    )
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("documents")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        editable=False,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "number", "id"]
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        prefix = f"{self.number}. " if self.number else ""
        short = self.title if len(self.title) <= 100 else self.title[:99] + "…"
        return prefix + short

    @property
    def done(self) -> bool:
        return self.status == TaskStatus.DONE

    def deadline_state(self) -> str:
        """Overdue or due soon today, in words (lists never say it by colour alone)."""
        today = timezone.localdate()
        if deadlines.is_overdue(self.due_on, today, self.done):
            return str(DeadlineState.OVERDUE.label)
        if deadlines.is_due_soon(self.due_on, today, done=self.done):
            return str(DeadlineState.DUE_SOON.label)
        return ""

    deadline_state.short_description = _("deadline state")  # type: ignore[attr-defined]

    def clean(self) -> None:
        """Derive what follows from other fields, then check: a programme item is due on the
        last day of its month; a recurring series remembers its first deadline (its day)."""
        if self.conclusion_id and not self.meeting_id:
            self.meeting = self.conclusion.meeting  # type: ignore[union-attr]
        if self.programme_id and self.due_month:
            year = self.programme.year  # type: ignore[union-attr]
            self.due_on = deadlines.month_deadline(year, self.due_month)
        if not self.recurrence:
            self.series_start = None
        elif self.series_start is None:
            self.series_start = self.due_on
        if self.conclusion_id and self.conclusion.meeting_id != self.meeting_id:  # type: ignore[union-attr]
            raise ValidationError({"conclusion": _("The conclusion belongs to another meeting.")})
        if self.recurrence and not self.due_on:
            raise ValidationError({"due_on": _("A recurring task needs its first deadline.")})
        if self.due_month and not self.programme_id:
            raise ValidationError({"due_month": _("A due month needs a work programme.")})


class TaskProgress(UnitOwned):
    """A dated progress report on a task (written by task_progress_report; owned by the task's
    unit)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("key task")
    )
    reported_on = models.DateField(_("report date"))
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{format_date(self.reported_on)}: {self.percent} %"
