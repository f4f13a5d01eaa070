"""Demo petitions: about 3,000 across the demo provinces, Quảng Bình's district working groups
and Nghệ An's departments, in two layers:

- the history, received from 1/1/2023 to 31/12/2025, fixed whatever the day the demo is loaded
  (the district groups of Quảng Bình resolved many petitions late in the first nine months of
  2024, as their nine-month briefing noted);
- the current flow, received by the units open on the load day (`today`) from 1/1/2026 (at most
  two years back) to that day, so that the current period and its same period last year are
  populated: accepted, resolved on time, some late, a few overdue today, a few due within five
  days and a few awaiting classification (the specialist's queue).

Land-compensation complaints dominate; denunciations carry protected identities.

Deterministic for a given load day (seeded random: the history's draws never depend on the
day, the current flow's seed is the day) and idempotent: each petition has a register number
`<unit code>/<year>/<n>`; existing numbers are skipped, so a second run creates nothing. The
generated bulk is written with bulk_create (one audit entry per batch, naming the batch); a few
story petitions go through the services and carry their full history."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from noichinh.core.audit import audit_record
from noichinh.core.models import AuditAction
from noichinh.core.scoping import SYSTEM
from noichinh.core.text import fold
from noichinh.units.models import Unit

from . import aggregates, services
from .choices import (
    OUTCOMES_BY_KIND,
    Channel,
    ComplaintRound,
    Complexity,
    FollowUp,
    PetitionField,
    PetitionKind,
    PetitionStatus,
)
from .crypto import blind_index
from .models import Petition, PetitionExtension, ReceptionSession
from .resources import PetitionResource

D = dt.date
FIRST_DAY = D(2023, 1, 1)
HISTORY_END = D(2025, 12, 31)  # the last day of the fixed history; the current flow follows
LIVE_YEARS = 2  # the current flow covers at most this many years before the load day
SEED = 20240930
BATCH = 500

PROVINCES = [
    "NA",
    "QB",
    "QT",
    "TTH",
    "DNG",
    "QNA",
    "QNG",
    "BDI",
    "PY",
    "KH",
    "KT",
    "GL",
    "DL",
    "DNO",
]
QB_DISTRICTS = ["QB-DH", "QB-BD", "QB-MH", "QB-TH", "QB-QT", "QB-BT", "QB-QN", "QB-LT"]
NA_DEPARTMENTS = ["NA-VP", "NA-P1", "NA-P2", "NA-P3"]
# Petitions per unit over the history (2023-2025); the current flow keeps a third a year.
VOLUME = {
    **{f"{c}-BNCTU": 110 for c in PROVINCES},
    "NA-BNCTU": 200,
    "QB-BNCTU": 150,
    **{c: 150 for c in QB_DISTRICTS},
    **{c: 60 for c in NA_DEPARTMENTS},
}
LATE_WINDOW = (D(2024, 1, 1), D(2024, 9, 30))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Thanh", "Ngọc", "Quang", "Xuân", "Thu"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quý",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
]
COMMUNES = [
    "Quảng Phú",
    "Hải Thành",
    "Đức Ninh",
    "Lộc Ninh",
    "Nghĩa Ninh",
    "Bảo Ninh",
    "Thanh Trạch",
    "Hoàn Lão",
    "Kiến Giang",
    "Quy Đạt",
    "Đồng Lê",
    "Ba Đồn",
]

SUBJECTS: dict[str, list[str]] = {
    PetitionField.LAND: [
        "Khiếu nại mức bồi thường, hỗ trợ khi Nhà nước thu hồi đất thực hiện dự án {p}",
        "Khiếu nại việc không được bố trí tái định cư khi thu hồi đất dự án {p}",
        "Đề nghị xem xét lại giá đất bồi thường, giải phóng mặt bằng dự án {p}",
        "Khiếu nại quyết định thu hồi đất nông nghiệp để thực hiện dự án {p}",
    ],
    PetitionField.ADMINISTRATION: [
        "Khiếu nại việc chậm cấp giấy chứng nhận quyền sử dụng đất tại xã {c}",
        "Phản ánh thái độ tiếp dân của cán bộ bộ phận một cửa xã {c}",
    ],
    PetitionField.JUSTICE: [
        "Đề nghị xem xét lại bản án dân sự về tranh chấp đất đai tại xã {c}",
        "Phản ánh việc chậm thi hành án dân sự tại huyện",
    ],
    PetitionField.CORRUPTION: [
        "Tố cáo cán bộ địa chính xã {c} nhận tiền khi làm thủ tục đất đai",
        "Tố cáo sai phạm trong quản lý, sử dụng kinh phí xây dựng nông thôn mới xã {c}",
        "Tố cáo việc lập hồ sơ khống để chiếm đoạt tiền hỗ trợ dự án {p}",
    ],
    PetitionField.PARTY: [
        "Tố cáo đảng viên vi phạm quy định những điều đảng viên không được làm tại xã {c}",
        "Phản ánh việc bổ nhiệm cán bộ không đúng quy trình tại xã {c}",
    ],
    PetitionField.OTHER: [
        "Kiến nghị sửa chữa tuyến đường liên thôn xã {c}",
        "Phản ánh ô nhiễm môi trường từ cơ sở sản xuất tại xã {c}",
    ],
}
PROJECTS = [
    "đường ven biển",
    "khu đô thị mới",
    "cao tốc Bắc - Nam",
    "khu công nghiệp",
    "hồ chứa nước",
    "mở rộng quốc lộ 1A",
    "sân bay",
    "khu tái định cư",
]
ACCUSED = [
    "UBND xã {c}",
    "Chủ tịch UBND huyện",
    "Ban Bồi thường, giải phóng mặt bằng",
    "Cán bộ địa chính xã {c}",
    "Văn phòng Đăng ký đất đai",
    "Chi cục Thi hành án dân sự",
]


class _Counter:
    new = 0


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _kind_field(rng: random.Random) -> tuple[str, str]:
    kind = _pick(
        rng,
        {
            PetitionKind.COMPLAINT: 45,
            PetitionKind.DENUNCIATION: 20,
            PetitionKind.RECOMMENDATION: 20,
            PetitionKind.FEEDBACK: 15,
        },
    )
    if kind == PetitionKind.COMPLAINT:
        field = _pick(
            rng,
            {PetitionField.LAND: 70, PetitionField.ADMINISTRATION: 20, PetitionField.JUSTICE: 10},
        )
    elif kind == PetitionKind.DENUNCIATION:
        field = _pick(
            rng, {PetitionField.CORRUPTION: 60, PetitionField.PARTY: 30, PetitionField.LAND: 10}
        )
    else:
        field = _pick(
            rng,
            {
                PetitionField.LAND: 30,
                PetitionField.ADMINISTRATION: 25,
                PetitionField.JUSTICE: 15,
                PetitionField.OTHER: 30,
            },
        )
    return kind, field


def _person(rng: random.Random) -> tuple[str, str, str]:
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    address = f"Thôn {rng.randint(1, 12)}, xã {rng.choice(COMMUNES)}"
    identity = "0" + "".join(str(rng.randint(0, 9)) for _ in range(11))
    return name, address, identity


def _sessions(
    units: dict[str, Unit], today: dt.date
) -> dict[tuple[int, int, int], ReceptionSession]:
    """A citizen reception session per unit on the 15th of each month it was in force, to the
    load day. Each session's draws are seeded by its unit and month, whatever the load day."""
    existing = {(s.unit_id, s.held_on) for s in ReceptionSession.objects.all()}
    new = []
    for unit in units.values():
        day = D(2023, 1, 15)
        while day <= today:
            in_force = unit.valid_from <= day and (unit.valid_to is None or day <= unit.valid_to)
            if in_force and (unit.pk, day) not in existing:
                rng = random.Random(f"{SEED + 1}/{unit.code}/{day.isoformat()}")
                new.append(
                    ReceptionSession(
                        unit=unit,
                        held_on=day,
                        leader=f"Đồng chí {rng.choice(FAMILY)} {rng.choice(MIDDLE)} "
                        f"{rng.choice(GIVEN)}, lãnh đạo {unit.short_name or unit.name}",
                        people=rng.randint(2, 25),
                        place=f"Trụ sở {unit.short_name or unit.name}",
                    )
                )
            day = D(day.year + day.month // 12, day.month % 12 + 1, 15)
    for session in new:
        session.search_text = fold(f"{session.leader} {session.place}")
    ReceptionSession.objects.bulk_create(new, batch_size=BATCH)
    _Counter.new += len(new)
    if new:
        audit_record(
            action=AuditAction.CREATE,
            user=SYSTEM,
            object_type=ReceptionSession._meta.label_lower,
            object_repr=f"Demo: {len(new)} citizen reception sessions",
            message="load_demo (bulk)",
        )
    return {(s.unit_id, s.held_on.year, s.held_on.month): s for s in ReceptionSession.objects.all()}


def _describe(
    unit: Unit,
    reference: str,
    received: dt.date,
    rng: random.Random,
    sessions: dict[tuple[int, int, int], ReceptionSession],
    people: list[tuple[str, str, str]],
) -> Petition:
    """A new petition as received: who wrote, about what, by which channel (all drawn)."""
    kind, field = _kind_field(rng)
    template = rng.choice(SUBJECTS[field])
    commune = rng.choice(COMMUNES)
    subject = template.format(p=rng.choice(PROJECTS), c=commune)
    if kind == PetitionKind.DENUNCIATION and not subject.startswith("Tố cáo"):
        subject = "Tố cáo " + subject[0].lower() + subject[1:]
    # About one petitioner in six writes again about the same matter.
    if people and rng.random() < 0.15:
        name, address, identity = rng.choice(people)
    else:
        name, address, identity = _person(rng)
        people.append((name, address, identity))
    channel = _pick(
        rng,
        {Channel.IN_PERSON: 30, Channel.POST: 35, Channel.FORWARDED: 20, Channel.ONLINE: 15},
    )
    complexity = _pick(
        rng, {Complexity.NORMAL: 80, Complexity.COMPLEX: 15, Complexity.VERY_COMPLEX: 5}
    )
    petition = Petition(
        unit=unit,
        reference=reference,
        received_on=received,
        channel=channel,
        kind=kind,
        complaint_round=(
            (ComplaintRound.SECOND if rng.random() < 0.15 else ComplaintRound.FIRST)
            if kind == PetitionKind.COMPLAINT
            else ""
        ),
        field=field,
        subject=subject,
        summary=f"Công dân trình bày: {subject.lower()}. Đề nghị cơ quan có thẩm quyền "
        "xem xét, giải quyết theo quy định.",
        petitioner_name=name,
        petitioner_address=address,
        petitioner_id_number=identity,
        accused=rng.choice(ACCUSED).format(c=commune),
        complexity=complexity,
        remote_area=unit.code in ("QB-MH", "QB-TH", "KT-BNCTU", "DNO-BNCTU") and rng.random() < 0.5,
    )
    petition.petitioner_key = blind_index(name)
    if channel == Channel.IN_PERSON:
        petition.session = sessions.get((unit.pk, received.year, received.month))
    return petition


def _generate(
    unit: Unit,
    days: list[dt.date],
    rng: random.Random,
    holidays: frozenset[dt.date],
    sessions: dict[tuple[int, int, int], ReceptionSession],
    people: list[tuple[str, str, str]],
    *,
    horizon: dt.date,
    live: bool,
    first_seq: int = 1,
) -> list[tuple[Petition, list[int]]]:
    """The petitions received on `days`, each with its fate drawn in full (the draws never
    depend on the horizon), then seen as it stands on `horizon` (the load day, or the day the
    unit closed): what happened after it has not happened yet."""
    district = unit.code in QB_DISTRICTS
    result = []
    for seq, received in enumerate(days, start=first_seq):
        petition = _describe(
            unit, f"{unit.code}/{received.year}/{seq:04d}", received, rng, sessions, people
        )
        kind, complexity = petition.kind, petition.complexity
        classify_due, _ = services.compute_deadlines(petition, holidays)
        petition.classify_due_on = classify_due
        # The whole fate, drawn in a fixed order.
        classified = received + dt.timedelta(days=rng.randint(1, 12))
        decision = _pick(
            rng, {"accept": 62, "forward": 14, "guide": 10, "reject": 6, "duplicate": 3, "wait": 5}
        )
        forward_to = "Thanh tra tỉnh" if rng.random() < 0.5 else "UBND huyện"
        extend = rng.random() < 0.6
        second_extension = rng.choice([15, 30])
        late = rng.random()
        late_by = rng.randint(3, 60)
        in_time = rng.random()
        answered_after = rng.randint(5, 40)
        stuck = rng.random() < 0.03 and live
        outcome = rng.choice(OUTCOMES_BY_KIND[PetitionKind(kind)])
        follow_up = _pick(rng, {FollowUp.DONE: 70, FollowUp.IN_PROGRESS: 20, FollowUp.NOT_DONE: 10})
        extensions: list[int] = []
        # A few recent petitions await the petitioner's additional documents.
        waiting = decision == "wait" and live and received >= horizon - dt.timedelta(days=45)
        if classified > horizon or waiting:
            result.append((petition, extensions))  # still waiting to be classified
            continue
        if decision == "wait":
            decision = "accept"
        petition.classified_on = classified
        if decision == "forward":
            petition.status = PetitionStatus.FORWARDED
            petition.forwarded_to = forward_to
        elif decision == "guide":
            petition.status = PetitionStatus.GUIDED
            petition.route_note = "Hướng dẫn công dân gửi đơn đến cơ quan có thẩm quyền."
        elif decision == "reject":
            petition.status = PetitionStatus.REJECTED
            petition.route_note = "Đơn không đủ điều kiện thụ lý (đơn nặc danh, không rõ nội dung)."
        elif decision == "duplicate":
            petition.status = PetitionStatus.DUPLICATE
            petition.route_note = "Đơn trùng nội dung đã được xem xét, giải quyết."
        else:
            petition.status = PetitionStatus.ACCEPTED
            petition.accepted_on = classified
            if kind == PetitionKind.DENUNCIATION and complexity != Complexity.NORMAL and extend:
                extensions = [30] if complexity == Complexity.COMPLEX else [30, second_extension]
                # an extension is decided 25 days after the acceptance (then every 20 days)
                last_decision = classified + dt.timedelta(days=25 + 20 * (len(extensions) - 1))
                if last_decision > horizon:
                    extensions = []
            _, resolve_due = services.compute_deadlines(petition, holidays, extensions)
            petition.resolve_due_on = resolve_due
            if resolve_due is None:
                # Recommendations and feedback: no statutory limit; answered within weeks.
                resolved = classified + dt.timedelta(days=answered_after)
            else:
                late_share = 0.12
                if district and LATE_WINDOW[0] <= resolve_due <= LATE_WINDOW[1]:
                    late_share = 0.45
                span = max((resolve_due - classified).days, 1)
                if late < late_share:
                    resolved = resolve_due + dt.timedelta(days=late_by)
                else:
                    shortest = max(span // 3, 1)
                    resolved = classified + dt.timedelta(
                        days=shortest + int(in_time * (span - shortest + 1))
                    )
            if unit.valid_to is not None and resolved > unit.valid_to:
                # a unit that closed settled its open petitions before its last day
                resolved = max(unit.valid_to, classified)
            # a few recent petitions stall past their deadline (overdue on the load day)
            stuck = stuck and received >= horizon - dt.timedelta(days=180)
            if resolved <= horizon and not stuck:
                petition.status = PetitionStatus.RESOLVED
                petition.resolved_on = resolved
                petition.outcome = outcome
                petition.resolution_note = "Đã ban hành quyết định/kết luận giải quyết."
                # The follow-up of a decision is known some months later.
                if resolved <= horizon - dt.timedelta(days=120):
                    petition.follow_up = follow_up
        result.append((petition, extensions))
    return result


def _history_days(unit: Unit, count: int, rng: random.Random) -> list[dt.date]:
    start = max(FIRST_DAY, unit.valid_from)
    end = (unit.valid_to - dt.timedelta(days=60)) if unit.valid_to else HISTORY_END
    end = min(HISTORY_END, end)
    return sorted(_date_between(rng, start, end) for _ in range(count))


def live_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The current flow's first and last day of receipt for a demo loaded on `today`."""
    start = max(HISTORY_END + dt.timedelta(days=1), today - dt.timedelta(days=365 * LIVE_YEARS))
    return start, today


def _live(
    units: dict[str, Unit],
    today: dt.date,
    holidays: frozenset[dt.date],
    sessions: dict[tuple[int, int, int], ReceptionSession],
    people: list[tuple[str, str, str]],
) -> list[tuple[Petition, list[int]]]:
    """The current flow of the units open on `today`, then each unit's queue: two petitions due
    within five days, one overdue and one awaiting classification, whatever the draws gave."""
    rng = random.Random(f"{SEED}/{today.isoformat()}")
    start, end = live_window(today)
    result: list[tuple[Petition, list[int]]] = []
    for code in sorted(VOLUME):
        unit = units.get(code)
        if unit is None or (unit.valid_to is not None and unit.valid_to < today):
            continue
        first = max(start, unit.valid_from)
        if first > end:
            continue
        count = round(VOLUME[code] / 3 * ((end - first).days + 1) / 365)
        days = sorted(_date_between(rng, first, end) for _ in range(count))
        flow = _generate(unit, days, rng, holidays, sessions, people, horizon=today, live=True)
        result += flow
        result += _queue(unit, today, rng, holidays, sessions, people, len(flow) + 1)
    return result


def _queue(
    unit: Unit,
    today: dt.date,
    rng: random.Random,
    holidays: frozenset[dt.date],
    sessions: dict[tuple[int, int, int], ReceptionSession],
    people: list[tuple[str, str, str]],
    seq: int,
) -> list[tuple[Petition, list[int]]]:
    """Accepted petitions whose deadline falls where the specialist's queue needs one (two due
    within five days, one overdue), and one awaiting classification: accepted as far back as
    the law's time limit puts the deadline in that window."""
    result: list[tuple[Petition, list[int]]] = []
    for first, last in [(1, 5), (1, 5), (-30, -3), (None, None)]:
        petition = _describe(unit, "", today - dt.timedelta(days=2), rng, sessions, people)
        if first is not None and last is not None:
            if petition.kind not in (PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION):
                petition.kind, petition.field = PetitionKind.COMPLAINT, PetitionField.LAND
                petition.complaint_round = ComplaintRound.FIRST
            for back in range(1, 200):
                accepted = today - dt.timedelta(days=back)
                petition.received_on = accepted - dt.timedelta(days=5)
                petition.accepted_on = petition.classified_on = accepted
                _, due = services.compute_deadlines(petition, holidays)
                if due is not None and first <= (due - today).days <= last:
                    break
            petition.status = PetitionStatus.ACCEPTED
        received = petition.received_on
        petition.reference = f"{unit.code}/{received.year}/H{seq:03d}"
        seq += 1
        petition.session = (
            sessions.get((unit.pk, received.year, received.month))
            if petition.channel == Channel.IN_PERSON
            else None
        )
        petition.classify_due_on, petition.resolve_due_on = services.compute_deadlines(
            petition, holidays
        )
        result.append((petition, []))
    return result


def _story(holidays: frozenset[dt.date]) -> None:
    """A few petitions through the services, with their whole history."""
    quang_binh = Unit.objects.get(code="QB-BD")
    reference = "QB-BD/2024/TC-01"
    if Petition.objects.filter(reference=reference).exists():
        return
    petition = services.petition_register(
        user=SYSTEM,
        unit=quang_binh,
        reference=reference,
        received_on=D(2024, 3, 4),
        channel=Channel.IN_PERSON,
        kind=PetitionKind.DENUNCIATION,
        field=PetitionField.CORRUPTION,
        subject="Tố cáo cán bộ Ban Bồi thường, giải phóng mặt bằng thị xã Ba Đồn lập hồ sơ khống "
        "để nhận tiền hỗ trợ dự án đường ven biển",
        summary="Người tố cáo đề nghị giữ bí mật họ tên, địa chỉ.",
        petitioner_name="Trần Văn Tố",
        petitioner_address="Thôn 3, xã Quảng Phú, thị xã Ba Đồn",
        petitioner_id_number="044089001234",
        accused="Ban Bồi thường, giải phóng mặt bằng thị xã Ba Đồn",
        complexity=Complexity.VERY_COMPLEX,
    )
    services.petition_classify(user=SYSTEM, petition=petition, decision="accept", on=D(2024, 3, 8))
    services.petition_extend(
        user=SYSTEM,
        petition=petition,
        decided_on=D(2024, 4, 5),
        days=30,
        decision_number="12/QĐ-TCT",
        reason="Vụ việc phức tạp, phải xác minh tại nhiều nơi.",
    )
    services.petition_pause(
        user=SYSTEM, petition=petition, start=D(2024, 4, 20), reason="Chờ kết quả giám định chữ ký"
    )
    services.petition_resume(user=SYSTEM, petition=petition, end=D(2024, 5, 10))
    services.petition_resolve(
        user=SYSTEM,
        petition=petition,
        resolved_on=D(2024, 6, 28),
        outcome="partly_founded",
        note="Kết luận nội dung tố cáo: có cơ sở một phần; kiến nghị xử lý kỷ luật.",
    )
    services.petition_record_follow_up(
        user=SYSTEM,
        petition=petition,
        follow_up=FollowUp.DONE,
        note="Đã xử lý kỷ luật khiển trách.",
    )
    _Counter.new += 2


def load(out: Any, today: dt.date | None = None) -> None:
    _Counter.new = 0
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    holidays = services.holiday_set()
    units = {u.code: u for u in Unit.objects.filter(code__in=list(VOLUME))}
    sessions = _sessions(units, today)
    existing = set(Petition.objects.values_list("reference", flat=True))
    people: list[tuple[str, str, str]] = []
    generated: list[tuple[Petition, list[int]]] = []
    for code in sorted(VOLUME):
        if code in units:
            unit = units[code]
            days = _history_days(unit, VOLUME[code], rng)
            horizon = min(today, unit.valid_to or today)
            generated += _generate(
                unit, days, rng, holidays, sessions, people, horizon=horizon, live=False
            )
    generated += _live(units, today, holidays, sessions, people)
    new = [(p, e) for p, e in generated if p.reference not in existing]
    for start in range(0, len(new), BATCH):
        chunk = new[start : start + BATCH]
        for petition, _ext in chunk:
            petition.search_text = PetitionResource.build_search_text(petition)
        Petition.objects.bulk_create([p for p, _e in chunk])
        extensions = [
            PetitionExtension(
                unit=p.unit,
                petition=p,
                decided_on=(p.accepted_on or p.received_on) + dt.timedelta(days=25 + 20 * i),
                decision_number=f"{i + 1}/QĐ-GH",
                days=days,
                reason="Vụ việc phức tạp",
            )
            for p, ext in chunk
            for i, days in enumerate(ext)
        ]
        PetitionExtension.objects.bulk_create(extensions)
        audit_record(
            action=AuditAction.CREATE,
            user=SYSTEM,
            object_type=Petition._meta.label_lower,
            object_repr=f"Demo: {len(chunk)} petitions ({chunk[0][0].reference} …)",
            message="load_demo (bulk)",
        )
        _Counter.new += len(chunk)
    _story(holidays)
    # The rows above were bulk-created (no signal): count them into the kept aggregate.
    aggregates.rebuild()
    total = Petition.objects.count()
    overdue = Petition.objects.filter(
        status__in=[PetitionStatus.RECEIVED, PetitionStatus.ACCEPTED]
    ).count()
    out.write(
        f"petitions: {total} petitions ({overdue} open), "
        f"{ReceptionSession.objects.count()} reception sessions ({_Counter.new} new records)"
    )
