"""Demo petitions: about 3,000 across the demo provinces, Quảng Bình's district working groups
and Nghệ An's departments, received from 1/1/2023 to 30/9/2026, so that every period has a
same period last year. Land-compensation complaints dominate; denunciations carry protected
identities; the district groups of Quảng Bình resolved many petitions late in the first nine
months of 2024 (their nine-month briefing noted it); some petitions are still open and overdue.

Deterministic (seeded random) and idempotent: each petition has a register number
`<unit code>/<year>/<n>`; existing numbers are skipped, so a second run creates nothing. The
generated bulk is written with bulk_create (one audit entry per batch, naming the batch); a few
story petitions go through the services and carry their full history."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from noichinh.core.audit import audit_record
from noichinh.core.models import AuditAction
from noichinh.core.scoping import SYSTEM
from noichinh.core.text import fold
from noichinh.units.models import Unit

from . import services
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
from .models import Petition, PetitionExtension, ReceptionSession
from .resources import PetitionResource

D = dt.date
FIRST_DAY = D(2023, 1, 1)
LAST_DAY = D(2026, 9, 30)
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
# Petitions per unit over the whole demo period.
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
    units: dict[str, Unit], rng: random.Random
) -> dict[tuple[int, int, int], ReceptionSession]:
    """A citizen reception session per unit on the 15th of each month it was in force."""
    existing = {(s.unit_id, s.held_on) for s in ReceptionSession.objects.all()}
    new = []
    for unit in units.values():
        day = D(2023, 1, 15)
        while day <= LAST_DAY:
            in_force = unit.valid_from <= day and (unit.valid_to is None or day <= unit.valid_to)
            if in_force and (unit.pk, day) not in existing:
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


def _generate(
    unit: Unit,
    count: int,
    rng: random.Random,
    holidays: frozenset[dt.date],
    sessions: dict[tuple[int, int, int], ReceptionSession],
    people: list[tuple[str, str, str]],
) -> list[tuple[Petition, list[int]]]:
    start = max(FIRST_DAY, unit.valid_from)
    end = min(LAST_DAY, (unit.valid_to - dt.timedelta(days=60)) if unit.valid_to else LAST_DAY)
    district = unit.code in QB_DISTRICTS
    days = sorted(_date_between(rng, start, end) for _ in range(count))
    result = []
    for seq, received in enumerate(days, start=1):
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
            reference=f"{unit.code}/{received.year}/{seq:04d}",
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
            remote_area=unit.code in ("QB-MH", "QB-TH", "KT-BNCTU", "DNO-BNCTU")
            and rng.random() < 0.5,
        )
        petition.petitioner_key = fold(name)
        if channel == Channel.IN_PERSON:
            petition.session = sessions.get((unit.pk, received.year, received.month))
        classify_due, _ = services.compute_deadlines(petition, holidays)
        petition.classify_due_on = classify_due
        extensions: list[int] = []
        last_day = min(LAST_DAY, unit.valid_to or LAST_DAY)
        classified = received + dt.timedelta(days=rng.randint(1, 12))
        if classified > last_day:
            result.append((petition, extensions))  # still waiting to be classified
            continue
        decision = _pick(
            rng, {"accept": 62, "forward": 14, "guide": 10, "reject": 6, "duplicate": 3, "wait": 5}
        )
        if decision == "wait" and received < D(2026, 6, 1):
            decision = "accept"
        if decision == "wait":
            result.append((petition, extensions))
            continue
        petition.classified_on = classified
        if decision == "forward":
            petition.status = PetitionStatus.FORWARDED
            petition.forwarded_to = "Thanh tra tỉnh" if rng.random() < 0.5 else "UBND huyện"
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
            if (
                kind == PetitionKind.DENUNCIATION
                and complexity != Complexity.NORMAL
                and rng.random() < 0.6
            ):
                extensions = (
                    [30] if complexity == Complexity.COMPLEX else [30, rng.choice([15, 30])]
                )
            _, resolve_due = services.compute_deadlines(petition, holidays, extensions)
            petition.resolve_due_on = resolve_due
            if resolve_due is None:
                # Recommendations and feedback: no statutory limit; answered within weeks.
                resolved = classified + dt.timedelta(days=rng.randint(5, 40))
            else:
                late_share = 0.12
                if district and LATE_WINDOW[0] <= resolve_due <= LATE_WINDOW[1]:
                    late_share = 0.45
                span = (resolve_due - classified).days
                if rng.random() < late_share:
                    resolved = resolve_due + dt.timedelta(days=rng.randint(3, 60))
                else:
                    resolved = classified + dt.timedelta(days=rng.randint(max(span // 3, 1), span))
            stuck = rng.random() < 0.06 and unit.valid_to is None
            if resolved <= last_day and not stuck:
                petition.status = PetitionStatus.RESOLVED
                petition.resolved_on = resolved
                petition.outcome = rng.choice(OUTCOMES_BY_KIND[PetitionKind(kind)])
                petition.resolution_note = "Đã ban hành quyết định/kết luận giải quyết."
                if resolved < D(2026, 6, 1):
                    petition.follow_up = _pick(
                        rng, {FollowUp.DONE: 70, FollowUp.IN_PROGRESS: 20, FollowUp.NOT_DONE: 10}
                    )
        result.append((petition, extensions))
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


def load(out: Any) -> None:
    _Counter.new = 0
    rng = random.Random(SEED)
    holidays = services.holiday_set()
    units = {u.code: u for u in Unit.objects.filter(code__in=list(VOLUME))}
    sessions = _sessions(units, random.Random(SEED + 1))
    existing = set(Petition.objects.values_list("reference", flat=True))
    people: list[tuple[str, str, str]] = []
    generated: list[tuple[Petition, list[int]]] = []
    for code in sorted(VOLUME):
        if code in units:
            generated += _generate(units[code], VOLUME[code], rng, holidays, sessions, people)
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
    total = Petition.objects.count()
    overdue = Petition.objects.filter(
        status__in=[PetitionStatus.RECEIVED, PetitionStatus.ACCEPTED]
    ).count()
    out.write(
        f"petitions: {total} petitions ({overdue} open), "
        f"{ReceptionSession.objects.count()} reception sessions ({_Counter.new} new records)"
    )
