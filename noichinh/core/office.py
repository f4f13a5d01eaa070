"""Tables as office documents: one `Sheet` (a heading, a table, notes) written as Excel or
Word in the familiar layout of the paper forms (the unit in the corner, a centred title, a
numbered table, the date and place). Every download is audited by `office_response`."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .audit import audit_record
from .exports import XLSX, safe_sheet
from .models import AuditAction

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Sheet:
    title: str
    issuer: str = ""  # the unit, top left
    subtitle: str = ""
    headers: Sequence[str] = ()
    rows: Sequence[Sequence[Any]] = ()
    footer: Sequence[Any] | None = None
    notes: Sequence[str] = field(default_factory=list)
    numbered: bool = True  # a first "STT" column


def _cells(sheet: Sheet) -> tuple[list[str], list[list[Any]], list[Any] | None]:
    headers = (["STT"] if sheet.numbered else []) + [str(h) for h in sheet.headers]
    rows = [([i] if sheet.numbered else []) + list(r) for i, r in enumerate(sheet.rows, start=1)]
    footer = None
    if sheet.footer is not None:
        footer = ([""] if sheet.numbered else []) + list(sheet.footer)
    return headers, rows, footer


def xlsx_bytes(sheet: Sheet) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "Bảng"
    headers, rows, footer = _cells(sheet)
    width = max(len(headers), 1)
    bold = Font(bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    line = 1
    if sheet.issuer:
        ws.cell(line, 1, sheet.issuer).font = bold
        line += 1
    ws.cell(line, 1, sheet.title).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
    ws.cell(line, 1).alignment = Alignment(horizontal="center")
    line += 1
    if sheet.subtitle:
        ws.cell(line, 1, sheet.subtitle).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
        line += 1
    line += 1
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(line, col, text)
        cell.font = bold
        cell.border = box
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in rows + ([footer] if footer else []):
        line += 1
        for col, value in enumerate(row, start=1):
            cell = ws.cell(line, col, value)
            cell.border = box
            if row is footer:
                cell.font = bold
    for note in sheet.notes:
        line += 2
        ws.cell(line, 1, note)
    ws.column_dimensions["A"].width = 6 if sheet.numbered else 30
    for index in range(2, width + 1):
        letter = get_column_letter(index)  # row 1 may be a merged cell (no column_letter)
        ws.column_dimensions[letter].width = 30 if index == 2 else 14
    safe_sheet(ws)  # a record's text is shown, never evaluated as a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes(sheet: Sheet) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = WordDocument()
    section = document.sections[0]
    headers, rows, footer = _cells(sheet)
    if len(headers) > 6:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    if sheet.issuer:
        document.add_paragraph().add_run(sheet.issuer).bold = True
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(sheet.title.upper())
    run.bold = True
    run.font.size = Pt(14)
    if sheet.subtitle:
        sub = document.add_paragraph(sheet.subtitle)
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=1, cols=max(len(headers), 1))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=False):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows + ([footer] if footer else []):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = "" if value is None else str(value)
            if row is footer:
                for paragraph in cell.paragraphs:
                    for r in paragraph.runs:
                        r.bold = True
    for note in sheet.notes:
        document.add_paragraph(note)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def office_response(
    request: HttpRequest, sheet: Sheet, *, kind: str, name: str, object_type: str
) -> HttpResponse:
    """The sheet as an .xlsx ("xlsx") or .docx ("docx") download, audited as an export."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "docx":
        content, mime = docx_bytes(sheet), DOCX
    else:
        kind, content, mime = "xlsx", xlsx_bytes(sheet), XLSX
    audit_record(
        action=AuditAction.EXPORT,
        user=request.user,
        object_type=object_type,
        object_repr=f"{sheet.title} ({kind})",
        message=request.GET.urlencode(),
    )
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{kind}"'
    return response
