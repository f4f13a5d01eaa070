"""What a closing unit's work hands over to its heir (core.handover): key tasks in progress
(with their progress reports). Meetings are dated: a closed unit's meeting may be entered late."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from noichinh.core.handover import (
    HandoverKind,
    register_handover,
    register_part,
    register_record_date,
    short_date,
)

from .choices import TaskStatus
from .models import Meeting, Project, Task, TaskProgress, WorkProgramme


def _deadline(task: Any) -> str:
    return _("due %(date)s") % {"date": short_date(task.due_on)} if task.due_on else ""


register_handover(
    HandoverKind(
        key="work.task",
        label=gettext_lazy("Open tasks"),
        model=Task,
        held=lambda ids, on: Task.objects.filter(unit_id__in=ids, status=TaskStatus.OPEN).order_by(
            "due_on", "id"
        ),
        describe=_deadline,
        order=40,
    )
)
register_record_date(Meeting, "held_on")
register_part(TaskProgress, "task")
# Entering the past late (the demo's 2023-2024 records of Quảng Bình, closed 30/6/2025): a
# programme, a project or a task is dated by its deadline.
register_record_date(WorkProgramme, "due_on")
register_record_date(Project, "due_on")
register_record_date(Task, "due_on")
