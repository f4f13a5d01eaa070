"""Documents in the Party's administrative format (Hướng dẫn 36-HD/VPTW of 3/4/2018), one
model rendered three ways: Word (`docx_bytes`), PDF (`pdf_bytes`, WeasyPrint from
`core/partydoc.html`) and the figures tables as Excel (`xlsx_bytes`, through `core.office`).

    doc = PartyDocument(
        superior="TỈNH ỦY NGHỆ AN", issuer="BAN NỘI CHÍNH", number_suffix="BC/BNCTU",
        place="Nghệ An", date=dt.date(2026, 5, 25), subject="Kết quả công tác 9 tháng ...",
        sections=[Section("I. TÌNH HÌNH, KẾT QUẢ", ["Trong 9 tháng đầu năm ..."], [table])],
        recipients=["Thường trực Tỉnh ủy (để b/c)"], signer_title="TRƯỞNG BAN",
        signer_name="Nguyễn Văn A")

The layout: A4 (210 x 297 mm), margins top and bottom 20 mm, left 30 mm, right 15 mm (the
guidance allows 20-25, 20-25, 30-35 and 15-20); Times New Roman 14 pt for the text, 13 pt in
the header and tables. Top left the superior body, the issuing body in bold, a star and
"Số: ...-BC/BNCTU" (the number left for the registry when not given); top right
"ĐẢNG CỘNG SẢN VIỆT NAM" bold underlined and the italic place and date; the title; numbered
sections of paragraphs, tables (header bold, figures right-aligned in the Vietnamese number
format) and images (PNG bytes); "Nơi nhận:" bottom left and the signature bottom right.

The fixed words of the format are Vietnamese by construction (the document is a Party document,
not interface text). Framework only: no domain import.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from .office import Sheet
from .office import xlsx_bytes as sheet_xlsx_bytes
from .text import format_number, format_percent

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
FONT = "Times New Roman"
TEXT_PT = 14
SMALL_PT = 13  # header block and tables
RECIPIENTS_PT = 11  # "- ..." lines of "Nơi nhận" (the heading is 12 pt)
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
BLANK_NUMBER = "..."


@dataclass(frozen=True)
class Num:
    """A figure in a table: shown in the Vietnamese format (8.651; 83,5 %), written to Excel
    as a number."""

    value: int | Decimal | float | None
    decimals: int = 0
    percent: bool = False

    def __str__(self) -> str:
        if self.value is None:
            return "—"
        if self.percent:
            return format_percent(self.value, self.decimals)
        return format_number(self.value, self.decimals)


Cell = str | int | Decimal | float | Num | None


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Num):
        return str(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, Decimal | float):
        decimal = Decimal(str(value))
        return format_number(decimal, 0 if decimal == decimal.to_integral_value() else 1)
    return str(value)


def cell_value(value: Cell) -> Any:
    """The value Excel receives: numbers as numbers."""
    if isinstance(value, Num):
        return value.value
    return value


def is_figure(value: Cell) -> bool:
    return isinstance(value, Num | int | Decimal | float) and not isinstance(value, bool)


@dataclass
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    title: str = ""
    numbered: bool = True  # a first "STT" column
    # Columns (0-based, before STT) right-aligned even when their cells are text ("▲ 12").
    right: Sequence[int] = ()

    def header_cells(self) -> list[str]:
        return (["STT"] if self.numbered else []) + [str(h) for h in self.headers]

    def body(self) -> list[list[tuple[str, bool]]]:
        """Rows of (text, right-aligned)."""
        lines = []
        for number, row in enumerate(self.rows, start=1):
            cells = [(str(number), False)] if self.numbered else []
            for index, value in enumerate(row):
                cells.append((cell_text(value), is_figure(value) or index in self.right))
            lines.append(cells)
        return lines


@dataclass
class Image:
    png: bytes
    caption: str = ""
    width_mm: float = 150

    @classmethod
    def from_png(cls, png: bytes, caption: str = "", scale: float = 2) -> Image:
        """An image at its natural size (a PNG rendered at `scale` times 96 dpi), no wider
        than the text (165 mm on A4 with the Party's margins)."""
        width_px = int.from_bytes(png[16:20], "big") if png[:8] == b"\x89PNG\r\n\x1a\n" else 0
        natural = width_px / scale * 25.4 / 96 if width_px else 150
        text_width = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
        return cls(png, caption, round(min(natural, text_width), 1))

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class Section:
    title: str
    paragraphs: Sequence[str] = ()
    tables: Sequence[Table] = ()
    images: Sequence[Image] = ()


@dataclass
class PartyDocument:
    issuer: str  # "BAN NỘI CHÍNH"
    superior: str  # "TỈNH ỦY NGHỆ AN"
    number_suffix: str  # "BC/BNCTU"
    place: str  # "Nghệ An"
    date: dt.date
    subject: str = ""
    kind_title: str = "BÁO CÁO"
    sections: Sequence[Section] = ()
    recipients: Sequence[str] = ()
    signer_role: str = "T/M BAN THƯỜNG VỤ"
    signer_title: str = ""
    signer_name: str = ""
    number: str = ""  # left blank for the registry

    @property
    def number_line(self) -> str:
        return f"Số: {self.number or BLANK_NUMBER}-{self.number_suffix}"

    @property
    def date_line(self) -> str:
        day = self.date
        return f"{self.place}, ngày {day.day} tháng {day.month} năm {day.year}"

    @property
    def recipient_lines(self) -> list[str]:
        """ "- ..." lines, ending with "- Lưu VP." (added when missing)."""
        lines = [f"- {r.strip().lstrip('-').strip()}" for r in self.recipients if r.strip()]
        if not any(line.startswith("- Lưu") for line in lines):
            lines.append("- Lưu VP.")
        return [line if line.endswith((".", ",", ";")) else line + "," for line in lines]

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


@dataclass(frozen=True)
class Bodies:
    """The header's bodies read from an issuing body's name (the user may edit them)."""

    superior: str  # "TỈNH ỦY NGHỆ AN"
    issuer: str  # "BAN NỘI CHÍNH"
    symbol: str  # "BNCTU", after the type in "Số: 12-BC/BNCTU"
    place: str  # "Nghệ An"


COMMISSION = "Ban Nội chính "
CENTRAL_COMMISSION = "Ban Nội chính Trung ương"


def bodies_of(name: str, parent: str = "", fallback_symbol: str = "") -> Bodies:
    """ "Ban Nội chính Tỉnh ủy Nghệ An" -> TỈNH ỦY NGHỆ AN / BAN NỘI CHÍNH / BNCTU / Nghệ An;
    "Ban Nội chính Trung ương" -> BAN CHẤP HÀNH TRUNG ƯƠNG / BAN NỘI CHÍNH TRUNG ƯƠNG / BNCTW /
    Hà Nội; any other body: its parent above its own name, `fallback_symbol`, no place."""
    name = " ".join(name.split())
    if name == CENTRAL_COMMISSION:
        return Bodies("BAN CHẤP HÀNH TRUNG ƯƠNG", name.upper(), "BNCTW", "Hà Nội")
    if name.startswith(COMMISSION) and len(name) > len(COMMISSION):
        committee = name[len(COMMISSION) :]  # "Tỉnh ủy Nghệ An", "Thành ủy Huế"
        words = committee.split(" ")
        place = " ".join(words[2:]) if len(words) > 2 else ""
        return Bodies(committee.upper(), "BAN NỘI CHÍNH", "BNCTU", place)
    return Bodies(parent.upper(), name.upper(), fallback_symbol, "")


def paragraphs_of(text: str) -> list[str]:
    """A textarea's text as paragraphs: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# -- Word ---------------------------------------------------------------------------------------


def docx_bytes(doc: PartyDocument) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = WordDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(TEXT_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    center, right, justify = (
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.RIGHT,
        WD_ALIGN_PARAGRAPH.JUSTIFY,
    )

    def line(
        container: Any,
        text: str,
        *,
        align: Any = None,
        size: int | None = None,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
    ) -> Any:
        paragraph = container.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
        return paragraph

    def clear(cell: Any) -> Any:
        cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
        return cell

    # Header: two borderless columns.
    head = document.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right_cell = clear(head.rows[0].cells[0]), clear(head.rows[0].cells[1])
    left.width, right_cell.width = Mm(75), Mm(90)
    line(left, doc.superior.upper(), align=center, size=SMALL_PT)
    line(left, doc.issuer.upper(), align=center, size=SMALL_PT, bold=True)
    line(left, "*", align=center, size=SMALL_PT)
    line(left, doc.number_line, align=center, size=SMALL_PT)
    line(right_cell, PARTY, align=center, size=SMALL_PT + 1, bold=True, underline=True)
    line(right_cell, "", align=center, size=SMALL_PT)
    line(right_cell, doc.date_line, align=center, size=SMALL_PT, italic=True)

    # Title.
    title = line(document, doc.kind_title.upper(), align=center, size=TEXT_PT + 1, bold=True)
    title.paragraph_format.space_before = Pt(18)
    if doc.subject:
        line(document, doc.subject, align=center, bold=True)
    line(document, "-----", align=center)

    for part in doc.sections:
        if part.title:
            heading = line(document, part.title, align=justify, bold=True)
            heading.paragraph_format.space_before = Pt(6)
            heading.paragraph_format.first_line_indent = Mm(10)
        for text in part.paragraphs:
            paragraph = line(document, text, align=justify)
            paragraph.paragraph_format.first_line_indent = Mm(10)
            paragraph.paragraph_format.space_after = Pt(6)
        for table in part.tables:
            if table.title:
                line(document, table.title, align=center, size=SMALL_PT, bold=True)
            headers = table.header_cells()
            grid = document.add_table(rows=1, cols=len(headers))
            grid.style = "Table Grid"
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, text in zip(grid.rows[0].cells, headers, strict=True):
                clear(cell)
                line(cell, text, align=center, size=SMALL_PT, bold=True)
            for row in table.body():
                cells = grid.add_row().cells
                for cell, (text, figure) in zip(cells, row, strict=True):
                    clear(cell)
                    line(cell, text, align=right if figure else None, size=SMALL_PT)
            document.add_paragraph()
        for image in part.images:
            holder = document.add_paragraph()
            holder.alignment = center
            holder.add_run().add_picture(io.BytesIO(image.png), width=Mm(image.width_mm))
            if image.caption:
                line(document, image.caption, align=center, size=SMALL_PT, italic=True)

    # "Nơi nhận" bottom left, the signature bottom right.
    document.add_paragraph()
    foot = document.add_table(rows=1, cols=2)
    to_cell, sign_cell = clear(foot.rows[0].cells[0]), clear(foot.rows[0].cells[1])
    to_cell.width, sign_cell.width = Mm(80), Mm(85)
    line(to_cell, "Nơi nhận:", size=12, bold=True, italic=True)
    for recipient in doc.recipient_lines:
        line(to_cell, recipient, size=RECIPIENTS_PT)
    if doc.signer_role:
        line(sign_cell, doc.signer_role.upper(), align=center, bold=True)
    if doc.signer_title:
        line(sign_cell, doc.signer_title.upper(), align=center, bold=True)
    for _blank in range(4):
        line(sign_cell, "", align=center)
    line(sign_cell, doc.signer_name, align=center, bold=True)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- PDF ----------------------------------------------------------------------------------------


def html(doc: PartyDocument) -> str:
    return render_to_string(
        "core/partydoc.html",
        {
            "doc": doc,
            "page": {
                "top": MARGIN_TOP_MM,
                "bottom": MARGIN_BOTTOM_MM,
                "left": MARGIN_LEFT_MM,
                "right": MARGIN_RIGHT_MM,
            },
            "text_pt": TEXT_PT,
            "small_pt": SMALL_PT,
            "recipients_pt": RECIPIENTS_PT,
            "party": PARTY,
        },
    )


def pdf_bytes(doc: PartyDocument) -> bytes:
    from weasyprint import HTML  # imported here: it needs the system's pango libraries

    return bytes(HTML(string=html(doc)).write_pdf())


@dataclass(frozen=True)
class PdfPage:
    width_mm: float
    height_mm: float
    text: str


def pdf_pages(doc: PartyDocument) -> list[PdfPage]:
    """Each PDF page's size and the text laid out on it (WeasyPrint's own layout, the one
    `pdf_bytes` writes), for checks and previews."""
    from weasyprint import HTML

    px_per_mm = 96 / 25.4
    rendered = HTML(string=html(doc)).render()
    pages = []
    for page in rendered.pages:
        texts: list[str] = []

        def walk(box: Any, texts: list[str] = texts) -> None:
            text = getattr(box, "text", None)
            if isinstance(text, str):
                texts.append(text)
            for child in getattr(box, "children", ()) or ():
                walk(child)

        walk(page._page_box)
        pages.append(
            PdfPage(
                width_mm=round(page.width / px_per_mm, 1),
                height_mm=round(page.height / px_per_mm, 1),
                text=" ".join(texts),
            )
        )
    return pages


# -- Excel --------------------------------------------------------------------------------------


def figures_sheet(doc: PartyDocument, table: Table) -> Sheet:
    """A table of the document as an office `Sheet` (numbers stay numbers)."""
    return Sheet(
        title=table.title or doc.subject or doc.kind_title,
        issuer=doc.issuer,
        subtitle=doc.subject if table.title else "",
        headers=[str(h) for h in table.headers],
        rows=[[cell_value(v) for v in row] for row in table.rows],
        notes=[doc.date_line],
        numbered=table.numbered,
    )


def xlsx_bytes(doc: PartyDocument) -> bytes:
    """The document's first figures table as a workbook (the layout of `core.office`)."""
    tables = doc.tables
    if not tables:
        return sheet_xlsx_bytes(Sheet(title=doc.subject or doc.kind_title, issuer=doc.issuer))
    return sheet_xlsx_bytes(figures_sheet(doc, tables[0]))
