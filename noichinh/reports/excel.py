"""Excel in the layout of the paper form: a title, the unit and the period, then the sections
(I, II, ...) and their numbered items with STT, indicator, figure, unit of measure, comment.
Column F holds each indicator's code (and F1:F3 the form, period and unit codes), so a filled
form can be read back: all or nothing, errors named by cell ("Ô C7: ...")."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from noichinh.core.exports import check_xlsx, safe_sheet
from noichinh.core.text import format_number

from .models import FormItem, Submission
from .selectors import ROMAN_SECTIONS, Rollup, SamePeriod

FIRST_ROW = 6
MAX_FORM_ROWS = 5000  # a report form has at most a few hundred indicators
VALUE_COLUMN = "C"
WARNING_FILL = PatternFill("solid", fgColor="FFF3CD")


def _number(value: Decimal | None) -> Any:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _head(sheet: Any, title: str, unit: str, period: str, codes: tuple[str, str, str]) -> None:
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"{_('Unit')}: {unit}"
    sheet["A3"] = f"{_('Period')}: {period}"
    for row, code in enumerate(codes, start=1):
        sheet[f"F{row}"] = code
        sheet[f"F{row}"].font = Font(color="999999", size=8)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 14
    sheet.column_dimensions["D"].width = 12
    sheet.column_dimensions["E"].width = 30
    sheet.column_dimensions["F"].width = 12
    for column in "GHIJ":
        sheet.column_dimensions[column].width = 24


def _body(
    sheet: Any,
    items: Iterable[FormItem],
    headers: list[str],
    row_values: Any,
) -> None:
    header_row = FIRST_ROW - 1
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=column, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    row = FIRST_ROW
    section_id: object = object()
    number = 0
    for item in items:
        if item.section_id != section_id:
            section_id = item.section_id
            if item.section is not None:
                sheet.cell(row=row, column=1, value=ROMAN_SECTIONS.get(item.section.number, ""))
                cell = sheet.cell(row=row, column=2, value=item.section.title)
                cell.font = Font(bold=True)
                row += 1
            number = 0
        number += 1
        sheet.cell(row=row, column=1, value=number)
        sheet.cell(row=row, column=2, value=item.indicator.name)
        for offset, value in enumerate(row_values(item)):
            sheet.cell(row=row, column=3 + offset, value=value)
        row += 1


def _save(workbook: Workbook) -> bytes:
    for sheet in workbook.worksheets:
        safe_sheet(sheet)  # a comment or a name is shown, never evaluated as a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _registry_text(value: Decimal | None, registry: Decimal | None, decimals: int) -> str:
    return _("Differs from the registry: reported %(value)s, registry %(registry)s") % {
        "value": format_number(value, decimals) or "—",
        "registry": format_number(registry, decimals) or "—",
    }


def submission_workbook(
    submission: Submission, items: list[FormItem], same: SamePeriod | None = None
) -> bytes:
    """The report in the paper layout; after the code column: the registry's figure of a
    derived indicator, the same period last year and the change (with the coverage note), and
    a warning where the reported figure differs from the registry."""
    values = {v.indicator_id: v for v in submission.values.all()}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = submission.form.code[:31]
    _head(
        sheet,
        submission.form.name,
        str(submission.unit),
        submission.period_label(),
        (submission.form.code, submission.period, submission.unit.code),
    )
    headers = [
        _("No."),
        _("Indicator"),
        _("Figure"),
        _("Unit of measure"),
        _("Comment"),
        _("Code"),
        _("Registry"),
        _("Same period last year"),
        _("Change from last year"),
        _("Warning"),
    ]

    def row(item: FormItem) -> list[Any]:
        value = values.get(item.indicator_id)
        comparison = same.comparisons.get(item.indicator_id) if same else None
        differs = value is not None and value.difference is not None
        return [
            _number(value.value) if value else None,
            item.indicator.measure,
            value.comment if value else "",
            item.indicator.code,
            _number(value.derived) if value else None,
            _number(same.values.get(item.indicator_id)) if same else None,
            comparison.plain() if comparison else "",
            _registry_text(value.value, value.derived, item.indicator.decimals)
            if value is not None and differs
            else "",
        ]

    _body(sheet, items, headers, row)
    return _save(workbook)


def rollup_workbook(result: Rollup) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = result.form.code[:31]
    _head(
        sheet,
        result.form.name,
        str(result.unit),
        result.period.label,
        (result.form.code, result.period.code, result.unit.code),
    )
    sheet["A4"] = _(
        "Reports added up: this period %(now)s/%(now_of)s, same period last year "
        "%(before)s/%(before_of)s."
    ) % {
        "now": result.approved,
        "now_of": result.expected,
        "before": result.last_year_approved,
        "before_of": result.last_year_expected,
    }
    figures = {f.item.pk: f for f in result.figures}
    differences: dict[int, list[str]] = {}
    for line, figure in result.differences:
        differences.setdefault(figure.indicator.pk, []).append(
            f"{line}: "
            + _registry_text(
                line.values.get(figure.indicator.pk),
                line.registry.get(figure.indicator.pk),
                figure.indicator.decimals,
            )
        )
    headers = [
        _("No."),
        _("Indicator"),
        result.period.label,
        _("Unit of measure"),
        _("Same period last year"),
        _("Code"),
        _("Change from last year"),
        _("Change (%)"),
        _("Comparison"),
        _("Warning"),
    ]

    def row(item: FormItem) -> list[Any]:
        figure = figures[item.pk]
        return [
            _number(figure.value),
            item.indicator.measure,
            _number(figure.last_year),
            item.indicator.code,
            _number(figure.change),
            float(round(figure.change_percent, 2)) if figure.change_percent is not None else None,
            figure.comparison.plain() if figure.comparison else "",
            "; ".join(differences.get(item.indicator_id, [])),
        ]

    _body(sheet, result.items, headers, row)
    # The units' figures, one column per unit, on a second sheet.
    detail = workbook.create_sheet(_("By unit")[:31])
    detail.append([_("Indicator"), *[str(line) for line in result.lines]])
    for item in result.items:
        detail.append(
            [
                item.indicator.name,
                *[_number(line.values.get(item.indicator_id)) for line in result.lines],
            ]
        )
        for column, line in enumerate(result.lines, start=2):
            if item.indicator_id in line.differs:
                cell = detail.cell(row=detail.max_row, column=column)
                cell.fill = WARNING_FILL
                cell.comment = Comment(
                    _registry_text(
                        line.values.get(item.indicator_id),
                        line.registry.get(item.indicator_id),
                        item.indicator.decimals,
                    ),
                    "Noichinh",
                )
    detail.append(
        [_("Reports submitted"), *[f"{line.sent}/{line.expected}" for line in result.lines]]
    )
    return _save(workbook)


def _parse(raw: Any) -> Decimal | None:
    """A figure as typed: a number, or text in the Vietnamese format ("8.651", "83,08")."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = str(raw).strip().replace(" ", "").replace("%", "")
    if "," in text or text.count(".") > 1 or ("." in text and len(text.rsplit(".", 1)[1]) == 3):
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError from None


