"""The briefing report (báo cáo giao ban / sơ kết) of a unit for a period, written from the home
page's figures.

Nothing is counted here: every figure is `Figure.value` of `selectors.home(...)` (the same
numbers the home page shows), with its `Comparison` against the same period last year. The
lists that name what is late or due (stalled cases, overdue and coming tasks) come from the
registries' selectors through the gate. The text is pre-filled in the register of the source
reports ("Trong 9 tháng đầu năm 2024, ... đã phát hiện 12 vụ án, vụ việc, tăng 3 vụ (33,3 %) so
với cùng kỳ"); the leader edits it before export. The document's words are Vietnamese by
construction (it is a Party document, like the period labels), not interface text.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from noichinh.cases.selectors import case_list_stalled
from noichinh.core import partydoc
from noichinh.core.comparisons import Comparison
from noichinh.core.periods import Period, PeriodType
from noichinh.core.text import format_number, format_percent
from noichinh.documents.models import Document
from noichinh.units.models import Unit
from noichinh.work.selectors import task_list_due_soon, task_list_overdue

from . import selectors

logger = logging.getLogger(__name__)

# How far ahead "the coming period" looks for tasks (the home page's "due soon" is a week).
AHEAD_DAYS = 45
LISTED = 8  # names listed in a paragraph (stalled cases, overdue and coming tasks)

# The measure of each figure in prose and in the table's change column.
MEASURES = {
    "cases": "vụ",
    "security": "vấn đề",
    "petitions": "đơn",
    "tasks": "nhiệm vụ",
}

RESULTS_TITLE = "I. TÌNH HÌNH, KẾT QUẢ"
LIMITS_TITLE = "II. HẠN CHẾ"
TASKS_TITLE = "III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI"
TABLE_HEADERS = ("Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Tăng, giảm so với cùng kỳ")


def measure_of(key: str) -> str:
    return MEASURES.get(key.split(".", 1)[0], "")


def number(value: Any) -> str:
    return format_number(value) if value is not None else "0"


def when(period: Period) -> str:
    """ "Trong 9 tháng đầu năm 2024", "Trong quý I/2024", "Từ ngày 1/1/2026 đến ngày 1/12/2026"."""
    if period.type == PeriodType.CUSTOM:
        start, end = period.start, period.end
        return (
            f"Từ ngày {start.day}/{start.month}/{start.year} "
            f"đến ngày {end.day}/{end.month}/{end.year}"
        )
    label = period.label
    return "Trong " + label[0].lower() + label[1:]


def period_phrase(period: Period) -> str:
    """The period inside a sentence: "9 tháng đầu năm 2024", "từ ngày 1/1 đến ngày 1/12/2026"."""
    text = when(period)
    return text.removeprefix("Trong ") if text.startswith("Trong ") else text[0].lower() + text[1:]


def change_phrase(comparison: Comparison | None, measure: str, share: bool = True) -> str:
    """ "tăng 12 vụ (15,4 %) so với cùng kỳ", "giảm 3 đơn so với cùng kỳ", "bằng cùng kỳ"
    (`share=False`: without the percentage, for a clause already in brackets)."""
    if comparison is None or comparison.change is None:
        return ""
    change = comparison.change
    if change == 0:
        return "bằng cùng kỳ"
    word = "tăng" if change > 0 else "giảm"
    if comparison.rate:
        return f"{word} {format_number(abs(change), 1)} điểm phần trăm so với cùng kỳ"
    amount = f"{number(abs(change))} {measure}".strip()
    percent = comparison.change_percent
    if share and percent is not None:
        amount += f" ({format_percent(abs(percent), 1)})"
    return f"{word} {amount} so với cùng kỳ"


def change_cell(comparison: Comparison | None) -> str:
    """The table's change column: "▲ 12 (15,4 %)", "▼ 3", "=" or "—"."""
    if comparison is None or comparison.change is None:
        return "—"
    change = comparison.change
    if change == 0:
        return "="
    if comparison.rate:
        return f"{comparison.arrow} {format_number(abs(change), 1)} điểm %"
    text = f"{comparison.arrow} {number(abs(change))}"
    if comparison.change_percent is not None:
        text += f" ({format_percent(abs(comparison.change_percent), 1)})"
    return text


@dataclass
class Briefing:
    unit: Unit
    period: Period
    today: dt.date
    data: selectors.Home
    figures: dict[str, selectors.Figure]
    table: partydoc.Table
    subject: str
    results: str
    limitations: str
    tasks: str


