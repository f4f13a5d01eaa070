"""The verbs of key tasks and programmes. Each is atomic, checks the gate on the record it
changes and writes its audit entry in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from noichinh.core.audit import audit_record, diff, snapshot
from noichinh.core.models import AuditAction
from noichinh.core.scoping import can_on
from noichinh.core.services import audit_transition, object_create
from noichinh.core.services import require as _require

from . import deadlines
from .choices import TaskStatus
from .models import Conclusion, Task, TaskProgress, WorkProgramme


def _transition(user: Any, instance: Any, before: dict[str, Any], message: str = "") -> None:
    audit_transition(user=user, instance=instance, before=before, message=message)


def _next_occurrence(*, user: Any, task: Task) -> Task | None:
    """When a recurring task is done, its next occurrence (same owner, co-operating units and
    documents) with the next deadline of the series."""
    if not task.recurrence or task.due_on is None:
        return None
    existing = Task.objects.filter(previous=task).first()
    if existing is not None:
        return existing  # completed, reopened and completed again: one series, no twin
    anchor = task.series_start or task.due_on
    following = Task(
        unit=task.unit,
        number=task.number,
        title=task.title,
        description=task.description,
        meeting=task.meeting,
        conclusion=task.conclusion,
        project=task.project,
        programme=task.programme,
        recurrence=task.recurrence,
        series_start=anchor,
        due_on=deadlines.next_occurrence(anchor, task.recurrence, task.due_on),
        previous=task,
    )
    created = object_create(
        user=user,
        instance=following,
        m2m={"co_units": list(task.co_units.all()), "documents": list(task.documents.all())},
        message=_("Next occurrence of a recurring task"),
    )
    assert isinstance(created, Task)
    return created


@transaction.atomic
def task_complete(*, user: Any, task: Task, completed_on: dt.date, note: str = "") -> Task | None:
    """Mark the task done; returns the next occurrence of a recurring task, if any."""
    _require(user, "change", task)
    if task.done:
        raise ValidationError(_("The task is already completed."))
    before = snapshot(task)
    task.status = TaskStatus.DONE
    task.completed_on = completed_on
    task.progress = 100
    task.save(update_fields=["status", "completed_on", "progress", "updated_at"])
    _transition(user, task, before, note or _("Completed"))
    return _next_occurrence(user=user, task=task)


@transaction.atomic
def task_progress_report(
    *,
    user: Any,
    task: Task,
    reported_on: dt.date,
    percent: int,
    note: str = "",
    complete: bool = False,
) -> TaskProgress:
    """Add a progress report; 100 % or an explicit completion completes the task."""
    _require(user, "change", task)
    if task.done:
        raise ValidationError(_("The task is already completed; reopen it first."))
    report = TaskProgress(
        unit=task.unit, task=task, reported_on=reported_on, percent=percent, note=note
    )
    report.full_clean()
    report.save()
    audit_record(
        action=AuditAction.CREATE,
        user=user,
        instance=report,
        changes=diff({}, snapshot(report)),
        message=str(task),
    )
    if complete or percent >= 100:
        task_complete(user=user, task=task, completed_on=reported_on, note=note)
    else:
        before = snapshot(task)
        task.progress = percent
        task.save(update_fields=["progress", "updated_at"])
        _transition(user, task, before, _("Progress report"))
    return report


@transaction.atomic
def task_reopen(*, user: Any, task: Task, reason: str) -> Task:
    _require(user, "change", task)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    if not task.done:
        raise ValidationError(_("The task is not completed."))
    before = snapshot(task)
    task.status = TaskStatus.OPEN
    task.completed_on = None
    task.save(update_fields=["status", "completed_on", "updated_at"])
    _transition(user, task, before, reason.strip())
    return task


@transaction.atomic
def task_from_conclusion(
    *,
    user: Any,
    conclusion: Conclusion,
    unit: Any,
    title: str,
    due_on: dt.date | None = None,
    recurrence: str = "",
) -> Task:
    """A key task for `unit` (where the user may add tasks) carrying out a conclusion item;
    numbered after the meeting's other tasks."""
    _require(user, "view", conclusion)
    last = Task.objects.filter(meeting=conclusion.meeting).aggregate(n=Max("number"))["n"]
    task = Task(
        unit=unit,
        title=title,
        meeting=conclusion.meeting,
        conclusion=conclusion,
        due_on=due_on,
        recurrence=recurrence,
        number=(last or 0) + 1,
    )
    created = object_create(user=user, instance=task, message=str(conclusion))
    assert isinstance(created, Task)
    return created


def programme_issue_refusal(programme: WorkProgramme) -> str | None:
    """Why the issue cannot be recorded (None: it can): an issued programme stays issued."""
    if programme.issued_on is not None:
        return _("The issue of this programme is already recorded.")
    return None


@transaction.atomic
def programme_issue(
    *, user: Any, programme: WorkProgramme, issued_on: dt.date, document: Any = None
) -> WorkProgramme:
    """Record that the programme was issued on a day, by a document (both audited)."""
    _require(user, "change", programme)
    refusal = programme_issue_refusal(programme)
    if refusal:
        raise ValidationError(refusal)
    if document is not None and not can_on(user, "view", document):
        raise PermissionDenied(_("This document is outside your scope."))
    before = snapshot(programme)
    programme.issued_on = issued_on
    programme.document = document
    programme.save(update_fields=["issued_on", "document", "updated_at"])
    _transition(user, programme, before, _("Issued"))
    return programme
