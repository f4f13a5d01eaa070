"""Demo meetings and tasks, from the domain's stories:

- the central commission's six-month review (July 2023), its conclusions and tasks, among them
  preparing sessions 23 and 24 of the Central Steering Committee;
- the national online briefing of Q1/2023 (63 connected locations), which noted that some
  provincial committees issued their 2023 work programme after the 31/1/2023 deadline: Nghệ An
  on time, Quảng Bình and Kon Tum late;
- Quảng Bình's nine-month 2024 briefing with its 8 district working groups (8/8) and six key
  tasks;
- the central commission's five major projects of 2023, with milestones.

Idempotent: each record is looked up by its natural key first and created only if missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create
from noichinh.documents.models import Document
from noichinh.units.models import Unit

from .choices import MeetingKind, MeetingPeriod, Recurrence, TaskStatus
from .models import Conclusion, Meeting, Milestone, Project, Task, WorkProgramme

D = dt.date
QB_DISTRICTS = ["QB-DH", "QB-BD", "QB-MH", "QB-TH", "QB-QT", "QB-BT", "QB-QN", "QB-LT"]


class _Counter:
    new = 0


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _documents(codes: Iterable[str]) -> list[Document]:
    return list(Document.objects.filter(code__in=list(codes)))


def _create(instance: Any, m2m: dict[str, Any] | None = None) -> Any:
    _Counter.new += 1
    return object_create(user=SYSTEM, instance=instance, m2m=m2m)


def _meeting(
    unit: str,
    title: str,
    held_on: dt.date,
    *,
    attending: Iterable[str] = (),
    materials: Iterable[str] = (),
    **fields: Any,
) -> Meeting:
    owner = _unit(unit)
    found = Meeting.objects.filter(unit=owner, title=title, held_on=held_on).first()
    if found is not None:
        return found
    m2m = {
        "attending_units": list(Unit.objects.filter(code__in=list(attending))),
        "materials": _documents(materials),
    }
    return _create(Meeting(unit=owner, title=title, held_on=held_on, **fields), m2m)


def _conclusions(meeting: Meeting, texts: list[str]) -> list[Conclusion]:
    result = []
    for number, text in enumerate(texts, start=1):
        found = Conclusion.objects.filter(meeting=meeting, number=number).first()
        result.append(
            found
            or _create(Conclusion(unit=meeting.unit, meeting=meeting, number=number, text=text))
        )
    return result


def _task(
    unit: str,
    title: str,
    *,
    co_units: Iterable[str] = (),
    documents: Iterable[str] = (),
    completed_on: dt.date | None = None,
    progress: int = 0,
    **fields: Any,
) -> Task:
    owner = _unit(unit)
    found = Task.objects.filter(unit=owner, title=title).first()
    if found is not None:
        return found
    task = Task(unit=owner, title=title, progress=progress, **fields)
    if completed_on is not None:
        task.status, task.completed_on, task.progress = TaskStatus.DONE, completed_on, 100
    m2m = {
        "co_units": list(Unit.objects.filter(code__in=list(co_units))),
        "documents": _documents(documents),
    }
    return _create(task, m2m)


def _programme(
    unit: str, year: int, due_on: dt.date, issued_on: dt.date | None, name: str
) -> WorkProgramme:
    owner = _unit(unit)
    found = WorkProgramme.objects.filter(unit=owner, year=year).first()
    if found is not None:
        return found
    title = f"Chương trình công tác năm {year} của {name}"
    return _create(
        WorkProgramme(unit=owner, year=year, title=title, due_on=due_on, issued_on=issued_on)
    )


def _central_review() -> None:
    meeting = _meeting(
        "BNCTW",
        "Hội nghị sơ kết công tác 6 tháng đầu năm 2023 của Ban Nội chính Trung ương",
        D(2023, 7, 14),
        kind=MeetingKind.REVIEW,
        period=MeetingPeriod.SIX_MONTHS,
        place="Hà Nội",
        chair="Trưởng Ban Nội chính Trung ương",
        agenda="1. Báo cáo sơ kết công tác 6 tháng đầu năm 2023.\n"
        "2. Tiến độ các đề án lớn năm 2023.\n3. Nhiệm vụ trọng tâm 6 tháng cuối năm.",
        materials=["15-KH/BNCTW", "67-QĐ/TW"],
    )
    items = _conclusions(
        meeting,
        [
            "Chuẩn bị chu đáo nội dung Phiên họp thứ 24 của Ban Chỉ đạo Trung ương về phòng, "
            "chống tham nhũng, tiêu cực.",
            "Đẩy nhanh tiến độ 05 đề án lớn năm 2023, bảo đảm chất lượng, đúng thời hạn.",
            "Tăng cường theo dõi, đôn đốc việc thực hiện Quy định số 67-QĐ/TW về Ban Chỉ đạo "
            "cấp tỉnh.",
        ],
    )
    _task(
        "BNCTW",
        "Chuẩn bị nội dung Phiên họp thứ 23 của Ban Chỉ đạo Trung ương về phòng, chống tham "
        "nhũng, tiêu cực",
        number=1,
        due_on=D(2023, 6, 30),
        completed_on=D(2023, 6, 26),
        documents=["15-KH/BNCTW"],
    )
    _task(
        "BNCTW",
        "Chuẩn bị nội dung Phiên họp thứ 24 của Ban Chỉ đạo Trung ương về phòng, chống tham "
        "nhũng, tiêu cực",
        number=2,
        meeting=meeting,
        conclusion=items[0],
        due_on=D(2023, 12, 15),
        progress=60,
    )
    _task(
        "BNCTW",
        "Đôn đốc, tổng hợp tiến độ 05 đề án lớn năm 2023",
        number=3,
        meeting=meeting,
        conclusion=items[1],
        due_on=D(2023, 9, 30),
        recurrence=Recurrence.QUARTERLY,
        series_start=D(2023, 9, 30),
    )
    _task(
        "BNCTW",
        "Theo dõi việc thực hiện Quy định số 67-QĐ/TW tại các Ban Chỉ đạo cấp tỉnh",
        number=4,
        meeting=meeting,
        conclusion=items[2],
        due_on=D(2023, 12, 31),
        documents=["67-QĐ/TW"],
        co_units=["NA-BNCTU", "QB-BNCTU", "KT-BNCTU"],
    )


def _national_briefing() -> None:
    meeting = _meeting(
        "BNCTW",
        "Hội nghị giao ban trực tuyến toàn quốc công tác nội chính quý I/2023",
        D(2023, 4, 12),
        kind=MeetingKind.BRIEFING,
        period=MeetingPeriod.QUARTER,
        place="Hà Nội (điểm cầu chính)",
        online=True,
        connected_locations=63,
        chair="Trưởng Ban Nội chính Trung ương",
        materials=["67-QĐ/TW"],
    )
    items = _conclusions(
        meeting,
        [
            "Một số Ban Chỉ đạo cấp tỉnh ban hành chương trình công tác năm 2023 chậm so với "
            "yêu cầu (hạn 31/01/2023); đề nghị rút kinh nghiệm, khắc phục ngay.",
            "Tiếp tục quán triệt, thực hiện Quy định số 67-QĐ/TW ngày 02/6/2022.",
        ],
    )
    _programme("NA-BNCTU", 2023, D(2023, 1, 31), D(2023, 1, 16), "Ban Chỉ đạo tỉnh Nghệ An")
    _programme("QB-BNCTU", 2023, D(2023, 1, 31), D(2023, 2, 20), "Ban Chỉ đạo tỉnh Quảng Bình")
    _programme("KT-BNCTU", 2023, D(2023, 1, 31), D(2023, 3, 3), "Ban Chỉ đạo tỉnh Kon Tum")
    for code in ("QB-BNCTU", "KT-BNCTU"):
        _task(
            code,
            "Rút kinh nghiệm việc ban hành chậm chương trình công tác năm 2023",
            meeting=meeting,
            conclusion=items[0],
            due_on=D(2023, 4, 30),
            completed_on=D(2023, 4, 25),
        )
    programme = WorkProgramme.objects.get(unit__code="NA-BNCTU", year=2023)
    for month, title, documents in [
        (3, "Triển khai Chỉ thị số 19-CT/TU của Tỉnh ủy", ["19-CT/TU"]),
        (6, "Sơ kết 6 tháng thực hiện chương trình công tác", []),
        (11, "Hướng dẫn các phòng đăng ký chỉ tiêu thi đua năm 2024", ["01-HD/BNCTU"]),
    ]:
        _task(
            "NA-BNCTU",
            title,
            programme=programme,
            due_month=month,
            documents=documents,
            co_units=["NA-P1", "NA-P2", "NA-P3"],
        )
    _task(
        "NA-BNCTU",
        "Báo cáo kết quả công tác nội chính, phòng, chống tham nhũng, tiêu cực hằng tháng",
        due_on=D(2024, 10, 31),
        recurrence=Recurrence.MONTHLY,
        series_start=D(2024, 1, 31),
        documents=["6615-V/TU"],
    )


def _quang_binh_briefing() -> None:
    meeting = _meeting(
        "QB-BNCTU",
        "Hội nghị giao ban công tác nội chính 9 tháng đầu năm 2024 với các Tổ công tác huyện",
        D(2024, 10, 10),
        kind=MeetingKind.BRIEFING,
        period=MeetingPeriod.NINE_MONTHS,
        place="Đồng Hới",
        chair="Trưởng Ban Nội chính Tỉnh ủy Quảng Bình",
        expected_units=8,
        attending=QB_DISTRICTS,
        agenda="Kết quả 9 tháng đầu năm 2024: ban hành 72 văn bản chỉ đạo; phát hiện 2 vụ việc "
        "tham nhũng; cơ quan tư pháp cấp huyện thụ lý 8.651 vụ việc, giải quyết 7.187 (83 %); "
        "tiếp nhận, xử lý 1.703 tin báo, tố giác tội phạm; kiểm tra, giám sát 75 tổ chức đảng "
        "và 122 đảng viên.",
    )
    tasks = [
        "Tiếp tục tham mưu cấp ủy lãnh đạo, chỉ đạo công tác phòng, chống tham nhũng, tiêu cực",
        "Theo dõi, đôn đốc xử lý các vụ án, vụ việc tham nhũng, tiêu cực được dư luận quan tâm",
        "Nắm tình hình, tham mưu xử lý các vấn đề phức tạp, nổi cộm về an ninh, trật tự",
        "Nâng cao chất lượng tiếp công dân, xử lý đơn thư khiếu nại, tố cáo",
        "Phối hợp thực hiện công tác cải cách tư pháp ở cấp huyện",
        "Chuẩn bị báo cáo tổng kết công tác nội chính năm 2024",
    ]
    items = _conclusions(meeting, tasks)
    for number, (title, item) in enumerate(zip(tasks, items, strict=True), start=1):
        _task(
            "QB-BNCTU",
            title,
            number=number,
            meeting=meeting,
            conclusion=item,
            due_on=D(2024, 12, 31) if number != 6 else D(2024, 12, 15),
            co_units=QB_DISTRICTS,
            progress=50 if number <= 3 else 0,
        )


PROJECTS = [
    "Đề án xây dựng mô hình cơ quan chuyên trách về phòng, chống tham nhũng",
    "Đề án xây dựng Quy định về kiểm soát quyền lực trong công tác điều tra, truy tố, xét xử, "
    "thi hành án",
    "Đề án nâng cao hiệu quả thu hồi tài sản bị chiếm đoạt, thất thoát trong các vụ án tham "
    "nhũng, kinh tế",
    "Đề án hoàn thiện cơ chế phòng ngừa tiêu cực trong cán bộ, đảng viên",
    "Đề án tăng cường phối hợp giữa các cơ quan nội chính trong phát hiện, xử lý tham nhũng",
]
MILESTONES = [
    ("Xây dựng đề cương chi tiết", D(2023, 3, 31)),
    ("Hoàn thành dự thảo, lấy ý kiến các cơ quan", D(2023, 9, 30)),
    ("Trình cấp có thẩm quyền", D(2023, 12, 31)),
]


def _projects() -> None:
    root = _unit("BNCTW")
    for index, title in enumerate(PROJECTS):
        project = Project.objects.filter(unit=root, title=title).first() or _create(
            Project(unit=root, title=title, year=2023, due_on=D(2023, 12, 31))
        )
        for step, (name, due) in enumerate(MILESTONES):
            if Milestone.objects.filter(project=project, title=name).exists():
                continue
            done = due - dt.timedelta(days=3) if step == 0 or (step == 1 and index < 3) else None
            _create(Milestone(unit=root, project=project, title=name, due_on=due, done_on=done))


def load(out: Any) -> None:
    _Counter.new = 0
    _central_review()
    _national_briefing()
    _quang_binh_briefing()
    _projects()
    out.write(
        f"work: {Meeting.objects.count()} meetings, {Task.objects.count()} tasks, "
        f"{Project.objects.count()} projects ({_Counter.new} new records)"
    )
