"""The verbs of an award review: nominate (with the campaign's figures attached), open a
ballot (quorum checked), cast a vote (once per delegate, proxies honoured, secret ballots keep
no link between voter and vote), enter counted paper ballots, close the ballot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Max, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from noichinh.campaigns import progress
from noichinh.campaigns.models import TargetRegistration
from noichinh.core.audit import audit_record, snapshot
from noichinh.core.models import AuditAction
from noichinh.core.services import audit_transition, object_create
from noichinh.core.services import require as _require
from noichinh.core.text import format_number, format_percent

from .choices import BallotKind, BallotStatus, Choice, ThresholdBasis
from .models import (
    AwardReview,
    Ballot,
    BallotParticipation,
    Delegate,
    Nomination,
    Tally,
    Vote,
)

# -- nominations ----------------------------------------------------------------------------


def campaign_figures(review: AwardReview, unit: Any) -> str:
    """The nominee's results at the campaign review, as text to attach to a nomination."""
    registration = (
        TargetRegistration.objects.filter(campaign=review.campaign_review.campaign, unit=unit)
        .select_related("campaign", "unit")
        .first()
    )
    if registration is None:
        return _("No target registration in the campaign.")
    result = progress.registration_unit_progress(registration, review.campaign_review)
    if not result.has_figures:
        return result.merged_note
    lines = [
        f"{row.criterion.number}. {row.criterion.name}: {format_number(row.actual)}"
        + (
            f"/{format_number(row.target)} ({format_percent(row.percent)})"
            if row.target and row.percent is not None
            else ""
        )
        for row in result.rows
    ]
    return "\n".join(lines)


def nomination_warnings(nomination: Nomination) -> list[str]:
    """What the organiser should know before the vote: an award already given for the same
    achievement (the same nominee and kind passed in an earlier review of the campaign), or a
    campaign score below the kind's minimum."""
    warnings: list[str] = []
    review = nomination.review
    earlier = Nomination.objects.filter(
        kind=nomination.kind,
        review__campaign_review__campaign=review.campaign_review.campaign,
        nominee_type=nomination.nominee_type,
        nominee_unit=nomination.nominee_unit,
        person_name=nomination.person_name,
    ).exclude(pk=nomination.pk)
    for other in earlier.select_related("review"):
        if any(r.passed for r in ballot_results(other.review, only=other)):
            warnings.append(
                _("Already proposed for this award in %(review)s for the same campaign.")
                % {"review": other.review}
            )
    kind = nomination.kind
    if kind.min_score is not None and nomination.nominee_unit_id:
        table = progress.cluster_table(
            review.cluster, review.campaign_review.campaign, review.campaign_review
        )
        scores = {row.unit.pk: row.score for row in table.rows}
        score = scores.get(nomination.nominee_unit_id)
        if score is None or score < kind.min_score:
            warnings.append(
                _("The campaign score %(score)s is below the %(minimum)s this award requires.")
                % {
                    "score": format_percent(score) if score is not None else "—",
                    "minimum": format_percent(kind.min_score),
                }
            )
    return warnings


# -- ballots --------------------------------------------------------------------------------


def attendance(review: AwardReview) -> tuple[int, int]:
    """(delegates, present or represented by a proxy)."""
    delegates = list(review.delegates.all())
    represented = {d.proxy_for_id for d in delegates if d.present and d.proxy_for_id}
    present = sum(1 for d in delegates if d.present or d.pk in represented)
    return len(delegates), present


def quorum_met(review: AwardReview, total: int, present: int) -> bool:
    return total > 0 and Decimal(present * 100) >= review.quorum_percent * total


def _transition(user: Any, instance: Any, before: dict[str, Any], message: str = "") -> None:
    audit_transition(user=user, instance=instance, before=before, message=message, save=True)


def review_finished(review: AwardReview, today: dt.date | None = None) -> bool:
    """The conference has voted (a ballot closed, the review held) and its day is over: no
    ballot is opened on it any more (a later round belongs to a new review)."""
    today = today or timezone.localdate()
    return review.status == "held" and review.held_on < today


def ballot_open_refusal(review: AwardReview, today: dt.date | None = None) -> str | None:
    """Why a ballot cannot be opened on the review now (None: it can). The review page asks
    this before offering "Open a ballot"."""
    if review.ballots.filter(status=BallotStatus.OPEN).exists():
        return _("A ballot of this review is already open.")
    if review_finished(review, today):
        return _("The review is finished: its conference has voted.")
    if not review.nominations.exists():
        return _("There is no nomination to vote on.")
    total, present = attendance(review)
    if not quorum_met(review, total, present):
        return _("No quorum: %(present)d of %(total)d delegates present, %(quorum)s needed.") % {
            "present": present,
            "total": total,
            "quorum": format_percent(review.quorum_percent),
        }
    return None


