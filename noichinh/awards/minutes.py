"""The minutes (biên bản) of a review conference and its result table, as Word and PDF in the
Party's format on A4 (`core.partydoc`), and the list of proposals to send up ("100 % of
delegates agreed to propose Quảng Bình for the Prime Minister's Certificate of Merit")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from noichinh.core import partydoc
from noichinh.core.text import format_percent
from noichinh.units.models import names_on

from .models import AwardReview, Ballot
from .services import Result, attendance, ballot_results


def proposal_text(result: Result, names: dict[int, str] | None = None) -> str:
    """`names`: the collective nominees' names on the day of the review (`names_on`)."""
    nominee = nominee_name(result, names)
    return _("%(percent)s %(basis)s agreed to propose %(nominee)s for the %(award)s.") % {
        "percent": format_percent(result.percent, 0 if result.percent == 100 else 2),
        "basis": result.basis_label,
        "nominee": nominee,
        "award": result.nomination.kind,
    }


def nominee_name(result: Result, names: dict[int, str] | None = None) -> str:
    unit_id = result.nomination.nominee_unit_id
    if names and unit_id in names and result.nomination.nominee_type != "individual":
        return names[unit_id]
    return result.nomination.nominee_label()


@dataclass
class Minutes:
    review: AwardReview
    ballot: Ballot | None
    delegates: list[Any]
    total: int
    present: int
    results: list[Result]
    proposals: list[str]
    # Names of the units on the day of the review (a 2023 conference names Thừa Thiên Huế).
    names: dict[int, str] = field(default_factory=dict)
    issuer: str = ""

    @property
    def delegate_rows(self) -> list[tuple[Any, str]]:
        return [
            (d, self.names.get(d.member_id, d.member.short_name or d.member.name))
            for d in self.delegates
        ]

    @property
    def result_rows(self) -> list[tuple[Result, str]]:
        return [(r, nominee_name(r, self.names)) for r in self.results]


def minutes_for(review: AwardReview) -> Minutes:
    ballot = review.ballots.filter(status="closed").order_by("-number").first()
    results = ballot_results(review, ballot=ballot) if ballot else []
    total, present = attendance(review)
    delegates = list(review.delegates.select_related("member", "proxy_for"))
    ids = [d.member_id for d in delegates] + [review.unit_id]
    ids += [r.nomination.nominee_unit_id for r in results if r.nomination.nominee_unit_id]
    on_day = names_on(ids, review.held_on)
    names = {pk: name.label for pk, name in on_day.items()}
    return Minutes(
        review=review,
        ballot=ballot,
        delegates=delegates,
        total=total,
        present=present,
        results=results,
        proposals=[proposal_text(r, names) for r in results if r.passed],
        names=names,
        issuer=on_day[review.unit_id].name if review.unit_id in on_day else str(review.unit),
    )


def result_headers() -> list[str]:
    """The columns of the vote's result table (the minutes and the result workbook)."""
    return [_("Nominee"), _("Award"), _("Agree"), _("Disagree"), _("Abstain"), "%", _("Result")]


def result_rows(minutes: Minutes, percent: Callable[[Any], Any]) -> list[list[Any]]:
    """One row per nomination; `percent` renders the share (a document number or a text)."""
    return [
        [
            nominee,
            str(result.nomination.kind),
            result.agree,
            result.disagree,
            result.abstain,
            percent(result.percent),
            _("Passed") if result.passed else _("Not passed"),
        ]
        for result, nominee in minutes.result_rows
    ]


def minutes_document(minutes: Minutes) -> partydoc.PartyDocument:
    """The minutes in the Party's format (A4, the header of the issuing body, "BIÊN BẢN")."""
    review = minutes.review
    unit = review.unit
    parent = unit.parent
    parent_name = ""
    if parent is not None:
        parent_name = names_on([parent.pk], review.held_on).get(parent.pk, parent).name
    bodies = partydoc.bodies_of(minutes.issuer, parent_name, unit.short_name or unit.code)
    opening = [
        _("Held on %(day)s at %(place)s, to review %(campaign)s.")
        % {
            "day": f"{review.held_on.day}/{review.held_on.month}/{review.held_on.year}",
            "place": review.place,
            "campaign": review.campaign_review,
        }
    ]
    if review.participants:
        opening.append(_("Attended by: %(who)s.") % {"who": review.participants})
    opening.append(
        _("Delegates: %(present)d present or represented of %(total)d.")
        % {"present": minutes.present, "total": minutes.total}
    )
    for delegate, member_name in minutes.delegate_rows:
        line = f"- {delegate.name}"
        if delegate.position:
            line += f", {delegate.position}"
        line += f" ({member_name})"
        if not delegate.present:
            line += " — " + _("absent")
        if delegate.proxy_for_id:
            line += " — " + _("holds the proxy of %(name)s (%(paper)s)") % {
                "name": delegate.proxy_for.name,
                "paper": delegate.authorisation,
            }
        opening.append(line)
    tables = []
    if minutes.ballot is not None:
        opening.append(
            _("Voting: %(kind)s; %(valid)d valid ballots.")
            % {"kind": minutes.ballot.get_kind_display().lower(), "valid": _valid(minutes)}
        )
        tables.append(
            partydoc.Table(
                headers=result_headers(),
                rows=result_rows(minutes, lambda p: partydoc.Num(p, 1, percent=True)),
                numbered=False,
            )
        )
    sections = [partydoc.Section("", opening, tables)]
    conclusions = partydoc.paragraphs_of(review.conclusions)
    if conclusions:
        sections.append(partydoc.Section(_("Results, difficulties and key tasks:"), conclusions))
    sections.append(
        partydoc.Section(
            _("Conclusion:"), minutes.proposals or [_("No nomination reached its threshold.")]
        )
    )
    return partydoc.PartyDocument(
        issuer=bodies.issuer,
        superior=bodies.superior,
        number_suffix=f"BB/{bodies.symbol}",
        place=bodies.place or review.place,
        date=review.held_on,
        kind_title=_("MINUTES"),
        subject=review.title,
        sections=sections,
        signer_role="",
        signer_title=_("CHAIR OF THE CONFERENCE"),
        signer_name="",
    )


def minutes_html(minutes: Minutes) -> str:
    return partydoc.html(minutes_document(minutes))


def minutes_pdf(minutes: Minutes) -> bytes:
    return partydoc.pdf_bytes(minutes_document(minutes))


def minutes_docx(minutes: Minutes) -> bytes:
    return partydoc.docx_bytes(minutes_document(minutes))


def _valid(minutes: Minutes) -> int:
    return minutes.results[0].valid if minutes.results else 0
