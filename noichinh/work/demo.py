"""Demo meetings and tasks, reproducing the source reports of ../shared/domain.md:

- (2) the central commission's six-month review, morning of 13/7/2023 (report by the Permanent
  Deputy Head, conclusion by the Head): first-half results, the three major projects it names
  (of five), and the five key tasks of the second half;
- (5) the national online briefing of Q1/2023, morning of 31/3/2023, with the provincial
  steering committees (the Bắc Kạn point among them): limitations and conclusions; the late
  2023 work programmes of Quảng Bình and Kon Tum illustrate the first limitation;
- (4) Quảng Bình's nine-month 2024 briefing of 11/10/2024, chaired by the Deputy Head, with its
  8 district working groups (8/8), limitations and six key tasks; it cites guidance 01-HD/BNCTU
  as of 9/5/2023 and 29/5/2023, which the registry flags.

On the load day (`today`), the tasks the source reports left open are completed on their days
(through `services.task_complete`; Nghệ An's monthly report series runs to that day), and the
units open that day have current tasks due around it: a few overdue, a few due within the week,
some later and some done.

Idempotent: each record is looked up by its natural key first and created only if missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from noichinh.core.handover import ever_held_by_q
from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create
from noichinh.documents.models import Document
from noichinh.documents.services import document_for_code
from noichinh.units.models import Unit

from .choices import MeetingKind, MeetingPeriod, Recurrence, TaskStatus
from .models import Conclusion, Meeting, Milestone, Project, Task, WorkProgramme

D = dt.date
QB_DISTRICTS = ["QB-DH", "QB-BD", "QB-MH", "QB-TH", "QB-QT", "QB-BT", "QB-QN", "QB-LT"]


class _Counter:
    new = 0


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _documents(codes: Iterable[str], unit: Unit) -> list[Document]:
    """The documents the unit means by these codes (its own, else the nearest above)."""
    found = [document_for_code(code, unit) for code in codes]
    return [d for d in found if d is not None]


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
        "materials": _documents(materials, owner),
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
    # a second load finds the task wherever the reorganisation's hand-over put it
    found = Task.objects.filter(ever_held_by_q(Task, owner), title=title).first()
    if found is not None:
        return found
    task = Task(unit=owner, title=title, progress=progress, **fields)
    if completed_on is not None:
        task.status, task.completed_on, task.progress = TaskStatus.DONE, completed_on, 100
    m2m = {
        "co_units": list(Unit.objects.filter(code__in=list(co_units))),
        "documents": _documents(documents, owner),
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


SIX_MONTH_PROJECTS = [
    "Cơ chế bảo vệ các cơ quan, tổ chức, cá nhân thực thi công vụ trong hoạt động điều tra, "
    "truy tố, xét xử, thi hành án",
    "Nghiên cứu, đề xuất mô hình cơ quan, đơn vị chuyên trách chống tham nhũng, tiêu cực",
    "Giải pháp chỉ đạo chấn chỉnh, khắc phục những biểu hiện đùn đẩy, né tránh, làm việc cầm "
    "chừng, sợ sai, không dám làm ...",
]
MILESTONES = [
    ("Xây dựng đề cương chi tiết", D(2023, 3, 31)),
    ("Hoàn thành dự thảo, lấy ý kiến các cơ quan", D(2023, 9, 30)),
    ("Trình cấp có thẩm quyền", D(2023, 12, 31)),
]


def _projects() -> None:
    """The major projects of 2023 that the six-month review names (three of its five)."""
    root = _unit("BNCTW")
    for index, title in enumerate(SIX_MONTH_PROJECTS):
        project = Project.objects.filter(unit=root, title=title).first() or _create(
            Project(unit=root, title=title, year=2023, due_on=D(2023, 12, 31))
        )
        for step, (name, due) in enumerate(MILESTONES):
            if Milestone.objects.filter(project=project, title=name).exists():
                continue
            done = due - dt.timedelta(days=3) if step == 0 or (step == 1 and index == 0) else None
            _create(Milestone(unit=root, project=project, title=name, due_on=due, done_on=done))


CENTRAL_REVIEW_RESULTS = (
    "6 tháng đầu năm 2023, Ban Nội chính Trung ương:\n"
    "- Tham mưu chuẩn bị nội dung Phiên họp thứ 23 của Ban Chỉ đạo Trung ương về phòng, chống "
    "tham nhũng, tiêu cực và 01 cuộc họp Thường trực Ban Chỉ đạo.\n"
    "- Tham mưu sơ kết 01 năm hoạt động của Ban Chỉ đạo cấp tỉnh về phòng, chống tham nhũng, "
    "tiêu cực.\n"
    "- Trình dự thảo Quy định của Bộ Chính trị về kiểm soát quyền lực trong công tác điều tra, "
    "truy tố, xét xử, thi hành án.\n"
    "- Triển khai 05 đề án lớn, trong đó có các đề án: “" + "”; “".join(SIX_MONTH_PROJECTS) + "”.\n"
    "- Xuất bản cuốn sách của đồng chí Tổng Bí thư về phòng, chống tham nhũng, tiêu cực.\n"
    "- Theo dõi, đôn đốc xử lý các vụ án Việt Á, Học viện Quân y, Vạn Thịnh Phát và các vụ án "
    "liên quan đến đăng kiểm."
)


def _central_review() -> None:
    meeting = _meeting(
        "BNCTW",
        "Hội nghị sơ kết công tác 6 tháng đầu năm 2023 của Ban Nội chính Trung ương",
        D(2023, 7, 13),
        kind=MeetingKind.REVIEW,
        period=MeetingPeriod.SIX_MONTHS,
        place="Hà Nội",
        chair="Trưởng Ban Nội chính Trung ương",
        agenda="Sáng 13/7/2023.\n"
        "1. Phó Trưởng Ban Thường trực Ban Nội chính Trung ương trình bày báo cáo sơ kết công "
        "tác 6 tháng đầu năm, nhiệm vụ trọng tâm 6 tháng cuối năm 2023.\n"
        "2. Thảo luận.\n"
        "3. Trưởng Ban Nội chính Trung ương phát biểu kết luận.",
        results=CENTRAL_REVIEW_RESULTS,
        materials=["15-KH/BNCTW", "67-QĐ/TW"],
    )
    second_half = [
        "Chuẩn bị nội dung Phiên họp thứ 24 của Ban Chỉ đạo Trung ương về phòng, chống tham "
        "nhũng, tiêu cực.",
        "Hoàn thiện Quy định của Bộ Chính trị về kiểm soát quyền lực trong công tác điều tra, "
        "truy tố, xét xử, thi hành án.",
        "Đẩy nhanh tiến độ 02 đề án.",
        "Theo dõi, đôn đốc các vụ án, vụ việc thuộc diện Ban Chỉ đạo Trung ương theo dõi, chỉ "
        "đạo, các vụ án tách giai đoạn II, các kiến nghị của Ban Chỉ đạo cấp tỉnh và các vụ "
        "án, vụ việc cấp độ 3.",
        "Theo dõi, tham mưu xử lý các vụ việc tập trung đông người.",
    ]
    items = _conclusions(meeting, second_half)
    first_half = [
        (
            "Chuẩn bị nội dung Phiên họp thứ 23 của Ban Chỉ đạo Trung ương về phòng, chống tham "
            "nhũng, tiêu cực",
            D(2023, 6, 30),
        ),
        (
            "Trình dự thảo Quy định của Bộ Chính trị về kiểm soát quyền lực trong công tác điều "
            "tra, truy tố, xét xử, thi hành án",
            D(2023, 6, 30),
        ),
    ]
    for title, due in first_half:
        _task(
            "BNCTW",
            title,
            due_on=due,
            completed_on=due - dt.timedelta(days=4),
            documents=["15-KH/BNCTW"],
        )
    for number, (text, item) in enumerate(zip(second_half, items, strict=True), start=1):
        _task(
            "BNCTW",
            text.rstrip("."),
            number=number,
            meeting=meeting,
            conclusion=item,
            due_on=D(2023, 12, 15) if number == 1 else D(2023, 12, 31),
            progress=60 if number == 1 else 0,
        )


def _national_briefing() -> None:
    meeting = _meeting(
        "BNCTW",
        "Hội nghị giao ban trực tuyến toàn quốc quý I/2023 với các Ban Chỉ đạo cấp tỉnh về "
        "phòng, chống tham nhũng, tiêu cực",
        D(2023, 3, 31),
        kind=MeetingKind.BRIEFING,
        period=MeetingPeriod.QUARTER,
        place="Hà Nội (điểm cầu Trung ương) và các điểm cầu Ban Chỉ đạo cấp tỉnh (như điểm cầu "
        "Bắc Kạn)",
        online=True,
        connected_locations=63,
        chair="Trưởng Ban Nội chính Trung ương",
        agenda="Sáng 31/3/2023, giao ban trực tuyến với các Ban Chỉ đạo cấp tỉnh về phòng, "
        "chống tham nhũng, tiêu cực tại các điểm cầu (như điểm cầu Bắc Kạn).",
        results="Thực hiện Quy định số 67-QĐ/TW ngày 02/6/2022 của Bộ Chính trị, các tỉnh, "
        "thành phố đều đã thành lập Ban Chỉ đạo cấp tỉnh về phòng, chống tham nhũng, tiêu cực.",
        limitations="- Một số Ban Chỉ đạo cấp tỉnh ban hành chương trình công tác năm 2023 "
        "chậm.\n- Việc chỉ đạo xử lý các vụ án, vụ việc còn chậm.",
        materials=["67-QĐ/TW"],
    )
    _conclusions(
        meeting,
        [
            "Xây dựng Ban Chỉ đạo cấp tỉnh thực sự mạnh, đoàn kết, thống nhất.",
            "Các thành viên Ban Chỉ đạo phải công tâm, khách quan; thay thế những thành viên là "
            "mắt xích yếu.",
            "Tập trung tháo gỡ những điểm nghẽn trong phát hiện, xử lý các vụ án, vụ việc tham "
            "nhũng, tiêu cực.",
        ],
    )
    # Whose programme was late (the deadline and the days are the demo's, not the source's).
    _programme("NA-BNCTU", 2023, D(2023, 1, 31), D(2023, 1, 16), "Ban Chỉ đạo tỉnh Nghệ An")
    _programme("QB-BNCTU", 2023, D(2023, 1, 31), D(2023, 2, 20), "Ban Chỉ đạo tỉnh Quảng Bình")
    _programme("KT-BNCTU", 2023, D(2023, 1, 31), D(2023, 3, 3), "Ban Chỉ đạo tỉnh Kon Tum")
    for code in ("QB-BNCTU", "KT-BNCTU"):
        _task(
            code,
            "Rút kinh nghiệm việc ban hành chậm chương trình công tác năm 2023",
            meeting=meeting,
            due_on=D(2023, 4, 30),
            completed_on=D(2023, 4, 25),
        )
    programme = WorkProgramme.objects.get(unit__code="NA-BNCTU", year=2023)
    for month, title, documents in [
        (3, "Triển khai Kế hoạch số 06-KH/BNCTU về phong trào thi đua chuyên đề", ["06-KH/BNCTU"]),
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
    )


QB_RESULTS = (
    "Kết quả 9 tháng đầu năm 2024 của 8 Tổ công tác: ban hành 72 văn bản chỉ đạo; phát hiện "
    "02 vụ việc tham nhũng; cơ quan tư pháp cấp huyện thụ lý 8.651 vụ việc các loại, giải "
    "quyết 7.187 (83 %); tiếp nhận, xử lý 1.703 tin báo, tố giác tội phạm; kiểm tra, giám sát "
    "75 tổ chức đảng và 122 đảng viên."
)
QB_LIMITATIONS = (
    "- Thành viên Tổ công tác hoạt động kiêm nhiệm.\n"
    "- Công tác phối hợp giữa các cơ quan tư pháp có lúc chưa kịp thời.\n"
    "- Tỷ lệ thi hành án dân sự về tiền ở một số đơn vị còn thấp.\n"
    "- Tai nạn giao thông tăng 2 tiêu chí (số vụ, số người bị thương) so với cùng kỳ năm 2023.\n"
    "- Nhiều đơn thư giải quyết còn chậm."
)
QB_KEY_TASKS: list[tuple[str, list[str]]] = [
    (
        "Lãnh đạo, chỉ đạo thực hiện tốt công tác nội chính, phòng, chống tham nhũng, tiêu cực "
        "và quốc phòng địa phương; không để xảy ra điểm nóng, nhất là trong các dịp lễ, Tết",
        [],
    ),
    (
        "Nâng cao chất lượng giải quyết các vụ án, vụ việc: 100 % bản án được ban hành sớm hơn "
        "thời hạn quy định; giảm số hồ sơ trả điều tra bổ sung; tổ chức thi hành các bản án",
        [],
    ),
    (
        "Thực hiện Chỉ thị số 19-CT/TU ngày 26/5/2021 của Ban Thường vụ Tỉnh ủy về công tác thi "
        "hành án hành chính và Công văn số 6615-V/TU ngày 28/8/2023 của Ban Thường vụ Tỉnh ủy "
        "về giảm số vụ án hành chính",
        ["19-CT/TU", "6615-V/TU"],
    ),
    ("Theo dõi, nắm chắc các vụ việc có nguy cơ phát sinh tập trung đông người", []),
    ("Thực hiện tốt công tác bảo đảm trật tự, an toàn giao thông", []),
    (
        "Duy trì chế độ giao ban, báo cáo theo Hướng dẫn số 01-HD/BNCTU ngày 29/5/2023 của Ban "
        "Nội chính Tỉnh ủy",
        ["01-HD/BNCTU"],
    ),
]


def _quang_binh_briefing() -> None:
    meeting = _meeting(
        "QB-BNCTU",
        "Hội nghị giao ban công tác nội chính 9 tháng đầu năm 2024 với các Tổ công tác huyện",
        D(2024, 10, 11),
        kind=MeetingKind.BRIEFING,
        period=MeetingPeriod.NINE_MONTHS,
        place="Đồng Hới",
        chair="Phó Trưởng Ban Nội chính Tỉnh ủy Quảng Bình",
        expected_units=8,
        attending=QB_DISTRICTS,
        # The source cites the guidance as of 9/5/2023 here and 29/5/2023 in task (6): the
        # registry flags the conflict on both pages.
        agenda="Giao ban 9 tháng đầu năm 2024 theo Hướng dẫn số 01-HD/BNCTU ngày 9/5/2023 của "
        "Ban Nội chính Tỉnh ủy; 8/8 Tổ công tác huyện, thị xã, thành phố dự.",
        results=QB_RESULTS,
        limitations=QB_LIMITATIONS,
    )
    items = _conclusions(meeting, [f"{title}." for title, _docs in QB_KEY_TASKS])
    for number, ((title, documents), item) in enumerate(
        zip(QB_KEY_TASKS, items, strict=True), start=1
    ):
        _task(
            "QB-BNCTU",
            title,
            number=number,
            meeting=meeting,
            conclusion=item,
            due_on=D(2024, 12, 31) if number != 6 else D(2024, 12, 15),
            co_units=QB_DISTRICTS,
            documents=documents,
            progress=50 if number <= 3 else 0,
        )


# The history's open tasks, as they ended: (title start, completed so many days from the due
# date). The 2023-2024 tasks were done long before any load day; one was done late.
HISTORY_DONE: list[tuple[str, int]] = [
    ("Chuẩn bị nội dung Phiên họp thứ 24", -5),
    ("Hoàn thiện Quy định của Bộ Chính trị", -3),
    ("Đẩy nhanh tiến độ 02 đề án", 18),
    ("Theo dõi, đôn đốc các vụ án, vụ việc thuộc diện", -1),
    ("Theo dõi, tham mưu xử lý các vụ việc tập trung đông người", -2),
    ("Triển khai Kế hoạch số 06-KH/BNCTU", -6),
    ("Sơ kết 6 tháng thực hiện chương trình công tác", -1),
    ("Hướng dẫn các phòng đăng ký chỉ tiêu thi đua năm 2024", 9),
    *[
        (title[:60], -4 if number != 4 else 12)
        for number, (title, _d) in enumerate(QB_KEY_TASKS, start=1)
    ],
]


def _close_history(today: dt.date) -> None:
    """The 2023-2024 tasks still open in the source reports are completed (through the service,
    audited) on their day, so that no task of 2023 is overdue years later and none of a unit
    closed in 2025 stays open. The monthly report series of Nghệ An runs to the load day: each
    month's report done a few days before its deadline, the current month's still to do."""
    from . import services

    for start, offset in HISTORY_DONE:
        for task in Task.objects.filter(title__startswith=start, status=TaskStatus.OPEN):
            if task.due_on is None or task.due_on + dt.timedelta(days=offset) > today:
                continue
            services.task_complete(
                user=SYSTEM, task=task, completed_on=task.due_on + dt.timedelta(days=offset)
            )
            _Counter.new += 1
    monthly = "Báo cáo kết quả công tác nội chính, phòng, chống tham nhũng, tiêu cực hằng tháng"
    current = Task.objects.filter(title=monthly, status=TaskStatus.OPEN).order_by("due_on").first()
    while current is not None and current.due_on is not None and current.due_on < today:
        following = services.task_complete(
            user=SYSTEM, task=current, completed_on=current.due_on - dt.timedelta(days=3)
        )
        _Counter.new += 2
        current = following if following is not None and not following.done else None


def _quarter(day: dt.date) -> str:
    return ("I", "II", "III", "IV")[(day.month - 1) // 3]


def _current(today: dt.date) -> None:
    """The current work of the units open on the load day: tasks due around it (a few
    overdue, a few due within the week, some later, and some done, on time or late)."""
    period = f"quý {_quarter(today)}/{today.year}"
    month = f"tháng {today.month}/{today.year}"
    # (unit, title, deadline from today, completed from today or None, progress, co-units)
    work: list[tuple[str, str, int, int | None, int, list[str]]] = [
        (
            "BNCTW",
            "Chuẩn bị nội dung phiên họp Ban Chỉ đạo Trung ương về phòng, chống tham nhũng, "
            f"tiêu cực {period}",
            4,
            None,
            70,
            [],
        ),
        (
            "BNCTW",
            f"Tổng hợp báo cáo kết quả công tác phòng, chống tham nhũng, tiêu cực {month}",
            2,
            None,
            50,
            [],
        ),
        (
            "BNCTW",
            "Đôn đốc các Ban Chỉ đạo cấp tỉnh báo cáo tiến độ xử lý các vụ án, vụ việc thuộc "
            f"diện theo dõi, chỉ đạo ({period})",
            -9,
            None,
            40,
            ["QT-BNCTU", "NA-BNCTU", "DNG-BNCTU"],
        ),
        (
            "BNCTW",
            "Hoàn thiện đề án mô hình cơ quan chuyên trách chống tham nhũng, tiêu cực "
            f"({today.year})",
            45,
            None,
            30,
            [],
        ),
        (
            "BNCTW",
            f"Hướng dẫn các Ban Nội chính tỉnh ủy, thành ủy báo cáo số liệu {period}",
            -35,
            -38,
            100,
            [],
        ),
        (
            "NA-BNCTU",
            "Tham mưu Ban Thường vụ Tỉnh ủy chỉ đạo giải quyết dứt điểm các vụ khiếu kiện đông "
            f"người về bồi thường, giải phóng mặt bằng ({period})",
            -16,
            None,
            60,
            ["NA-P1", "NA-P3"],
        ),
        (
            "NA-BNCTU",
            f"Báo cáo kết quả công tác nội chính {period} gửi Ban Nội chính Trung ương",
            3,
            None,
            80,
            ["NA-P1", "NA-P2", "NA-P3"],
        ),
        (
            "NA-BNCTU",
            f"Kiểm tra việc thực hiện kết luận giao ban {month} tại các phòng",
            -50,
            -44,
            100,
            ["NA-P2"],
        ),
        (
            "QT-BNCTU",
            "Theo dõi, đôn đốc thi hành án dân sự về tiền trên địa bàn tỉnh sau hợp nhất "
            f"({period})",
            -6,
            None,
            50,
            [],
        ),
        (
            "QT-BNCTU",
            f"Chuẩn bị hội nghị giao ban công tác nội chính {period}",
            5,
            None,
            40,
            [],
        ),
        (
            "QT-BNCTU",
            f"Rà soát hồ sơ vụ án, vụ việc, đơn thư tiếp nhận sau hợp nhất ({period})",
            -20,
            -24,
            100,
            [],
        ),
        (
            "DNG-BNCTU",
            f"Tham mưu xử lý các vụ việc phức tạp về an ninh, trật tự {period}",
            12,
            None,
            30,
            [],
        ),
    ]
    open_units = set(Unit.objects.active_on(today).values_list("code", flat=True))
    for code, title, due_in, done_in, progress, co_units in work:
        if code not in open_units:
            continue
        _task(
            code,
            title,
            due_on=today + dt.timedelta(days=due_in),
            completed_on=today + dt.timedelta(days=done_in) if done_in is not None else None,
            progress=progress,
            co_units=[c for c in co_units if c in open_units],
        )


def load(out: Any, today: dt.date | None = None) -> None:
    _Counter.new = 0
    today = today or timezone.localdate()
    _central_review()
    _national_briefing()
    _quang_binh_briefing()
    _projects()
    _close_history(today)
    _current(today)
    out.write(
        f"work: {Meeting.objects.count()} meetings, {Task.objects.count()} tasks, "
        f"{Project.objects.count()} projects ({_Counter.new} new records)"
    )
