"""Demo periodic reports, from the domain's stories:

- Quảng Bình's nine-month 2024 briefing form for its 8 district working groups, whose 8 approved
  reports add up exactly to the province's figures: 72 directing documents; 2 corruption cases
  detected; 8,651 cases of all kinds accepted by the district judicial bodies and 7,187 resolved
  (83 %); 1,703 crime reports and denunciations received and handled; 75 party organisations and
  122 party members inspected or supervised; and the same period of 2023 for comparison;
  the form also asks the figures the briefing discusses and the catalogue lacked: traffic
  accidents (cases, deaths, injured; up on cases and injured against 9 months of 2023, deaths
  down, as the source says "tăng 2 tiêu chí"), civil and administrative judgment enforcement
  (cases and money), administrative cases, files returned for additional investigation and
  judgments issued on time;
- the central commission's quarterly form, reported by five provincial committees for every
  quarter of 2023 and 2024 (the last quarter of 2024 still shows a draft and a returned report,
  so its roll-up adds up 3 of 5 reports against 5 of 5 a year earlier and says so).

Where the case registry holds the count, the figure is derived: "TN-PH" (cases and matters of
corruption and negative conduct detected) is pre-filled from `cases.all`, so the two cases of
the nine-month briefing are the registry's (Bố Trạch and Quảng Ninh, noichinh/cases/demo.py),
never typed. Every other figure is entered by hand. From 2025 the quarterly form runs to the load
day (`today`): every ended quarter approved from the units in force at its end, the last ended
one partly reported (approved, submitted, draft, one missing); the form of a closed unit is
made inactive. Idempotent: each record is looked up by its
natural key first; an existing report is left as it is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from noichinh.core.audit import snapshot
from noichinh.core.comparisons import Polarity
from noichinh.core.periods import Period
from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create, object_update
from noichinh.units.models import Unit

from . import services
from .choices import Aggregation, Operator, PeriodKind, Reporting, Severity, Source, Status
from .models import FormItem, FormSection, Indicator, ReportForm, Submission, ValidationRule

QB_DISTRICTS = ["QB-DH", "QB-BD", "QB-MH", "QB-TH", "QB-QT", "QB-BT", "QB-QN", "QB-LT"]

BETTER, WORSE, NEUTRAL = Polarity.HIGHER_BETTER, Polarity.HIGHER_WORSE, Polarity.NEUTRAL
# code, name, unit of measure, polarity (hand-entered indicators)
INDICATORS = [
    ("VB-CD", "Văn bản lãnh đạo, chỉ đạo đã ban hành", "văn bản", NEUTRAL),
    ("TP-TL", "Vụ án, vụ việc các loại cơ quan tư pháp cấp huyện đã thụ lý", "vụ việc", NEUTRAL),
    ("TP-GQ", "Vụ án, vụ việc các loại đã giải quyết", "vụ việc", BETTER),
    ("TG-TB", "Tin báo, tố giác tội phạm đã tiếp nhận, xử lý", "tin", NEUTRAL),
    ("TP-TDBS", "Hồ sơ vụ án trả điều tra bổ sung", "hồ sơ", WORSE),
    ("TP-BADH", "Bản án ban hành đúng hạn", "bản án", BETTER),
    ("HC-VA", "Vụ án hành chính", "vụ", WORSE),
    ("THA-VIEC", "Thi hành án dân sự, hành chính: số việc thi hành xong", "việc", BETTER),
    ("THA-TIEN", "Thi hành án dân sự, hành chính: số tiền thi hành xong", "triệu đồng", BETTER),
    ("GT-SV", "Tai nạn giao thông: số vụ", "vụ", WORSE),
    ("GT-CHET", "Tai nạn giao thông: số người chết", "người", WORSE),
    ("GT-BT", "Tai nạn giao thông: số người bị thương", "người", WORSE),
    ("KT-TC", "Tổ chức đảng được kiểm tra, giám sát", "tổ chức", BETTER),
    ("KT-DV", "Đảng viên được kiểm tra, giám sát", "đảng viên", BETTER),
]
# Derived from the case registry (core.counts): code, name, unit of measure, count, polarity.
DERIVED = [
    ("TN-PH", "Vụ việc, vụ án tham nhũng, tiêu cực được phát hiện", "vụ", "cases.all", BETTER),
]
RATE = ("TP-TLGQ", "Tỷ lệ giải quyết vụ án, vụ việc", "%")

# The 8 district groups' nine-month 2024 figures (columns in QB_DISTRICTS order). The
# corruption cases detected (TN-PH, 2) are not here: the case registry gives them.
NINE_MONTHS_2024 = {
    "VB-CD": [14, 9, 7, 8, 9, 11, 7, 7],  # 72
    "TP-TL": [2315, 1052, 498, 701, 1187, 1398, 705, 795],  # 8.651
    "TP-GQ": [1946, 871, 421, 580, 978, 1154, 587, 650],  # 7.187
    "TG-TB": [452, 201, 98, 135, 243, 287, 139, 148],  # 1.703
    "KT-TC": [14, 9, 7, 8, 10, 12, 7, 8],  # 75
    "KT-DV": [23, 15, 11, 13, 16, 20, 11, 13],  # 122
}
# Figures the source discusses without a number: province totals, spread over the groups in
# proportion to the cases accepted. Traffic accidents: 2024 against 2023 up on cases and
# injured, down on deaths ("tai nạn giao thông tăng 2 tiêu chí (số vụ, số người bị thương)").
MORE_2024 = {
    "TP-TDBS": 14,
    "TP-BADH": 1168,
    "HC-VA": 21,
    "THA-VIEC": 3412,
    "THA-TIEN": 152340,
    "GT-SV": 98,
    "GT-CHET": 52,
    "GT-BT": 87,
}
# The same period of 2023: province totals, spread over the groups like 2024.
NINE_MONTHS_2023 = {
    "VB-CD": 65,
    "TP-TL": 8012,
    "TP-GQ": 6452,
    "TG-TB": 1587,
    "KT-TC": 70,
    "KT-DV": 131,
    "TP-TDBS": 19,
    "TP-BADH": 1090,
    "HC-VA": 26,
    "THA-VIEC": 3250,
    "THA-TIEN": 138775,
    "GT-SV": 91,
    "GT-CHET": 58,
    "GT-BT": 76,
}
LATE_2024 = "QB-MH"  # submitted two days after the due date

QUARTERLY_UNITS = {  # province: its scale of work
    "HN-BNCTU": 6.0,
    "NA-BNCTU": 2.6,
    "QB-BNCTU": 1.0,
    "QT-BNCTU": 0.8,
    "TTH-BNCTU": 1.2,
}
QUARTERLY_BASE = {"TP-TL": 2900, "TP-GQ": 2380, "TG-TB": 560}


class _Counter:
    new = 0


def _create(instance: Any, m2m: dict[str, Any] | None = None) -> Any:
    _Counter.new += 1
    return object_create(user=SYSTEM, instance=instance, m2m=m2m)


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def split(total: int, weights: list[int]) -> list[int]:
    """`total` shared in proportion to `weights` (largest remainders), summing exactly."""
    weight = sum(weights) or 1
    shares = [total * w / weight for w in weights]
    result = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: shares[i] - result[i], reverse=True)
    for i in order[: total - sum(result)]:
        result[i] += 1
    return result


def _indicators(root: Unit) -> dict[str, Indicator]:
    found = {}
    for code, name, measure, polarity in INDICATORS:
        found[code] = Indicator.objects.filter(code=code).first() or _create(
            Indicator(unit=root, code=code, name=name, measure=measure, polarity=polarity)
        )
    for code, name, measure, count_key, polarity in DERIVED:
        found[code] = Indicator.objects.filter(code=code).first() or _create(
            Indicator(
                unit=root,
                code=code,
                name=name,
                measure=measure,
                source=Source.DERIVED,
                count_key=count_key,
                polarity=polarity,
            )
        )
    code, name, measure = RATE
    found[code] = Indicator.objects.filter(code=code).first() or _create(
        Indicator(
            unit=root,
            code=code,
            name=name,
            measure=measure,
            source=Source.RATIO,
            numerator=found["TP-GQ"],
            denominator=found["TP-TL"],
            aggregation=Aggregation.NONE,
            polarity=BETTER,
        )
    )
    return found


def _form(
    owner: Unit,
    code: str,
    name: str,
    period_type: str,
    sections: list[tuple[str, list[str]]],
    indicators: dict[str, Indicator],
    reporting_units: list[Unit] | None = None,
) -> ReportForm:
    form = ReportForm.objects.filter(code=code).first()
    if form is None:
        form = _create(
            ReportForm(
                unit=owner,
                code=code,
                name=name,
                period_type=period_type,
                due_days=5,
                reporting=Reporting.SELECTED if reporting_units else Reporting.CHILDREN,
            ),
            {"reporting_units": reporting_units or []},
        )
    order = 0
    for number, (title, codes) in enumerate(sections, start=1):
        section = FormSection.objects.filter(form=form, number=number).first() or _create(
            FormSection(unit=owner, form=form, number=number, title=title)
        )
        for item_code in codes:
            order += 1
            indicator = indicators[item_code]
            if not FormItem.objects.filter(form=form, indicator=indicator).exists():
                _create(
                    FormItem(
                        unit=owner, form=form, section=section, order=order, indicator=indicator
                    )
                )
    if not form.rules.exists():
        _create(
            ValidationRule(
                unit=owner,
                form=form,
                left=indicators["TP-GQ"],
                operator=Operator.LE,
                right=indicators["TP-TL"],
                severity=Severity.BLOCK,
                message="Số vụ án, vụ việc đã giải quyết không được vượt số đã thụ lý.",
            )
        )
    return form


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def _report(
    form: ReportForm,
    period: Period,
    unit: Unit,
    figures: dict[str, int],
    indicators: dict[str, Indicator],
    *,
    late_days: int = 0,
    status: str = Status.APPROVED,
    today: dt.date | None = None,
) -> None:
    if Submission.objects.filter(form=form, period=period.code, unit=unit).exists():
        return
    _Counter.new += 1
    submission = services.submission_open(user=SYSTEM, form=form, period=period, unit=unit)
    services.submission_save_values(
        user=SYSTEM,
        submission=submission,
        values={indicators[code].pk: Decimal(value) for code, value in figures.items()},
    )
    if status == Status.DRAFT:
        return
    due = form.due_on(period)
    sent = due + dt.timedelta(days=late_days) if late_days else due - dt.timedelta(days=2)
    if today is not None:
        sent = min(sent, today - dt.timedelta(days=1))
    services.submission_submit(user=SYSTEM, submission=submission, at=_at(sent))
    if status == Status.SUBMITTED:
        return
    if status == Status.RETURNED:
        services.submission_return(
            user=SYSTEM,
            submission=submission,
            reason="Đề nghị bổ sung số liệu tin báo, tố giác tội phạm của các huyện.",
        )
    elif status == Status.APPROVED:
        approved = sent + dt.timedelta(days=2)
        if today is not None:
            approved = min(approved, today)
        services.submission_approve(user=SYSTEM, submission=submission, at=_at(approved, 15))


def _quang_binh(indicators: dict[str, Indicator]) -> ReportForm:
    form = _form(
        _unit("QB-BNCTU"),
        "QB-GB-9T",
        "Báo cáo kết quả công tác nội chính, phòng, chống tham nhũng, tiêu cực 9 tháng "
        "(phục vụ giao ban các Tổ công tác huyện)",
        PeriodKind.NINE_MONTHS,
        [
            ("Công tác lãnh đạo, chỉ đạo", ["VB-CD"]),
            ("Phát hiện, xử lý tham nhũng, tiêu cực", ["TN-PH"]),
            (
                "Công tác tư pháp",
                ["TP-TL", "TP-GQ", "TP-TLGQ", "TG-TB", "TP-TDBS", "TP-BADH", "HC-VA"],
            ),
            ("Công tác kiểm tra, giám sát", ["KT-TC", "KT-DV"]),
            ("Thi hành án dân sự, hành chính", ["THA-VIEC", "THA-TIEN"]),
            ("Trật tự an toàn giao thông", ["GT-SV", "GT-CHET", "GT-BT"]),
        ],
        indicators,
    )
    weights = NINE_MONTHS_2024["TP-TL"]
    last_year = {code: split(total, weights) for code, total in NINE_MONTHS_2023.items()}
    this_year = {
        **NINE_MONTHS_2024,
        **{code: split(total, weights) for code, total in MORE_2024.items()},
    }
    for year, table in ((2023, last_year), (2024, this_year)):
        for index, code in enumerate(QB_DISTRICTS):
            figures = {name: values[index] for name, values in table.items()}
            late = 2 if (year == 2024 and code == LATE_2024) else 0
            _report(
                form, Period.nine_months(year), _unit(code), figures, indicators, late_days=late
            )
    return form


def _quarterly(indicators: dict[str, Indicator]) -> ReportForm:
    units = [_unit(code) for code in QUARTERLY_UNITS]
    form = _form(
        _unit("BNCTW"),
        "TW-QUY",
        "Báo cáo quý về công tác nội chính và phòng, chống tham nhũng, tiêu cực",
        PeriodKind.QUARTER,
        [
            ("Phát hiện, xử lý tham nhũng, tiêu cực", ["TN-PH"]),
            ("Công tác tư pháp", ["TP-TL", "TP-GQ", "TP-TLGQ", "TG-TB"]),
        ],
        indicators,
        reporting_units=units,
    )
    for year in (2023, 2024):
        growth = 1.0 if year == 2023 else 1.07
        for period in Period.of_type(PeriodKind.QUARTER, year):
            season = (0.9, 1.0, 1.05, 1.15)[period.index - 1]
            for position, unit in enumerate(units):
                scale = QUARTERLY_UNITS[unit.code] * growth * season
                figures = {
                    code: round(base * scale / (1 if code == "TN-PH" else 4))
                    for code, base in QUARTERLY_BASE.items()
                }
                figures["TP-GQ"] = min(figures["TP-GQ"], figures["TP-TL"])
                status = Status.APPROVED
                if period.code == "2024-Q4" and unit.code == "NA-BNCTU":
                    status = Status.DRAFT
                elif period.code == "2024-Q4" and unit.code == "QT-BNCTU":
                    status = Status.RETURNED
                _report(
                    form,
                    period,
                    unit,
                    figures,
                    indicators,
                    late_days=3 if (position + period.index) % 7 == 0 else 0,
                    status=status,
                )
    return form


def _quarter_figures(period: Period, unit: Unit) -> dict[str, int]:
    growth = 1.07 ** (period.year - 2023)
    season = (0.9, 1.0, 1.05, 1.15)[period.index - 1]
    scale = QUARTERLY_UNITS[unit.code] * growth * season
    figures = {code: round(base * scale / 4) for code, base in QUARTERLY_BASE.items()}
    figures["TP-GQ"] = min(figures["TP-GQ"], figures["TP-TL"])
    return figures


# The last ended quarter on the load day: who has reported (the others are missing).
CURRENT_STATUS: dict[str, str] = {
    "HN-BNCTU": Status.APPROVED,
    "TTH-BNCTU": Status.SUBMITTED,
    "NA-BNCTU": Status.DRAFT,
}  # Quảng Trị (with Quảng Bình since 1/7/2025) has not opened its report yet


def _current(form: ReportForm, indicators: dict[str, Indicator], today: dt.date) -> None:
    """The quarterly form from 2025 to the load day: every quarter ended before the last one
    approved, from the units in force at its end (Quảng Bình to Q2/2025, then Quảng Trị for
    both); the last ended quarter (the one being reported on) partly in: approved, submitted
    and draft reports, one missing. Nothing is asked of a unit closed before the period."""
    from . import selectors

    last = Period.last_ended(PeriodKind.QUARTER, today)
    period = Period.quarter(2025, 1)
    while period.end <= last.end:
        tree = selectors.tree_on(period.end)
        for unit_id in selectors.expected_units(form, tree):
            unit = tree.units[unit_id]
            if unit.code not in QUARTERLY_UNITS:
                continue
            status: str = Status.APPROVED
            if period.code == last.code:
                status = CURRENT_STATUS.get(unit.code, "")
                if not status:
                    continue
            _report(
                form,
                period,
                unit,
                _quarter_figures(period, unit),
                indicators,
                status=status,
                today=today,
            )
        period = Period.quarter(period.year + period.index // 4, period.index % 4 + 1)


def _retire(today: dt.date) -> None:
    """A form whose owner has closed (Quảng Bình's nine-month briefing form, its committee and
    district groups closed on 30/6/2025) is no longer asked for (through the audited update)."""
    for form in ReportForm.objects.filter(active=True, unit__valid_to__lt=today):
        before = snapshot(form)
        form.active = False
        object_update(user=SYSTEM, instance=form, before=before)
        _Counter.new += 1


def load(out: Any, today: dt.date | None = None) -> None:
    _Counter.new = 0
    today = today or timezone.localdate()
    indicators = _indicators(_unit("BNCTW"))
    _quang_binh(indicators)
    quarterly = _quarterly(indicators)
    _current(quarterly, indicators, today)
    _retire(today)
    out.write(
        f"reports: {ReportForm.objects.count()} forms, {Indicator.objects.count()} indicators, "
        f"{Submission.objects.count()} unit reports ({_Counter.new} new records)"
    )