def _figures(data: selectors.Home) -> dict[str, selectors.Figure]:
    found = {}
    for section in [*data.sections, data.now]:
        for figure in section.figures:
            found[figure.key] = figure
    return found


def figure_value_text(figure: selectors.Figure) -> str:
    """A figure as the documents show it (the formatter of the home page's cards)."""
    if figure.percent:
        return format_percent(figure.value) if figure.value is not None else "—"
    return format_number(figure.value)


def figures_table(data: selectors.Home) -> partydoc.Table:
    """This period | same period last year | change, for every period figure of the home page."""
    rows: list[list[partydoc.Cell]] = []
    for section in data.sections:
        for figure in section.figures:
            comparison = figure.comparison
            previous = comparison.previous if comparison is not None else None
            if figure.percent:
                rows.append(
                    [
                        figure.label,
                        partydoc.Num(figure.value, 1, percent=True),
                        partydoc.Num(previous, 1, percent=True),
                        change_cell(comparison),
                    ]
                )
            else:
                rows.append(
                    [
                        figure.label,
                        partydoc.Num(figure.value),
                        partydoc.Num(previous),
                        change_cell(comparison),
                    ]
                )
    last_year = data.last_year
    return partydoc.Table(
        headers=TABLE_HEADERS,
        rows=rows,
        title=(
            f"Số liệu chủ yếu {period_phrase(data.period)} "
            f"(so với cùng kỳ: {period_phrase(last_year)})"
        ),
        right=(3,),
    )


def _value(figures: dict[str, selectors.Figure], key: str) -> Any:
    figure = figures.get(key)
    return figure.value if figure is not None else None


def results_text(data: selectors.Home, figures: dict[str, selectors.Figure]) -> str:
    unit_name = data.unit.name
    paragraphs = []

    def clause(key: str, text: str) -> str:
        figure = figures[key]
        change = change_phrase(figure.comparison, measure_of(key), share=False)
        return f"{text} ({change})" if change else text

    def worth(key: str) -> bool:
        """A figure worth a clause: present, and not nil in both periods."""
        figure = figures.get(key)
        if figure is None:
            return False
        previous = figure.comparison.previous if figure.comparison is not None else None
        return bool(figure.value) or bool(previous)

    if "cases.all" in figures:
        sentence = (
            f"{when(data.period)}, các cơ quan, đơn vị thuộc phạm vi theo dõi của {unit_name} "
            f"đã phát hiện {number(_value(figures, 'cases.all'))} vụ án, vụ việc"
        )
        change = change_phrase(figures["cases.all"].comparison, "vụ")
        if change:
            sentence += f", {change}"
        parts = []
        if worth("cases.corruption"):
            parts.append(
                clause(
                    "cases.corruption",
                    f"{number(_value(figures, 'cases.corruption'))} vụ án, vụ việc tham nhũng",
                )
            )
        if worth("cases.self_detected"):
            parts.append(
                clause(
                    "cases.self_detected",
                    f"{number(_value(figures, 'cases.self_detected'))} vụ do các cơ quan, đơn vị "
                    "tự phát hiện",
                )
            )
        if worth("cases.central_monitored"):
            parts.append(
                clause(
                    "cases.central_monitored",
                    f"{number(_value(figures, 'cases.central_monitored'))} vụ thuộc diện Ban Chỉ "
                    "đạo Trung ương theo dõi, chỉ đạo",
                )
            )
        if parts:
            sentence += "; trong đó: " + "; ".join(parts)
        paragraphs.append(sentence + ".")
    if worth("security.advised"):
        paragraphs.append(
            "Tham mưu, chỉ đạo xử lý "
            + clause(
                "security.advised",
                f"{number(_value(figures, 'security.advised'))} vấn đề phức tạp về an ninh, "
                "trật tự",
            )
            + "."
        )
    if "petitions.to_resolve" in figures:
        sentence = "Về công tác giải quyết đơn thư: tổng số đơn thư phải giải quyết " + clause(
            "petitions.to_resolve", f"{number(_value(figures, 'petitions.to_resolve'))} đơn"
        )
        if "petitions.resolved" in figures:
            sentence += f"; đã giải quyết {number(_value(figures, 'petitions.resolved'))} đơn"
        rate = figures.get("petitions.rate")
        if rate is not None and rate.value is not None:
            sentence += f", đạt tỷ lệ {figure_value_text(rate)}"
            previous = rate.comparison.previous if rate.comparison is not None else None
            if previous is not None:
                sentence += f" ({period_phrase(data.last_year)}: {format_percent(previous)})"
        late = _value(figures, "petitions.resolved_late")
        if late:
            sentence += f"; giải quyết quá hạn {number(late)} đơn"
        paragraphs.append(sentence + ".")
    return "\n".join(paragraphs)


