"""Award reviews: the Cluster III conference of 07/11/2023 in Đà Nẵng (the 2023 midterm of the
campaign) with its 13 committees' delegates, four nominations and a completed secret ballot in
which every delegate agreed (100 %) to propose Quảng Bình for the Prime Minister's Certificate of
Merit and Đà Nẵng, Phú Yên and Kon Tum for the Certificate of Merit of the Head of the Central
Commission; and an open review of the 2025 final review, its secret ballot open, ready to vote
on (the head of Quảng Trị, demo account `quangtri`, is a delegate).

Votes are cast through the services, as each delegate would; idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from noichinh.campaigns.models import Review
from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create
from noichinh.units.models import Cluster, Unit

from . import services
from .choices import BallotKind, BallotStatus, Choice, NomineeType, Recipients
from .models import AwardKind, AwardReview, Ballot, Delegate, Nomination

D = dt.date
PM = "Bằng khen của Thủ tướng Chính phủ"
HEAD = "Bằng khen của Trưởng Ban Nội chính Trung ương"
FLAG = "Cờ thi đua của Ban Nội chính Trung ương"
CLUSTER = ["QB", "QT", "TTH", "DNG", "QNA", "QNG", "BDI", "PY", "KH", "KT", "GL", "DL", "DNO"]
FINAL_MEMBERS = ["QT", "TTH", "DNG", "QNG", "KH", "GL", "DL"]


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
            )
        )
    return kinds


def _review(
    title: str, held_on: dt.date, place: str, review: Review, members: list[str]
) -> tuple[AwardReview, bool]:
    organiser = Unit.objects.get(code="DNG-BNCTU")
    found = AwardReview.objects.filter(unit=organiser, title=title).first()
    if found is not None:
        return found, False
    award_review = _create(
        AwardReview(
            unit=organiser,
            cluster=Cluster.objects.get(code="CUM-III"),
            campaign_review=review,
            title=title,
            held_on=held_on,
            place=place,
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
                name=f"Đại biểu {member.short_name}",
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


def load(out: Any) -> None:
    _Counter.new = 0
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
    out.write(
        f"awards: {AwardKind.objects.count()} award kinds, {AwardReview.objects.count()} reviews, "
        f"{Nomination.objects.count()} nominations ({_Counter.new} new records)"
    )
