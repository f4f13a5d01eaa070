"""The confirm step of intake: what the user ticked becomes a draft report's figures, registered
documents and key tasks, in one transaction, through the services of reports, the registry and
work (each checks the gate and writes its audit entry). Nothing is written before this."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from noichinh.core.services import object_create
from noichinh.documents.models import Document
from noichinh.reports import services as report_services
from noichinh.reports.models import Indicator, ReportForm, Submission
from noichinh.units.models import Unit
from noichinh.work.models import Task

from .extract import DocumentRef, Extraction
from .mapping import Row, form_indicators, rows_of, value_for

TITLE_LENGTH = 500


@dataclass
class Confirmed:
    submission: Submission | None = None
    documents: list[Document] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)


def document_title(found: Extraction, ref: DocumentRef) -> str:
    """The reference as cited, followed by what it is about when the text says ("về ...")."""
    title = f"{ref.doc_type} số {ref.code}" if ref.doc_type else ref.code
    rest = found.text[ref.end : ref.end + 300].lstrip(" ,")
    if rest.startswith("về "):
        for stop in (";", ".", "\n", ","):
            cut = rest.find(stop)
            if cut > 0:
                rest = rest[:cut]
        title = f"{title} {rest.strip()}"
    return title[:TITLE_LENGTH]


def registrable(ref: DocumentRef) -> bool:
    """Only a document not yet in the registry, with the issue date the registry requires."""
    return ref.registry_id is None and bool(ref.date)


def _values(
    rows: list[Row], chosen: Mapping[str, int | None], indicators: list[Indicator]
) -> dict[int, Decimal]:
    by_id = {i.pk: i for i in indicators}
    values: dict[int, Decimal] = {}
    for row in rows:
        pick = chosen.get(row.key)
        if not pick:
            continue
        indicator = by_id.get(pick)
        if indicator is None:
            raise ValidationError(_("This indicator is not on the form."))
        if indicator.pk in values:
            raise ValidationError(
                _("%(name)s is chosen for two figures: keep one.") % {"name": indicator.name}
            )
        values[indicator.pk] = value_for(row, indicator)
    return values


@transaction.atomic
def intake_confirm(
    *,
    user: Any,
    found: Extraction,
    unit: Unit,
    form: ReportForm | None = None,
    period: str = "",
    chosen: Mapping[str, int | None] | None = None,
    documents: Iterable[int] = (),
    tasks: Iterable[int] = (),
) -> Confirmed:
    """Fill the unit's draft report on `form` for `period` with the figures mapped in `chosen`
    (row key -> indicator id; see mapping.rows_of), register the ticked unknown documents and
    create the ticked tasks, all owned by `unit`. A report already submitted or approved is
    refused, and so is any error: then nothing at all is written."""
    result = Confirmed()
    rows = rows_of(found)
    picked = {k: v for k, v in (chosen or {}).items() if v}
    if picked:
        if form is None or not period:
            raise ValidationError(_("Choose a report form and a period for the figures."))
        indicators = form_indicators(form)
        values = _values(rows, picked, indicators)
        submission = report_services.submission_open(user=user, form=form, period=period, unit=unit)
        if not submission.editable:
            raise ValidationError(
                _(
                    "The report %(report)s is %(status)s: it can no longer be changed. Ask for "
                    "it to be returned, or choose another period."
                )
                % {"report": submission, "status": submission.get_status_display().lower()}
            )
        result.submission = report_services.submission_save_values(
            user=user,
            submission=submission,
            values=values,
            message=_("Figures taken from a text through intake."),
        )
    for index in sorted(set(documents)):
        if not 0 <= index < len(found.documents):
            continue
        ref = found.documents[index]
        if not registrable(ref):
            continue
        document = Document(
            unit=unit,
            code=ref.code,
            issue_date=dt.date.fromisoformat(ref.date or ""),
            title=document_title(found, ref),
        )
        object_create(
            user=user, instance=document, message=_("Registered from a text through intake.")
        )
        result.documents.append(document)
    for index in sorted(set(tasks)):
        if not 0 <= index < len(found.tasks):
            continue
        item = found.tasks[index]
        text = " ".join(item.text.split())
        task = Task(
            unit=unit,
            number=item.number if 0 < item.number < 32768 else None,
            title=text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…",
            description=text if len(text) > TITLE_LENGTH else "",
        )
        object_create(user=user, instance=task, message=_("Created from a text through intake."))
        result.tasks.append(task)
    if result.submission is None and not result.documents and not result.tasks:
        raise ValidationError(_("Nothing was chosen: map a figure, or tick a document or a task."))
    return result