@transaction.atomic
def ballot_open(*, user: Any, review: AwardReview, kind: str = BallotKind.SECRET) -> Ballot:
    _require(user, "change", review)
    refusal = ballot_open_refusal(review)
    if refusal:
        raise ValidationError(refusal)
    total, present = attendance(review)
    number = (review.ballots.aggregate(n=Max("number"))["n"] or 0) + 1
    ballot = Ballot(
        unit=review.unit,
        review=review,
        number=number,
        kind=kind,
        opened_at=timezone.now(),
        delegates_total=total,
        delegates_present=present,
    )
    created = object_create(user=user, instance=ballot, message=_("Ballot opened"))
    assert isinstance(created, Ballot)
    _prepare(created)
    return created


def _prepare(ballot: Ballot) -> None:
    """Every participation row (one per delegate, not voted) and every counter (one per
    nomination and choice, at 0) of the ballot, created in a fixed order: at the opening, and
    again (for a delegate or nomination added later) before a vote is counted. No row is ever
    created by a vote, so ids tell nothing of who voted when or what was chosen."""
    have = set(ballot.participations.values_list("delegate_id", flat=True))
    BallotParticipation.objects.bulk_create(
        BallotParticipation(ballot=ballot, delegate_id=pk)
        for pk in ballot.review.delegates.order_by("pk").values_list("pk", flat=True)
        if pk not in have
    )
    counted = set(ballot.tallies.values_list("nomination_id", "choice"))
    Tally.objects.bulk_create(
        Tally(ballot=ballot, nomination_id=pk, choice=choice)
        for pk in ballot.review.nominations.order_by("pk").values_list("pk", flat=True)
        for choice in Choice.values
        if (pk, choice) not in counted
    )


def _lock_open(ballot: Ballot) -> Ballot:
    """The ballot row locked (votes of one ballot are counted one after the other), refused
    when it is closed."""
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if locked.status != BallotStatus.OPEN:
        raise ValidationError(_("The ballot is closed."))
    return locked


def _add_to_tallies(ballot: Ballot, counts: Mapping[tuple[int, str], int]) -> None:
    """Add to the counters in one statement that rewrites every counter of the ballot (most by
    0): each row is then last written by the same transaction, so not even the database's row
    versions single out the choices of the last voter."""
    added = Case(
        *(
            When(Q(nomination_id=pk, choice=choice), then=Value(number))
            for (pk, choice), number in counts.items()
            if number
        ),
        default=Value(0),
        output_field=Tally._meta.get_field("count"),
    )
    Tally.objects.filter(ballot=ballot).update(count=F("count") + added)


def voting_rights(ballot: Ballot, user: Any) -> list[tuple[Delegate, Delegate | None]]:
    """The delegates `user` may vote for in this ballot: (delegate, proxy holder or None)."""
    rights: list[tuple[Delegate, Delegate | None]] = []
    for delegate in ballot.review.delegates.filter(user=user, present=True).select_related(
        "proxy_for", "member"
    ):
        rights.append((delegate, None))
        if delegate.proxy_for is not None:
            rights.append((delegate.proxy_for, delegate))
    return rights


@transaction.atomic
def ballot_cast(
    *,
    user: Any,
    ballot: Ballot,
    delegate: Delegate,
    choices: Mapping[int, str],
) -> None:
    """One delegate's ballot paper: a choice for every nomination. In a secret ballot the
    choices only add to the counters; what is stored about the delegate is that they voted."""
    _lock_open(ballot)
    rights = dict((d.pk, holder) for d, holder in voting_rights(ballot, user))
    if delegate.pk not in rights:
        raise PermissionDenied(_("You do not hold this delegate's vote."))
    nominations = list(ballot.review.nominations.values_list("pk", flat=True))
    if set(choices) != set(nominations) or not set(choices.values()) <= set(Choice.values):
        raise ValidationError(_("Choose agree, disagree or abstain for every nomination."))
    holder = rights[delegate.pk]
    _prepare(ballot)
    taken = BallotParticipation.objects.filter(
        ballot=ballot, delegate=delegate, voted=False
    ).update(voted=True, cast_by=holder)
    if not taken:
        raise ValidationError(_("This delegate has already voted."))
    _count(ballot, choices, delegate if ballot.kind == BallotKind.NAMED else None)
    message = _("%(delegate)s voted") % {"delegate": delegate}
    if holder is not None:
        message += " " + _("(by proxy, %(holder)s)") % {"holder": holder.name}
    changes: dict[str, Any] = {}
    if ballot.kind == BallotKind.NAMED:
        changes = {str(pk): [None, choice] for pk, choice in choices.items()}
    audit_record(
        action=AuditAction.TRANSITION, user=user, instance=ballot, changes=changes, message=message
    )