def limitations_text(
    data: selectors.Home, figures: dict[str, selectors.Figure], user: Any, today: dt.date
) -> str:
    unit = data.unit
    found = []
    stalled, suspended = _value(figures, "cases.stalled"), _value(figures, "cases.suspended")
    if stalled:
        names = [
            c.title
            for c in case_list_stalled(user=user, on=today).within(unit).order_by("id")[:LISTED]
        ]
        text = f"Còn {number(stalled)} vụ án, vụ việc chậm tiến độ"
        if names:
            text += " (" + "; ".join(names) + ("; ..." if stalled > len(names) else "") + ")"
        found.append(text)
    if suspended:
        found.append(f"{number(suspended)} vụ án, vụ việc đang tạm đình chỉ")
    overdue_petitions = _value(figures, "petitions.overdue")
    if overdue_petitions:
        found.append(f"{number(overdue_petitions)} đơn thư đã quá hạn giải quyết")
    late = _value(figures, "petitions.resolved_late")
    if late:
        found.append(f"{number(late)} đơn giải quyết quá hạn trong kỳ")
    open_issues = _value(figures, "security.open")
    if open_issues:
        found.append(f"{number(open_issues)} vấn đề phức tạp về an ninh, trật tự chưa được xử lý")
    overdue_tasks = _value(figures, "tasks.overdue")
    if overdue_tasks:
        titles = [t.title for t in task_list_overdue(user, today).within(unit)[:LISTED]]
        text = f"{number(overdue_tasks)} nhiệm vụ đã quá hạn nhưng chưa hoàn thành"
        if titles:
            text += (
                " (" + "; ".join(titles) + ("; ..." if overdue_tasks > len(titles) else "") + ")"
            )
        found.append(text)
    queue = data.queue or {}
    if queue.get("submissions_count"):
        found.append(
            f"{number(queue['submissions_count'])} báo cáo chưa hoàn thành hoặc bị trả lại"
        )
    if not found:
        return (
            "Không có vụ án, vụ việc chậm tiến độ, đơn thư hay nhiệm vụ quá hạn tại thời điểm "
            "báo cáo."
        )
    lines = ["Bên cạnh kết quả đạt được, vẫn còn một số hạn chế:"]
    lines += [f"- {text};" for text in found[:-1]]
    lines.append(f"- {found[-1]}.")
    return "\n".join(lines)


def tasks_text(
    data: selectors.Home, figures: dict[str, selectors.Figure], user: Any, today: dt.date
) -> str:
    unit = data.unit
    lines = []
    for task in task_list_due_soon(user, today, days=AHEAD_DAYS).within(unit)[:LISTED]:
        due = task.due_on
        when_due = f" (thời hạn {due.day}/{due.month}/{due.year})" if due else ""
        lines.append(f"- {task.title}{when_due}.")
    if _value(figures, "cases.stalled"):
        lines.append(
            "- Tiếp tục theo dõi, đôn đốc xử lý các vụ án, vụ việc chậm tiến độ, "
            "tháo gỡ khó khăn, vướng mắc."
        )
    if _value(figures, "petitions.overdue"):
        lines.append("- Tập trung giải quyết dứt điểm các đơn thư đã quá hạn.")
    if _value(figures, "tasks.overdue"):
        lines.append("- Hoàn thành các nhiệm vụ đã quá hạn.")
    if not lines:
        lines.append("- Tiếp tục thực hiện các nhiệm vụ theo chương trình công tác.")
    return "\n".join(lines)


def subject_text(period: Period) -> str:
    return f"Kết quả công tác {period_phrase(period)} và nhiệm vụ trọng tâm thời gian tới"


def briefing_build(*, user: Any, unit: Unit, period: Period, today: dt.date) -> Briefing:
    """The figures of `selectors.home` for (user, unit, period), the table and the pre-filled
    text of each section."""
    data = selectors.home(user=user, unit=unit, period=period, today=today)
    figures = _figures(data)
    return Briefing(
        unit=unit,
        period=period,
        today=today,
        data=data,
        figures=figures,
        table=figures_table(data),
        subject=subject_text(period),
        results=results_text(data, figures),
        limitations=limitations_text(data, figures, user, today),
        tasks=tasks_text(data, figures, user, today),
    )


