"""Demo cases, matters and security issues, consistent with the emulation results (domain.md,
item 1) that the campaigns compute from them:

- the cases the Central Steering Committee follows, named by the central commission's
  six-month review of July 2023: Việt Á test kits, the Military Medical Academy, Vạn Thịnh
  Phát (with its split-off phase II) and the vehicle inspection centres;
- Cluster III's 13 committees: **45** corruption cases and matters and **39** complex security
  and order issues from 1/6/2021 to the midterm cut-off (all dated by 15/9/2023), so that
  against registered midterm targets of 39 and 18 the cluster reaches 115,4 % and 216,7 %;
  more records after the midterm (for the final review), a few before the campaign (which must
  not count), negative-conduct matters (not corruption) and suspended cases awaiting expert
  assessment or asset valuation (stalled);
- Nghệ An: 7 corruption cases of public concern by the midterm (departments P1: 2, P2: 3,
  P3: 2; 4 detected by the committee itself) and 12 by the end (7 self-detected); 4 security
  issues by the midterm (P1: 1, P2: 1, P3: 2) and 7 by the end; one confidential case;
- two corruption cases detected by Quảng Bình's district working groups in the first nine
  months of 2024 (the figure of the nine-month briefing).

Alive on the load day (`today`): each case's run through the stages is drawn in full and cut
at that day (so the history draws the same whatever the day); the cluster's committees open that
day have cases detected in its year; running cases have a progress event in the weeks before it
(through `services.case_record_event`), except a handful left stalled (besides the suspended).

Deterministic (seeded) and idempotent: a case or issue is looked up by unit and title first.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from noichinh.core.handover import ever_held_by_q
from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create
from noichinh.documents.models import Document
from noichinh.units.models import Unit

from .choices import (
    CaseField,
    CaseKind,
    Conduct,
    Confidentiality,
    Detection,
    IssueKind,
    IssueStatus,
    MonitoringLevel,
    Stage,
    SuspensionReason,
)
from .models import Case, CaseEvent, CaseSuspension, SecurityIssue

D = dt.date
CAMPAIGN_START = D(2021, 6, 1)
MIDTERM_LAST_RECORD = D(2023, 9, 15)
MERGED_AWAY = {"QB", "QNA", "KT", "BDI", "PY", "DNO"}  # closed on 1/7/2025

# Midterm corruption cases and security issues per Cluster III committee (sums 45 and 39).
CLUSTER_MIDTERM: dict[str, tuple[int, int]] = {
    "QB": (5, 4),
    "QT": (3, 3),
    "TTH": (4, 3),
    "DNG": (5, 4),
    "QNA": (3, 3),
    "QNG": (3, 2),
    "BDI": (3, 3),
    "PY": (4, 4),
    "KH": (3, 3),
    "KT": (4, 3),
    "GL": (3, 3),
    "DL": (3, 2),
    "DNO": (2, 2),
}
# After the midterm (to the final review).
CLUSTER_LATER: dict[str, tuple[int, int]] = {
    "QB": (3, 2),
    "QT": (4, 3),
    "TTH": (3, 2),
    "DNG": (4, 3),
    "QNA": (2, 2),
    "QNG": (3, 2),
    "BDI": (2, 2),
    "PY": (3, 2),
    "KH": (3, 2),
    "KT": (2, 2),
    "GL": (3, 2),
    "DL": (3, 2),
    "DNO": (2, 1),
}

SUBJECTS: dict[str, list[str]] = {
    CaseField.LAND: [
        "Sai phạm trong bồi thường, giải phóng mặt bằng dự án {place}",
        "Vi phạm trong giao đất, cho thuê đất tại {place}",
        "Sai phạm trong đấu giá quyền sử dụng đất tại {place}",
    ],
    CaseField.FINANCE: [
        "Lập hồ sơ khống chiếm đoạt tiền vay tại chi nhánh ngân hàng {place}",
        "Tham ô tài sản tại quỹ tín dụng nhân dân {place}",
    ],
    CaseField.HEALTH: [
        "Sai phạm trong mua sắm thiết bị, vật tư y tế tại bệnh viện {place}",
        "Vi phạm trong đấu thầu thuốc tại trung tâm y tế {place}",
    ],
    CaseField.PROCUREMENT: [
        "Vi phạm quy định về đấu thầu gây thất thoát tại {place}",
        "Thông thầu trong mua sắm thiết bị dạy học tại {place}",
    ],
    CaseField.CONSTRUCTION: [
        "Sai phạm trong đầu tư xây dựng công trình hạ tầng tại {place}",
        "Rút ruột công trình đường giao thông nông thôn tại {place}",
    ],
    CaseField.RESOURCES: [
        "Vi phạm trong cấp phép khai thác khoáng sản tại {place}",
        "Khai thác cát trái phép có sự tiếp tay của cán bộ tại {place}",
    ],
    CaseField.PUBLIC_ASSETS: ["Sai phạm trong quản lý, thanh lý tài sản công tại {place}"],
}
PLACES = [
    "thành phố",
    "thị xã",
    "khu kinh tế",
    "khu công nghiệp",
    "huyện miền núi",
    "xã ven biển",
    "khu đô thị mới",
]
ISSUE_TEXTS: dict[str, str] = {
    IssueKind.MASS_GATHERING: "Tập trung đông người phản đối dự án tại {place}",
    IssueKind.COLLECTIVE_COMPLAINT: "Khiếu kiện đông người, kéo dài về bồi thường đất tại {place}",
    IssueKind.LAND_DISPUTE: "Tranh chấp đất đai giữa người dân và doanh nghiệp tại {place}",
    IssueKind.LABOUR: "Ngừng việc tập thể của công nhân tại {place}",
    IssueKind.RELIGION_ETHNIC: "Vụ việc phức tạp liên quan đến tôn giáo tại {place}",
    IssueKind.ENVIRONMENT: "Người dân phản đối ô nhiễm môi trường tại {place}",
}


class _Counter:
    new = 0


def _create(instance: Any, m2m: dict[str, Any] | None = None) -> Any:
    _Counter.new += 1
    return object_create(user=SYSTEM, instance=instance, m2m=m2m)


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _case(
    unit: Unit,
    title: str,
    *,
    events: Sequence[dict[str, Any]] = (),
    suspension: dict[str, Any] | None = None,
    documents: Sequence[str] = (),
    **fields: Any,
) -> Case:
    found = Case.objects.filter(
        ever_held_by_q(Case, unit), title=title, origin__isnull=True
    ).first()
    if found is not None:
        return found
    fields.setdefault("conduct", Conduct.CORRUPTION)
    case = _create(
        Case(unit=unit, title=title, **fields),
        {"documents": list(Document.objects.filter(code__in=list(documents)))},
    )
    for event in events:
        _create(CaseEvent(unit=unit, case=case, **event))
    if suspension:
        _create(CaseSuspension(unit=unit, case=case, **suspension))
    return case


def _central() -> None:
    root = Unit.objects.get(code="BNCTW")
    common: dict[str, Any] = {
        "kind": CaseKind.CRIMINAL_CASE,
        "monitoring": MonitoringLevel.CENTRAL_STEERING,
        "public_concern": True,
        "detection": Detection.REFERRED,
    }
    _case(
        root,
        "Vụ án xảy ra tại Công ty Cổ phần Công nghệ Việt Á và các đơn vị liên quan",
        field=CaseField.HEALTH,
        detected_on=D(2021, 12, 17),
        summary="Vụ án liên quan đến kit xét nghiệm COVID-19, nhiều địa phương liên quan.",
        events=[
            {
                "occurred_on": D(2021, 12, 17),
                "stage": Stage.INVESTIGATION,
                "description": "Khởi tố vụ án, khởi tố bị can.",
            },
            {
                "occurred_on": D(2023, 7, 6),
                "stage": Stage.INVESTIGATION,
                "description": "Sơ kết 6 tháng: chỉ đạo điều tra mở rộng tại các địa phương.",
            },
            {
                "occurred_on": D(2023, 12, 15),
                "stage": Stage.PROSECUTION,
                "description": "Truy tố các bị can.",
            },
            {
                "occurred_on": D(2024, 1, 2),
                "stage": Stage.FIRST_TRIAL,
                "description": "Xét xử sơ thẩm giai đoạn I.",
            },
        ],
        documents=["15-KH/BNCTW"],
        **common,
    )
    _case(
        root,
        "Vụ án xảy ra tại Học viện Quân y",
        field=CaseField.HEALTH,
        detected_on=D(2022, 1, 10),
        events=[
            {
                "occurred_on": D(2022, 1, 10),
                "stage": Stage.INVESTIGATION,
                "description": "Khởi tố vụ án liên quan đến mua sắm kit xét nghiệm.",
            },
            {
                "occurred_on": D(2023, 7, 6),
                "stage": Stage.INVESTIGATION,
                "description": "Sơ kết 6 tháng: đôn đốc hoàn thành điều tra.",
            },
        ],
        **common,
    )
    vtp = _case(
        root,
        "Vụ án xảy ra tại Tập đoàn Vạn Thịnh Phát, Ngân hàng TMCP Sài Gòn (SCB) và các đơn vị "
        "liên quan",
        field=CaseField.FINANCE,
        detected_on=D(2022, 10, 7),
        events=[
            {
                "occurred_on": D(2022, 10, 7),
                "stage": Stage.INVESTIGATION,
                "description": "Khởi tố vụ án, khởi tố bị can.",
            },
            {
                "occurred_on": D(2023, 7, 6),
                "stage": Stage.INVESTIGATION,
                "description": "Sơ kết 6 tháng: chỉ đạo kết thúc điều tra giai đoạn I.",
            },
            {
                "occurred_on": D(2024, 3, 5),
                "stage": Stage.FIRST_TRIAL,
                "description": "Xét xử sơ thẩm giai đoạn I.",
            },
            {
                "occurred_on": D(2024, 11, 5),
                "stage": Stage.APPEAL,
                "description": "Xét xử phúc thẩm giai đoạn I.",
            },
        ],
        **common,
    )
    if not vtp.phases.exists():
        _create(
            Case(
                unit=root,
                title=vtp.title,
                origin=vtp,
                phase=2,
                detected_on=D(2023, 6, 1),
                field=CaseField.FINANCE,
                conduct=Conduct.CORRUPTION,
                summary="Tách vụ án giai đoạn II: phát hành, mua bán trái phiếu.",
                **common,
            )
        )
    _case(
        root,
        "Vụ án xảy ra tại Cục Đăng kiểm Việt Nam và các trung tâm đăng kiểm xe cơ giới",
        field=CaseField.TRANSPORT,
        detected_on=D(2022, 12, 12),
        events=[
            {
                "occurred_on": D(2022, 12, 12),
                "stage": Stage.INVESTIGATION,
                "description": "Khởi tố vụ án tại các trung tâm đăng kiểm.",
            },
            {
                "occurred_on": D(2023, 7, 6),
                "stage": Stage.INVESTIGATION,
                "description": "Sơ kết 6 tháng: mở rộng điều tra tại nhiều địa phương.",
            },
        ],
        **common,
    )


def _progress(
    rng: random.Random, detected_on: dt.date, last_allowed: dt.date
) -> list[dict[str, Any]]:
    """A plausible run through the stages from the detection, stopping at a random stage. Every
    value is drawn whatever `last_allowed` (the load day, or the day the unit closed), so that
    the cases after this one draw the same: the run is then cut at `last_allowed`."""
    steps = [
        Stage.VERIFICATION,
        Stage.INVESTIGATION,
        Stage.PROSECUTION,
        Stage.FIRST_TRIAL,
        Stage.ENFORCEMENT,
        Stage.CLOSED,
    ]
    depth = rng.randint(1, len(steps))
    events: list[dict[str, Any]] = []
    day = detected_on
    damage = Decimal(rng.randint(2, 180)) * Decimal(1_000_000_000)
    for stage in steps[:depth]:
        day = day + dt.timedelta(days=rng.randint(30, 160))
        event: dict[str, Any] = {"occurred_on": day, "stage": stage}
        if stage == Stage.INVESTIGATION:
            event["description"] = "Khởi tố vụ án, khởi tố bị can."
        elif stage == Stage.PROSECUTION:
            event["people_prosecuted"] = rng.randint(2, 12)
            event["damage_amount"] = damage
            event["description"] = "Viện kiểm sát ban hành cáo trạng."
        elif stage == Stage.FIRST_TRIAL:
            event["description"] = "Tòa án xét xử sơ thẩm."
        elif stage == Stage.ENFORCEMENT:
            share = Decimal(rng.randint(30, 90)) / 100
            event["recovered_amount"] = (damage * share).quantize(Decimal(1))
        elif stage == Stage.CLOSED:
            event["description"] = "Thi hành xong bản án, kết thúc theo dõi."
        events.append(event)
    events = [e for e in events if e["occurred_on"] <= last_allowed]
    # Most open cases are still moving: a recent update at their stage (within the weeks before
    # the load day); about one in ten has had none for months, and is stalled.
    recent = last_allowed - dt.timedelta(days=rng.randint(3, 50))
    keep_moving = rng.random() < 0.9
    last = events[-1]["occurred_on"] if events else detected_on
    if events and events[-1]["stage"] != Stage.CLOSED and keep_moving and recent > last:
        events.append(
            {
                "occurred_on": recent,
                "stage": events[-1]["stage"],
                "description": "Cập nhật tiến độ theo báo cáo của cơ quan tiến hành tố tụng.",
            }
        )
    return events


def _province_cases(
    rng: random.Random,
    unit: Unit,
    count: int,
    start: dt.date,
    end: dt.date,
    tag: str,
    last_allowed: dt.date,
) -> None:
    fields = list(SUBJECTS)
    for i in range(count):
        field = fields[rng.randrange(len(fields))]
        template = SUBJECTS[field][rng.randrange(len(SUBJECTS[field]))]
        place = f"{PLACES[rng.randrange(len(PLACES))]} thuộc {unit.short_name or unit.name}"
        title = f"{template.format(place=place)} ({tag}-{i + 1})"
        detected_on = _date_between(rng, start, end)
        detection = rng.choice(
            [
                Detection.SELF,
                Detection.SELF,
                Detection.INSPECTION,
                Detection.PETITION,
                Detection.PRESS,
                Detection.REFERRED,
            ]
        )
        kind = CaseKind.CRIMINAL_CASE if rng.random() < 0.6 else CaseKind.MATTER
        events = _progress(rng, detected_on, last_allowed)
        # drawn for every case, so that the draws never depend on the load day
        suspend = rng.random() < 0.08
        reason = rng.choice([SuspensionReason.EXPERT_ASSESSMENT, SuspensionReason.ASSET_VALUATION])
        suspended_after = rng.randint(10, 60)
        public_concern = rng.random() < 0.4
        provincial = rng.random() < 0.5
        suspension = None
        closed = bool(events) and events[-1]["stage"] == Stage.CLOSED
        if not closed and suspend:
            last = events[-1]["occurred_on"] if events else detected_on
            started = last + dt.timedelta(days=suspended_after)
            if started <= last_allowed:
                suspension = {
                    "reason": reason,
                    "started_on": started,
                    "note": "Chờ kết quả giám định, định giá tài sản.",
                }
        _case(
            unit,
            title,
            kind=kind,
            field=field,
            detected_on=detected_on,
            detection=detection,
            public_concern=public_concern,
            monitoring=MonitoringLevel.PROVINCIAL_STEERING if provincial else "",
            events=events,
            suspension=suspension,
        )


def _issues(
    rng: random.Random,
    unit: Unit,
    count: int,
    start: dt.date,
    end: dt.date,
    tag: str,
    department: Unit | None = None,
) -> None:
    kinds = list(ISSUE_TEXTS)
    for i in range(count):
        kind = kinds[rng.randrange(len(kinds))]
        place = f"{PLACES[rng.randrange(len(PLACES))]} thuộc {unit.short_name or unit.name}"
        title = f"{ISSUE_TEXTS[kind].format(place=place)} ({tag}-{i + 1})"
        # Every draw before the lookup, so that a second run draws the same sequence.
        advised_on = _date_between(rng, start, end)
        started_on = advised_on - dt.timedelta(days=rng.randint(0, 20))
        resolved = advised_on < D(2025, 1, 1) and rng.random() < 0.7
        people = rng.choice([30, 50, 80, 120, 200, 350, 500])
        open_status = rng.choice([IssueStatus.ONGOING, IssueStatus.STABILISED])
        resolved_after = rng.randint(15, 120)
        if SecurityIssue.objects.filter(ever_held_by_q(SecurityIssue, unit), title=title).exists():
            continue
        _create(
            SecurityIssue(
                unit=unit,
                department=department,
                title=title,
                kind=kind,
                location=place,
                people_count=people,
                started_on=started_on,
                advised_on=advised_on,
                status=IssueStatus.RESOLVED if resolved else open_status,
                resolved_on=advised_on + dt.timedelta(days=resolved_after) if resolved else None,
                resolution="Tham mưu cấp ủy chỉ đạo đối thoại, giải quyết dứt điểm."
                if resolved
                else "",
            )
        )


def _cluster(rng: random.Random, today: dt.date) -> None:
    for code, (cases, issues) in CLUSTER_MIDTERM.items():
        unit = Unit.objects.get(code=f"{code}-BNCTU")
        _province_cases(rng, unit, cases, CAMPAIGN_START, MIDTERM_LAST_RECORD, "ST", today)
        _issues(rng, unit, issues, CAMPAIGN_START, MIDTERM_LAST_RECORD, "ST")
    for code, (cases, issues) in CLUSTER_LATER.items():
        unit = Unit.objects.get(code=f"{code}-BNCTU")
        last = D(2025, 6, 20) if code in MERGED_AWAY else D(2025, 9, 30)
        _province_cases(rng, unit, cases, D(2023, 12, 1), last, "TK", today)
        _issues(rng, unit, issues, D(2023, 12, 1), last, "TK")
    # Before the campaign (not counted) and negative conduct (not corruption).
    for code in ("QB", "DNG", "KT"):
        unit = Unit.objects.get(code=f"{code}-BNCTU")
        _province_cases(rng, unit, 1, D(2020, 3, 1), D(2021, 4, 30), "TR", D(2023, 12, 31))
        _issues(rng, unit, 1, D(2020, 6, 1), D(2021, 5, 15), "TR")
        _case(
            unit,
            f"Cán bộ sách nhiễu, gây phiền hà cho người dân tại {unit.short_name}",
            kind=CaseKind.MATTER,
            conduct=Conduct.NEGATIVE,
            field=CaseField.OTHER,
            detected_on=D(2022, 8, 10),
            detection=Detection.PRESS,
        )
    # Suspended for long, awaiting expert assessment: stalled.
    for code, title, reason in [
        (
            "QNG",
            "Sai phạm trong cổ phần hóa doanh nghiệp nhà nước tại Quảng Ngãi",
            SuspensionReason.EXPERT_ASSESSMENT,
        ),
        (
            "GL",
            "Sai phạm trong quản lý rừng và đất rừng tại Gia Lai",
            SuspensionReason.ASSET_VALUATION,
        ),
        (
            "KH",
            "Vi phạm trong chuyển mục đích sử dụng đất quốc phòng tại Khánh Hòa",
            SuspensionReason.CENTRAL_GUIDANCE,
        ),
    ]:
        unit = Unit.objects.get(code=f"{code}-BNCTU")
        _case(
            unit,
            title,
            kind=CaseKind.CRIMINAL_CASE,
            conduct=Conduct.NEGATIVE,
            field=CaseField.LAND,
            detected_on=D(2023, 10, 20),
            detection=Detection.INSPECTION,
            monitoring=MonitoringLevel.PROVINCIAL_STEERING,
            events=[
                {
                    "occurred_on": D(2024, 1, 15),
                    "stage": Stage.INVESTIGATION,
                    "description": "Khởi tố vụ án.",
                }
            ],
            suspension={
                "reason": reason,
                "started_on": D(2024, 3, 1),
                "note": "Tạm đình chỉ điều tra chờ kết quả.",
            },
        )


NGHE_AN_CASES = [
    # (department, detected on, self-detected, field, subject)
    (
        "NA-P1",
        D(2021, 9, 14),
        True,
        CaseField.LAND,
        "Sai phạm trong bồi thường, giải phóng mặt bằng dự án đường ven biển Nghi Sơn - Cửa Lò",
    ),
    (
        "NA-P1",
        D(2022, 5, 20),
        False,
        CaseField.HEALTH,
        "Sai phạm trong mua sắm kit xét nghiệm tại CDC Nghệ An",
    ),
    (
        "NA-P2",
        D(2021, 11, 3),
        True,
        CaseField.RESOURCES,
        "Vi phạm trong cấp phép khai thác đá tại huyện Quỳ Hợp",
    ),
    (
        "NA-P2",
        D(2022, 8, 16),
        True,
        CaseField.FINANCE,
        "Tham ô tài sản tại quỹ tín dụng nhân dân xã Diễn Thịnh",
    ),
    (
        "NA-P2",
        D(2023, 3, 9),
        False,
        CaseField.PROCUREMENT,
        "Thông thầu trong mua sắm thiết bị dạy học tại Sở Giáo dục và Đào tạo",
    ),
    (
        "NA-P3",
        D(2022, 2, 25),
        True,
        CaseField.LAND,
        "Vi phạm trong giao đất, cho thuê đất tại thị xã Hoàng Mai",
    ),
    (
        "NA-P3",
        D(2023, 6, 30),
        False,
        CaseField.CONSTRUCTION,
        "Sai phạm trong đầu tư xây dựng hồ chứa nước Bản Mồng",
    ),
    # After the midterm.
    (
        "NA-P1",
        D(2024, 2, 6),
        True,
        CaseField.LAND,
        "Sai phạm trong đấu giá quyền sử dụng đất tại thành phố Vinh",
    ),
    (
        "NA-P1",
        D(2024, 9, 12),
        False,
        CaseField.PUBLIC_ASSETS,
        "Sai phạm trong thanh lý tài sản công tại Sở Giao thông vận tải",
    ),
    (
        "NA-P2",
        D(2024, 6, 18),
        True,
        CaseField.FINANCE,
        "Lập hồ sơ khống chiếm đoạt tiền vay tại chi nhánh ngân hàng huyện Yên Thành",
    ),
    (
        "NA-P3",
        D(2025, 1, 14),
        True,
        CaseField.HEALTH,
        "Vi phạm trong đấu thầu thuốc tại Bệnh viện Hữu nghị Đa khoa Nghệ An",
    ),
    (
        "NA-P3",
        D(2025, 4, 22),
        False,
        CaseField.RESOURCES,
        "Khai thác cát trái phép trên sông Lam có sự tiếp tay của cán bộ",
    ),
]
NGHE_AN_ISSUES = [
    (
        "NA-P1",
        D(2022, 4, 12),
        IssueKind.COLLECTIVE_COMPLAINT,
        "Khiếu kiện đông người kéo dài về bồi thường dự án khu kinh tế Đông Nam",
    ),
    (
        "NA-P2",
        D(2022, 10, 5),
        IssueKind.LABOUR,
        "Ngừng việc tập thể của công nhân tại khu công nghiệp VSIP Nghệ An",
    ),
    (
        "NA-P3",
        D(2021, 12, 20),
        IssueKind.MASS_GATHERING,
        "Tập trung đông người phản đối nhà máy xử lý rác tại huyện Nghi Lộc",
    ),
    (
        "NA-P3",
        D(2023, 5, 17),
        IssueKind.RELIGION_ETHNIC,
        "Vụ việc phức tạp liên quan đến tôn giáo tại huyện Quỳnh Lưu",
    ),
    (
        "NA-P1",
        D(2024, 3, 28),
        IssueKind.LAND_DISPUTE,
        "Tranh chấp đất đai giữa người dân và nông trường tại huyện Nghĩa Đàn",
    ),
    (
        "NA-P2",
        D(2024, 10, 9),
        IssueKind.ENVIRONMENT,
        "Người dân phản đối ô nhiễm môi trường tại khu công nghiệp Hoàng Mai",
    ),
    (
        "NA-P3",
        D(2025, 5, 6),
        IssueKind.MASS_GATHERING,
        "Tập trung đông người liên quan đến dự án thủy điện tại huyện Tương Dương",
    ),
]


def _nghe_an(rng: random.Random, today: dt.date) -> None:
    nghe_an = Unit.objects.get(code="NA-BNCTU")
    for department, detected_on, own, field, title in NGHE_AN_CASES:
        _case(
            nghe_an,
            title,
            department=Unit.objects.get(code=department),
            kind=CaseKind.CRIMINAL_CASE,
            field=field,
            detected_on=detected_on,
            detection=Detection.SELF if own else Detection.PETITION,
            public_concern=True,
            monitoring=MonitoringLevel.PROVINCIAL_STEERING,
            events=_progress(rng, detected_on, today),
            documents=["06-KH/BNCTU"],
        )
    _case(
        nghe_an,
        "Vụ việc có dấu hiệu tham nhũng trong cơ quan bảo vệ pháp luật cấp huyện",
        department=Unit.objects.get(code="NA-P2"),
        kind=CaseKind.MATTER,
        field=CaseField.OTHER,
        detected_on=D(2025, 8, 11),
        detection=Detection.PETITION,
        confidentiality=Confidentiality.CONFIDENTIAL,
        summary="Hồ sơ mật: chỉ lãnh đạo ban được xem.",
    )
    for department, advised_on, kind, title in NGHE_AN_ISSUES:
        people = rng.choice([60, 150, 300])
        if SecurityIssue.objects.filter(unit=nghe_an, title=title).exists():
            continue
        _create(
            SecurityIssue(
                unit=nghe_an,
                department=Unit.objects.get(code=department),
                title=title,
                kind=kind,
                location="Tỉnh Nghệ An",
                people_count=people,
                started_on=advised_on - dt.timedelta(days=7),
                advised_on=advised_on,
                status=IssueStatus.STABILISED,
            )
        )


def _quang_binh_districts() -> None:
    for code, detected_on, title in [
        (
            "QB-BT",
            D(2024, 3, 12),
            "Sai phạm trong bồi thường, giải phóng mặt bằng dự án đường cao tốc Bắc - Nam",
        ),
        ("QB-QN", D(2024, 7, 25), "Tham ô tiền hỗ trợ người có công tại Ủy ban nhân dân xã"),
    ]:
        _case(
            Unit.objects.get(code=code),
            title,
            kind=CaseKind.MATTER,
            field=CaseField.LAND if "đất" in title or "mặt bằng" in title else CaseField.OTHER,
            detected_on=detected_on,
            detection=Detection.SELF,
        )


def _current(today: dt.date) -> None:
    """The current year's cases of the cluster's committees open on the load day: detected in
    the months before it, moving through their first stages (seeded by the year, so a load
    later in the same year finds them)."""
    rng = random.Random(f"cases/{today.year}")
    start = max(D(today.year, 1, 1), today - dt.timedelta(days=330))
    end = today - dt.timedelta(days=20)
    for code in CLUSTER_MIDTERM:
        unit = Unit.objects.filter(code=f"{code}-BNCTU").first()
        if unit is None or (unit.valid_to is not None and unit.valid_to < today):
            continue
        _province_cases(rng, unit, 2, start, max(start, end), f"HT{today.year}", today)


STALLED_IDLE = 3  # running cases left without news on the load day (besides the suspended)


def _keep_moving(today: dt.date) -> None:
    """Running cases have recent news: each case that would be stalled on the load day for want
    of an event gets a progress update at its stage in the weeks before (through the service,
    audited), except a handful left really stalled, with the reason the registry gives (no news
    for months, or a suspension awaiting an assessment or guidance). A second load on the same
    day finds nothing to update."""
    from noichinh.cases import services
    from noichinh.cases.rules import stalled_q

    stalled = Case.objects.filter(stalled_q(today)).exclude(stage=Stage.CLOSED)
    idle = sorted(stalled.filter(suspended_since__isnull=True), key=lambda c: (c.title, c.pk))
    rng = random.Random(f"stalled/{today.isoformat()}")
    kept = set(rng.sample(range(len(idle)), min(STALLED_IDLE, len(idle))))
    for index, case in enumerate(idle):
        if index in kept:
            continue
        days = random.Random(f"{today.isoformat()}/{case.title}").randint(3, 45)
        services.case_record_event(
            user=SYSTEM,
            case=case,
            occurred_on=max(today - dt.timedelta(days=days), case.last_event_on or today),
            stage=case.stage,
            description="Cập nhật tiến độ theo báo cáo của cơ quan tiến hành tố tụng.",
        )
        _Counter.new += 1


def load(out: Any, today: dt.date | None = None) -> None:
    _Counter.new = 0
    today = today or timezone.localdate()
    rng = random.Random(2023)
    _central()
    _cluster(rng, today)
    _nghe_an(rng, today)
    _quang_binh_districts()
    _current(today)
    _keep_moving(today)
    out.write(
        f"cases: {Case.objects.count()} cases and matters, {CaseEvent.objects.count()} events, "
        f"{CaseSuspension.objects.count()} suspensions, {SecurityIssue.objects.count()} "
        f"security issues ({_Counter.new} new records)"
    )