def _count(ballot: Ballot, choices: Mapping[int, str], named: Delegate | None) -> None:
    if named is not None:  # a named vote is public by its nature: who chose what is kept
        Vote.objects.bulk_create(
            Vote(ballot=ballot, nomination_id=pk, delegate=named, choice=choices[pk])
            for pk in sorted(choices)
        )
    _add_to_tallies(ballot, {(pk, choice): 1 for pk, choice in choices.items()})


@transaction.atomic
def ballot_enter_paper(
    *,
    user: Any,
    ballot: Ballot,
    delegates: Sequence[Delegate],
    counts: Mapping[int, Mapping[str, int]],
) -> None:
    """The secretary enters paper ballots counted by hand: which delegates handed one in, and
    for each nomination how many agreed, disagreed, abstained (each adding up to the papers)."""
    _require(user, "change", ballot.review)
    _lock_open(ballot)
    papers = len(delegates)
    if not papers:
        raise ValidationError(_("Choose the delegates who handed in a paper ballot."))
    nominations = set(ballot.review.nominations.values_list("pk", flat=True))
    if set(counts) != nominations:
        raise ValidationError(_("Enter the counts of every nomination."))
    for by_choice in counts.values():
        if sum(by_choice.values()) != papers:
            raise ValidationError(
                _("The counts of a nomination must add up to the %(n)d paper ballots.")
                % {"n": papers}
            )
    _prepare(ballot)
    for delegate in delegates:
        if delegate.review_id != ballot.review_id:
            raise ValidationError(_("A delegate of another review."))
        taken = BallotParticipation.objects.filter(
            ballot=ballot, delegate=delegate, voted=False
        ).update(voted=True, paper=True)
        if not taken:
            raise ValidationError(_("%(delegate)s has already voted.") % {"delegate": delegate})
    _add_to_tallies(
        ballot,
        {
            (nomination_id, choice): number
            for nomination_id, by_choice in counts.items()
            for choice, number in by_choice.items()
        },
    )
    audit_record(
        action=AuditAction.TRANSITION,
        user=user,
        instance=ballot,
        changes={"paper_ballots": [None, papers]},
        message=_("%(n)d paper ballots entered") % {"n": papers},
    )


@transaction.atomic
def ballot_close(*, user: Any, ballot: Ballot) -> Ballot:
    _require(user, "change", ballot.review)
    if ballot.status != BallotStatus.OPEN:
        raise ValidationError(_("The ballot is already closed."))
    before = snapshot(ballot)
    ballot.status = BallotStatus.CLOSED
    ballot.closed_at = timezone.now()
    _transition(user, ballot, before, _("Ballot closed"))
    review = ballot.review
    if review.status != "held":
        review_before = snapshot(review)
        review.status = "held"
        _transition(user, review, review_before, _("Review held"))
    return ballot


# -- results --------------------------------------------------------------------------------


@dataclass
class Result:
    nomination: Nomination
    agree: int
    disagree: int
    abstain: int
    valid: int
    present: int
    base: int
    percent: Decimal | None
    threshold: Decimal
    basis: str
    passed: bool

    @property
    def basis_label(self) -> str:
        return str(ThresholdBasis(self.basis).label)


def _threshold(review: AwardReview, nomination: Nomination) -> tuple[Decimal, str]:
    if review.threshold_percent is not None:
        return review.threshold_percent, review.threshold_basis or ThresholdBasis.VALID_BALLOTS
    return nomination.kind.threshold_percent, nomination.kind.threshold_basis


def ballot_results(
    review: AwardReview, *, ballot: Ballot | None = None, only: Nomination | None = None
) -> list[Result]:
    """Results of the review's last closed ballot (or of `ballot`), per nomination."""
    if ballot is None:
        ballot = review.ballots.filter(status=BallotStatus.CLOSED).order_by("-number").first()
    if ballot is None:
        return []
    counts: dict[tuple[int, str], int] = {
        (t.nomination_id, t.choice): t.count for t in ballot.tallies.all()
    }
    valid = ballot.participations.filter(voted=True).count()
    nominations = review.nominations.select_related("kind", "nominee_unit").order_by("id")
    if only is not None:
        nominations = nominations.filter(pk=only.pk)
    results = []
    for nomination in nominations:
        agree = counts.get((nomination.pk, Choice.AGREE), 0)
        threshold, basis = _threshold(review, nomination)
        base = ballot.delegates_present if basis == ThresholdBasis.PRESENT else valid
        percent = (
            (Decimal(agree * 100) / Decimal(base)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if base
            else None
        )
        results.append(
            Result(
                nomination=nomination,
                agree=agree,
                disagree=counts.get((nomination.pk, Choice.DISAGREE), 0),
                abstain=counts.get((nomination.pk, Choice.ABSTAIN), 0),
                valid=valid,
                present=ballot.delegates_present,
                base=base,
                percent=percent,
                threshold=threshold,
                basis=basis,
                passed=percent is not None and percent >= threshold,
            )
        )
    return results