def chart_images(data: selectors.Home) -> list[partydoc.Image]:
    """The home page's charts (when it has them) as PNG images for the documents; a chart that
    cannot be drawn is left out (the table carries the same figures)."""
    images = []
    for chart in getattr(data, "charts", None) or []:
        try:
            png = chart.png()
        except (OSError, RuntimeError, ValueError):
            logger.warning("briefing: chart %s could not be drawn", chart.key, exc_info=True)
            continue
        images.append(partydoc.Image.from_png(png, chart.title))
    return images


# -- the header's defaults, read from the unit -------------------------------------------------


@dataclass
class Header:
    superior: str
    issuer: str
    number_suffix: str
    place: str
    recipients: list[str]


def header_for(unit: Unit) -> Header:
    """The header's bodies from the unit's name (`partydoc.bodies_of`) and the usual recipients
    of a report to the level above. The user edits all of them."""
    parent = unit.parent.name if unit.parent is not None else ""
    bodies = partydoc.bodies_of(unit.name, parent, unit.short_name or unit.code)
    if bodies.symbol == "BNCTW":
        recipients = ["Bộ Chính trị, Ban Bí thư (để b/c)", "Lãnh đạo Ban"]
    elif bodies.issuer == "BAN NỘI CHÍNH":
        committee = unit.name[len(partydoc.COMMISSION) :]
        recipients = [
            *([f"{parent} (để b/c)"] if parent else []),
            f"Thường trực {committee} (để b/c)",
            "Lãnh đạo Ban",
        ]
    else:
        recipients = [*([f"{parent} (để b/c)"] if parent else []), "Lãnh đạo đơn vị"]
    return Header(
        superior=bodies.superior,
        issuer=bodies.issuer,
        number_suffix=f"BC/{bodies.symbol}",
        place=bodies.place,
        recipients=recipients,
    )


def briefing_document(
    briefing: Briefing,
    *,
    superior: str,
    issuer: str,
    number: str,
    number_suffix: str,
    place: str,
    date: dt.date,
    subject: str,
    results: str,
    limitations: str,
    tasks: str,
    recipients: str,
    signer_role: str,
    signer_title: str,
    signer_name: str,
    images: list[partydoc.Image] | None = None,
) -> partydoc.PartyDocument:
    """The edited texts with the figures table, as a Party document."""
    return partydoc.PartyDocument(
        issuer=issuer,
        superior=superior,
        number=number,
        number_suffix=number_suffix,
        place=place,
        date=date,
        subject=subject,
        sections=[
            partydoc.Section(
                RESULTS_TITLE,
                partydoc.paragraphs_of(results),
                [briefing.table],
                images or [],
            ),
            partydoc.Section(LIMITS_TITLE, partydoc.paragraphs_of(limitations)),
            partydoc.Section(TASKS_TITLE, partydoc.paragraphs_of(tasks)),
        ],
        recipients=partydoc.paragraphs_of(recipients),
        signer_role=signer_role,
        signer_title=signer_title,
        signer_name=signer_name,
    )


def document_title(doc: partydoc.PartyDocument) -> str:
    subject = doc.subject.strip()
    kind = doc.kind_title.strip().capitalize()
    if not subject:
        return kind
    return f"{kind} {subject[0].lower()}{subject[1:]}"[:500]


def file_name(unit: Unit, period: Period, extension: str) -> str:
    return f"bao-cao-{unit.code}-{period.code}.{extension}".replace("/", "-")


@transaction.atomic
def briefing_store(
    *,
    user: Any,
    unit: Unit,
    period: Period,
    doc: partydoc.PartyDocument,
    docx: bytes,
    meeting: Any = None,
) -> Document:
    """Register the report as a document of the unit ("12-BC/BNCTU", issue date, title) with
    the Word file attached, and add it to the meeting's materials when one is given. Both
    writes go through the generic services: gate-checked and audited."""
    from noichinh.core.audit import snapshot
    from noichinh.core.services import object_create, object_update

    document = Document(
        unit=unit,
        code=f"{doc.number.strip()}-{doc.number_suffix.strip()}",
        issue_date=doc.date,
        title=document_title(doc),
        summary=f"Báo cáo {period_phrase(period)} (lập từ số liệu của hệ thống).",
    )
    document.file = ContentFile(docx, name=file_name(unit, period, "docx"))
    object_create(user=user, instance=document, message="briefing")
    if meeting is not None:
        before = snapshot(meeting)
        materials = [*meeting.materials.all(), document]
        object_update(
            user=user,
            instance=meeting,
            before=before,
            m2m={"materials": materials},
            message="briefing",
        )
    return document