def read_submission_workbook(
    submission: Submission, items: list[FormItem], content: bytes
) -> tuple[dict[int, Decimal | None], dict[int, str]]:
    """Figures and comments by indicator id from a filled-in form, or ValidationError with
    every error by cell. Every item of the form must be present once."""
    check_xlsx(content, max_rows=MAX_FORM_ROWS)  # size, bombs, rows: before parsing
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ValidationError(_("The file is not an Excel .xlsx file.")) from error
    sheet = workbook.worksheets[0]
    errors: list[str] = []
    expected = (submission.form.code, submission.period, submission.unit.code)
    labels = (_("form"), _("period"), _("unit"))
    for row, (code, label) in enumerate(zip(expected, labels, strict=True), start=1):
        found = str(sheet[f"F{row}"].value or "").strip()
        if found != code:
            errors.append(
                _("Cell F%(row)s: this file is for another %(what)s (%(found)s, not %(code)s).")
                % {"row": row, "what": label, "found": found or "—", "code": code}
            )
    if errors:
        raise ValidationError(errors)
    by_code = {item.indicator.code: item.indicator for item in items}
    values: dict[int, Decimal | None] = {}
    comments: dict[int, str] = {}
    for row in range(FIRST_ROW, sheet.max_row + 1):
        code = str(sheet[f"F{row}"].value or "").strip()
        if not code:
            continue
        indicator = by_code.get(code)
        if indicator is None:
            errors.append(
                _("Cell F%(row)s: “%(code)s” is not an indicator of this form.")
                % {"row": row, "code": code}
            )
            continue
        if indicator.pk in values:
            errors.append(
                _("Cell F%(row)s: “%(code)s” appears twice.") % {"row": row, "code": code}
            )
            continue
        cell = f"{VALUE_COLUMN}{row}"
        try:
            value = _parse(sheet[cell].value)
        except ValueError:
            errors.append(
                _("Cell %(cell)s: “%(value)s” is not a number.")
                % {"cell": cell, "value": sheet[cell].value}
            )
            continue
        if value is not None and value < 0:
            errors.append(_("Cell %(cell)s: a figure cannot be negative.") % {"cell": cell})
            continue
        values[indicator.pk] = value
        comments[indicator.pk] = str(sheet[f"E{row}"].value or "").strip()
    missing = [i.code for c, i in by_code.items() if i.pk not in values]
    if missing:
        errors.append(
            _("These indicators are missing from the file: %(codes)s.")
            % {"codes": ", ".join(missing)}
        )
    if errors:
        raise ValidationError(errors)
    return values, comments
