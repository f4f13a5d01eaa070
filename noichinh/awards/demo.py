"""Award reviews: the Cluster III conference of 07/11/2023 in Đà Nẵng (the 2023 midterm of the
campaign) with its 13 committees' delegates, four nominations and a completed secret ballot in
which every delegate agreed (100 %) to propose Quảng Bình for the Prime Minister's Certificate of
Merit and Đà Nẵng, Phú Yên and Kon Tum for the Certificate of Merit of the Head of the Central
Commission; and an open review of the 2025 final review, its secret ballot open, ready to vote
on (the head of Quảng Trị, demo account `quangtri`, is a delegate) until its conference day
(20/11/2025): on a load day after it, the conference has voted (paper ballots entered by the
secretary: the flag for Quảng Trị, 6 of 7 delegates; the Head's certificate for Đà Nẵng, 7 of
7) and the ballot is closed, so that no ballot stays open after its conference.

Votes are cast through the services, as each delegate would; idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from noichinh.campaigns.models import Review
from noichinh.core.audit import snapshot
from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create, object_update
from noichinh.units.models import Cluster, Unit

from . import services
from .choices import BallotKind, BallotStatus, Choice, NomineeType, Recipients, ThresholdBasis
from .models import AwardKind, AwardReview, Ballot, Delegate, Nomination

D = dt.date
PM = "Bằng khen của Thủ tướng Chính phủ"
HEAD = "Bằng khen của Trưởng Ban Nội chính Trung ương"
FLAG = "Cờ thi đua của Ban Nội chính Trung ương"
CLUSTER = ["QB", "QT", "TTH", "DNG", "QNA", "QNG", "BDI", "PY", "KH", "KT", "GL", "DL", "DNO"]
FINAL_MEMBERS = ["QT", "TTH", "DNG", "QNG", "KH", "GL", "DL"]


# Source report 1 (../shared/domain.md): who attended, and what the 2023 conference found and
# set as key tasks. The results against the targets (115,4 %; 216,7 %) are not typed here:
# the cluster's table computes them from the registries.
PARTICIPANTS_2023 = (
    "Lãnh đạo cấp vụ, đơn vị của Ban Nội chính Trung ương; lãnh đạo Ban Nội chính 13 tỉnh ủy, "
    "thành ủy thuộc Cụm thi đua số III (khu vực miền Trung và Tây Nguyên)"
)
CONCLUSIONS_2023 = "\n".join(
    [
        "Sơ kết 3 năm thực hiện phong trào thi đua chuyên đề theo Kế hoạch số 15-KH/BNCTW ngày "
        "25/5/2021 của Ban Nội chính Trung ương, giai đoạn 2021-2025.",
        "Khó khăn, vướng mắc: một số vụ án, vụ việc phải tạm đình chỉ kéo dài do chờ kết quả "
        "giám định, định giá tài sản hoặc chờ ý kiến hướng dẫn của cơ quan trung ương; việc xác "
        "minh các đơn thư phức tạp kéo dài; có vụ án, vụ việc liên quan đến nhiều cấp, nhiều "
        "ngành.",
        "Nhiệm vụ trọng tâm: tăng cường công tác thanh tra, tiếp công dân, giải quyết kịp thời "
        "đơn thư khiếu nại, tố cáo, nhất là về bồi thường, giải phóng mặt bằng các dự án lớn; "
        "không để xảy ra tập trung đông người, khiếu kiện kéo dài, vượt cấp; giám sát trách "
        "nhiệm người đứng đầu; đẩy nhanh tiến độ thanh tra, điều tra, truy tố, xét xử các vụ "
        "án, vụ việc dư luận xã hội quan tâm; thực hiện Quy định số 11-QĐi/TW của Bộ Chính trị "
        "về trách nhiệm của người đứng đầu cấp ủy trong việc tiếp dân, đối thoại trực tiếp với "
        "dân và xử lý những phản ánh, kiến nghị của dân; phấn đấu 100 % các ban đạt và vượt chỉ "
        "tiêu thi đua.",
    ]
)


class _Counter:
    new = 0


def _create(instance: Any, m2m: dict[str, Any] | None = None) -> Any:
    _Counter.new += 1
    return object_create(user=SYSTEM, instance=instance, m2m=m2m)


def _kinds() -> dict[str, AwardKind]:
    root = Unit.objects.get(code="BNCTW")
    kinds = {}
    for name, authority, recipients, threshold in [
        (PM, "Thủ tướng Chính phủ", Recipients.BOTH, Decimal(90)),
        (HEAD, "Trưởng Ban Nội chính Trung ương", Recipients.BOTH, Decimal(70)),
        (FLAG, "Trưởng Ban Nội chính Trung ương", Recipients.COLLECTIVE, Decimal(80)),
    ]:
        kinds[name] = AwardKind.objects.filter(name=name).first() or _create(
            AwardKind(
                unit=root,
                name=name,
                authority=authority,
                recipients=recipients,
                threshold_percent=threshold,
                # "100 % of delegates agreed" (source report 1): a share of those present
                threshold_basis=ThresholdBasis.PRESENT,
            )
        )
    return kinds


def _review(
    title: str,
    held_on: dt.date,
    place: str,
    review: Review,
    members: list[str],
    participants: str = "",
    conclusions: str = "",
) -> tuple[AwardReview, bool]:
    organiser = Unit.objects.get(code="DNG-BNCTU")
    found = AwardReview.objects.filter(unit=organiser, title=title).first()
    if found is not None:
        if conclusions and not found.conclusions:  # a demo loaded before these were kept
            before = snapshot(found)
            found.participants, found.conclusions = participants, conclusions
            object_update(user=SYSTEM, instance=found, before=before)
            _Counter.new += 1
        return found, False
    award_review = _create(
        AwardReview(
            unit=organiser,
            cluster=Cluster.objects.get(code="CUM-III"),
            campaign_review=review,
            title=title,
            held_on=held_on,
            place=place,
            participants=participants,
            conclusions=conclusions,
            agenda="1. Báo cáo kết quả thực hiện phong trào thi đua của các ban.\n"
            "2. Thảo luận, bình xét.\n3. Bỏ phiếu kín đề nghị khen thưởng.",
        )
    )
    users = {"QT": get_user_model().objects.filter(username="quangtri").first()}
    for code in members:
        member = Unit.objects.get(code=f"{code}-BNCTU")
        _create(
            Delegate(
                unit=organiser,
                review=award_review,
                member=member,
                name=f"Đại biểu {member.name_on(held_on).label}",  # the name of that day
                position="Phó Trưởng Ban",
                user=users.get(code),
            )
        )
    return award_review, True


def _nominate(review: AwardReview, code: str, kind: AwardKind, achievements: str) -> None:
    unit = Unit.objects.get(code=f"{code}-BNCTU")
    if not Nomination.objects.filter(review=review, nominee_unit=unit, kind=kind).exists():
        _create(
            Nomination(
                unit=unit,
                review=review,
                kind=kind,
                nominee_type=NomineeType.COLLECTIVE,
                nominee_unit=unit,
                achievements=achievements,
            )
        )


def _vote_final(review: AwardReview, kinds: dict[str, AwardKind], today: dt.date) -> None:
    """The 2025 conference voted on its day: the paper ballots entered, the ballot closed."""
    if today <= review.held_on:
        return
    ballot = Ballot.objects.filter(review=review, status=BallotStatus.OPEN).first()
    if ballot is None:
        return
    delegates = list(review.delegates.filter(present=True))
    counts: dict[int, dict[str, int]] = {}
    for nomination in review.nominations.all():
        against = 1 if nomination.kind_id == kinds[FLAG].pk else 0
        counts[nomination.pk] = {Choice.AGREE: len(delegates) - against, Choice.ABSTAIN: against}
    services.ballot_enter_paper(user=SYSTEM, ballot=ballot, delegates=delegates, counts=counts)
    services.ballot_close(user=SYSTEM, ballot=ballot)
    _Counter.new += 2


def load(out: Any, today: dt.date | None = None) -> None:
    _Counter.new = 0
    today = today or timezone.localdate()
    kinds = _kinds()
    midterm = Review.objects.filter(kind="midterm").first()
    final = Review.objects.filter(kind="final").first()
    if midterm is None or final is None:
        out.write("awards: no campaign reviews (load the campaigns first)")
        return
    review, new = _review(
        "Hội nghị bình xét thi đua, khen thưởng Cụm thi đua số III (sơ kết 3 năm)",
        D(2023, 11, 7),
        "Thành phố Đà Nẵng",
        midterm,
        CLUSTER,
        participants=PARTICIPANTS_2023,
        conclusions=CONCLUSIONS_2023,
    )
    if new:
        _nominate(review, "QB", kinds[PM], "Dẫn đầu cụm về phát hiện vụ việc tham nhũng, tiêu cực.")
        for code in ("DNG", "PY", "KT"):
            _nominate(review, code, kinds[HEAD], "Hoàn thành vượt mức các chỉ tiêu thi đua.")
        ballot = services.ballot_open(user=SYSTEM, review=review, kind=BallotKind.SECRET)
        ids = list(review.nominations.values_list("pk", flat=True))
        # The 2023 conference voted on paper; the secretary enters the counted ballots.
        services.ballot_enter_paper(
            user=SYSTEM,
            ballot=ballot,
            delegates=list(review.delegates.all()),
            counts={pk: {Choice.AGREE: len(CLUSTER)} for pk in ids},
        )
        services.ballot_close(user=SYSTEM, ballot=ballot)
        _Counter.new += 3
    final_review, new = _review(
        "Hội nghị bình xét khen thưởng Cụm thi đua số III (tổng kết 5 năm)",
        D(2025, 11, 20),
        "Thành phố Đà Nẵng",
        final,
        FINAL_MEMBERS,
    )
    if new:
        _nominate(final_review, "QT", kinds[FLAG], "Dẫn đầu cụm giai đoạn 2021-2025.")
        _nominate(final_review, "DNG", kinds[HEAD], "Hoàn thành xuất sắc các chỉ tiêu.")
        if not Ballot.objects.filter(review=final_review, status=BallotStatus.OPEN).exists():
            services.ballot_open(user=SYSTEM, review=final_review, kind=BallotKind.SECRET)
            _Counter.new += 1
    _vote_final(final_review, kinds, today)
    out.write(
        f"awards: {AwardKind.objects.count()} award kinds, {AwardReview.objects.count()} reviews, "
        f"{Nomination.objects.count()} nominations ({_Counter.new} new records)"
    )
