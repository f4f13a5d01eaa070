"""The 2021-2025 thematic emulation campaign (Plan 15-KH/BNCTW of 25/5/2021) with its criteria,
its midterm (cut-off 31/10/2023, conference 7/11/2023) and final (cut-off 31/10/2025) reviews;
the registrations of Cluster III's 13 committees, whose midterm targets sum to 39 corruption
cases and 18 security issues, so that against the case registry's 45 and 39 the cluster reaches
115,4 % and 216,7 %; and Nghệ An's registration (Plan 06-KH/BNCTU: at least 10 cases, of which
5 self-detected, and 5 security issues) with its three departments' (each at least 3 and 2; by
the midterm 2 and 1).

Registrations are created and approved through the services, so each step is audited.
Idempotent: a registration is looked up by campaign and unit first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create
from noichinh.documents.models import Document
from noichinh.documents.services import document_for_code
from noichinh.units.models import Unit

from . import services
from .choices import CriterionLevel, RegistrationStatus, ReviewKind
from .models import Campaign, Criterion, Review, Target, TargetRegistration

D = dt.date
TITLE = "Thi đua chuyên đề phát hiện vụ việc tham nhũng, tiêu cực giai đoạn 2021-2025"

CRITERIA = [
    # number, name, count key, level, measure, weight, parent number
    (
        "1",
        "Vụ án, vụ việc tham nhũng, tiêu cực được phát hiện, tham mưu xử lý hiệu quả",
        "cases.corruption",
        CriterionLevel.COMMITTEE,
        "vụ",
        2,
        None,
    ),
    (
        "1.1",
        "Trong đó: vụ việc tham nhũng do Ban tự phát hiện",
        "cases.self_detected",
        CriterionLevel.COMMITTEE,
        "vụ",
        1,
        "1",
    ),
    (
        "2",
        "Vấn đề phức tạp, nổi cộm về an ninh, trật tự được chủ động tham mưu xử lý",
        "security.advised",
        CriterionLevel.COMMITTEE,
        "vấn đề",
        1,
        None,
    ),
    (
        "3",
        "Vụ việc tham nhũng dư luận xã hội quan tâm do phòng chủ trì theo dõi",
        "cases.public_concern_by_department",
        CriterionLevel.DEPARTMENT,
        "vụ",
        1,
        None,
    ),
    (
        "4",
        "Vấn đề phức tạp về an ninh, trật tự do phòng chủ trì tham mưu",
        "security.advised_by_department",
        CriterionLevel.DEPARTMENT,
        "vấn đề",
        1,
        None,
    ),
]
# A department's criterion is summed against the committee's.
COUNTS_TOWARDS = {"3": "1", "4": "2"}
REGISTERED_ON = D(2021, 6, 15)

# Midterm targets of Cluster III: 3 cases each (39); 2 security issues for five, 1 for the
# other eight (18); self-detected 1 each. Whole period: 5 cases, 2 self-detected, 3 issues.
CLUSTER_SECURITY_MIDTERM = {"QB": 2, "QT": 2, "TTH": 2, "DNG": 2, "PY": 2}
CLUSTER = ["QB", "QT", "TTH", "DNG", "QNA", "QNG", "BDI", "PY", "KH", "KT", "GL", "DL", "DNO"]


class _Counter:
    new = 0


def _create(instance: Any, m2m: dict[str, Any] | None = None) -> Any:
    _Counter.new += 1
    return object_create(user=SYSTEM, instance=instance, m2m=m2m)


def _campaign() -> tuple[Campaign, dict[str, Criterion], dict[str, Review]]:
    root = Unit.objects.get(code="BNCTW")
    campaign = Campaign.objects.filter(unit=root, title=TITLE).first()
    if campaign is None:
        campaign = _create(
            Campaign(
                unit=root,
                title=TITLE,
                plan=Document.objects.filter(code="15-KH/BNCTW").first(),
                theme=(
                    "Phát hiện vụ việc, vụ án tham nhũng, tiêu cực, tham mưu cấp ủy chỉ đạo xử lý; "
                    "chủ động tham mưu xử lý các vấn đề phức tạp, nổi cộm về an ninh, trật tự."
                ),
                start_on=D(2021, 5, 25),
                end_on=D(2025, 12, 31),
            )
        )
    criteria: dict[str, Criterion] = {}
    for number, name, key, level, measure, weight, parent in CRITERIA:
        found = Criterion.objects.filter(campaign=campaign, number=number).first()
        criteria[number] = found or _create(
            Criterion(
                unit=root,
                campaign=campaign,
                number=number,
                name=name,
                count_key=key,
                level=level,
                measure=measure,
                weight=weight,
                parent=criteria.get(parent) if parent else None,
                counts_towards=criteria.get(COUNTS_TOWARDS.get(number, "")),
            )
        )
    reviews: dict[str, Review] = {}
    for kind, title, cutoff, held in [
        (ReviewKind.MIDTERM, "Sơ kết 3 năm (2021-2023)", D(2023, 10, 31), D(2023, 11, 7)),
        (ReviewKind.FINAL, "Tổng kết 5 năm (2021-2025)", D(2025, 10, 31), D(2025, 11, 20)),
    ]:
        existing = Review.objects.filter(campaign=campaign, kind=kind).first()
        reviews[kind] = existing or _create(
            Review(
                unit=root, campaign=campaign, kind=kind, title=title, cutoff_on=cutoff, held_on=held
            )
        )
    return campaign, criteria, reviews


def _register(
    campaign: Campaign,
    unit: Unit,
    targets: list[tuple[Criterion, Review | None, int]],
    *,
    plan: str = "",
    approve: bool = True,
    submitted: dt.date = REGISTERED_ON,
) -> TargetRegistration:
    found = TargetRegistration.objects.filter(campaign=campaign, unit=unit).first()
    if found is not None:
        return found
    registration = _create(
        TargetRegistration(
            unit=unit,
            campaign=campaign,
            # Numbers restart per issuer: Nghệ An's 01-HD/BNCTU is not Quảng Bình's.
            plan=document_for_code(plan, unit) if plan else None,
        )
    )
    for criterion, review, value in targets:
        _create(
            Target(
                unit=unit,
                registration=registration,
                criterion=criterion,
                review=review,
                value=value,
            )
        )
    if approve:
        services.registration_submit(user=SYSTEM, registration=registration, on=submitted)
        # Approval is the level above's: the central commission's head (demo account).
        approver = get_user_model().objects.get(username="trunguong")
        services.registration_approve(
            user=approver, registration=registration, on=submitted + dt.timedelta(days=14)
        )
        _Counter.new += 2
    return registration


def load(out: Any, today: dt.date | None = None) -> None:
    _Counter.new = 0
    today = today or timezone.localdate()
    campaign, c, r = _campaign()
    midterm = r[ReviewKind.MIDTERM]
    for code in CLUSTER:
        unit = Unit.objects.get(code=f"{code}-BNCTU")
        _register(
            campaign,
            unit,
            [
                (c["1"], None, 5),
                (c["1.1"], None, 2),
                (c["2"], None, 3),
                (c["1"], midterm, 3),
                (c["1.1"], midterm, 1),
                (c["2"], midterm, CLUSTER_SECURITY_MIDTERM.get(code, 1)),
            ],
        )
    nghe_an = Unit.objects.get(code="NA-BNCTU")
    _register(
        campaign,
        nghe_an,
        [
            (c["1"], None, 10),
            (c["1.1"], None, 5),
            (c["2"], None, 5),
            (c["1"], midterm, 6),
            (c["1.1"], midterm, 3),
            (c["2"], midterm, 3),
        ],
        plan="06-KH/BNCTU",
    )
    for index, code in enumerate(["NA-P1", "NA-P2", "NA-P3"]):
        _register(
            campaign,
            Unit.objects.get(code=code),
            [
                (c["3"], None, 3),
                (c["4"], None, 2),
                (c["3"], midterm, 2),
                (c["4"], midterm, 1),
            ],
            plan="01-HD/BNCTU",
            approve=index < 2,  # the third department's registration awaits its decision
        )
    pending = TargetRegistration.objects.get(campaign=campaign, unit__code="NA-P3")
    if pending.status == RegistrationStatus.DRAFT:
        services.registration_submit(user=SYSTEM, registration=pending, on=D(2021, 7, 5))
        _Counter.new += 1
    # The third department's registration waited for its decision longer than the others; once
    # the campaign has ended (on any load day) nothing of it still awaits one: approved late.
    if pending.status == RegistrationStatus.SUBMITTED and campaign.end_on < today:
        services.registration_approve(
            user=get_user_model().objects.get(username="trunguong"),
            registration=pending,
            on=D(2021, 7, 26),
        )
        _Counter.new += 1
    out.write(
        f"campaigns: {Campaign.objects.count()} campaign, {Criterion.objects.count()} criteria, "
        f"{TargetRegistration.objects.count()} registrations, {Target.objects.count()} targets "
        f"({_Counter.new} new records)"
    )
