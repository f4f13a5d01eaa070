"""The minutes (biên bản) of a review conference and its result table, as Word and PDF, and the
list of proposals to send up ("100 % of delegates agreed to propose Quảng Bình for the Prime
Minister's Certificate of Merit")."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

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


def minutes_html(minutes: Minutes) -> str:
    return render_to_string("awards/minutes_print.html", {"m": minutes})


def minutes_pdf(minutes: Minutes) -> bytes:
    from weasyprint import HTML  # imported here: it needs the system's pango libraries

    return bytes(HTML(string=minutes_html(minutes)).write_pdf())


def minutes_docx(minutes: Minutes) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    review = minutes.review
    document = WordDocument()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    document.add_paragraph().add_run(minutes.issuer).bold = True
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("MINUTES"))
    run.bold = True
    run.font.size = Pt(15)
    heading = document.add_paragraph(review.title)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        _("Held on %(day)s at %(place)s, to review %(campaign)s.")
        % {
            "day": f"{review.held_on:%d/%m/%Y}",
            "place": review.place,
            "campaign": review.campaign_review,
        }
    )
    if review.participants:
        document.add_paragraph(_("Attended by: %(who)s.") % {"who": review.participants})
    document.add_paragraph(
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
        document.add_paragraph(line)
    if minutes.ballot is not None:
        document.add_paragraph(
            _("Voting: %(kind)s; %(valid)d valid ballots.")
            % {"kind": minutes.ballot.get_kind_display().lower(), "valid": _valid(minutes)}
        )
        table = document.add_table(rows=1, cols=7)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            [
                _("Nominee"),
                _("Award"),
                _("Agree"),
                _("Disagree"),
                _("Abstain"),
                "%",
                _("Result"),
            ],
            strict=True,
        ):
            cell.text = text
        for result, nominee in minutes.result_rows:
            cells = table.add_row().cells
            values = [
                nominee,
                str(result.nomination.kind),
                str(result.agree),
                str(result.disagree),
                str(result.abstain),
                format_percent(result.percent) if result.percent is not None else "—",
                _("Passed") if result.passed else _("Not passed"),
            ]
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
    if review.conclusions:
        document.add_paragraph(_("Results, difficulties and key tasks:")).runs[0].bold = True
        for line in review.conclusions.splitlines():
            if line.strip():
                document.add_paragraph(line.strip())
    document.add_paragraph(_("Conclusion:")).runs[0].bold = True
    for proposal in minutes.proposals or [_("No nomination reached its threshold.")]:
        document.add_paragraph(proposal)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _valid(minutes: Minutes) -> int:
    return minutes.results[0].valid if minutes.results else 0
