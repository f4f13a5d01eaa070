"""Award review pages: the review (delegates, nominations with warnings, ballots and results,
the verbs), the ballot paper for a delegate's device, the secretary's paper-ballot entry, and
the minutes and result table as Word, PDF and Excel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from noichinh.core.audit import audit_record
from noichinh.core.forms import add_service_errors
from noichinh.core.models import AuditAction
from noichinh.core.office import DOCX, Sheet, office_response
from noichinh.core.record_actions import RecordAction
from noichinh.core.scoping import can_on
from noichinh.core.text import format_date, format_percent
from noichinh.core.views import VerbDetailView, render_verb_error
from noichinh.units.models import names_on

from . import minutes as minutes_module
from . import services
from .choices import BallotStatus
from .forms import OpenBallotForm, PaperForm, VoteForm
from .models import AwardReview, Ballot, Delegate, Nomination
from .resources import AwardReviewResource


def _open_ballot(review: AwardReview) -> Ballot | None:
    return review.ballots.filter(status=BallotStatus.OPEN).first()


class ReviewDetailView(VerbDetailView):
    def detail_extra(self, obj: AwardReview) -> dict[str, Any]:
        user = self.request.user
        nominations = list(
            Nomination.objects.restrict(user, "view")
            .filter(review=obj)
            .select_related("kind", "nominee_unit", "unit")
            .order_by("id")
        )
        ballot = _open_ballot(obj)
        rights = services.voting_rights(ballot, user) if ballot else []
        voted = (
            set(ballot.participations.filter(voted=True).values_list("delegate_id", flat=True))
            if ballot
            else set()
        )
        results = services.ballot_results(obj)
        total, present = services.attendance(obj)
        delegates = list(
            obj.delegates.select_related("member", "proxy_for").order_by("member__code", "name")
        )
        # Units as they were named on the day of the review (one query).
        on_day = names_on(
            [d.member_id for d in delegates]
            + [r.nomination.nominee_unit_id for r in results if r.nomination.nominee_unit_id],
            obj.held_on,
        )
        names = {pk: name.label for pk, name in on_day.items()}
        return {
            "delegates": [
                (d, names.get(d.member_id, d.member.short_name or d.member.name)) for d in delegates
            ],
            "nominations": [(n, services.nomination_warnings(n)) for n in nominations],
            "ballots": obj.ballots.order_by("number"),
            "open_ballot": ballot,
            "participated": len(voted),
            "my_votes": [(d, holder, d.pk in voted) for d, holder in rights],
            "results": [(r, minutes_module.nominee_name(r, names)) for r in results],
            "proposals": [minutes_module.proposal_text(r, names) for r in results if r.passed],
            "total": total,
            "present": present,
            "quorum_met": services.quorum_met(obj, total, present),
            "can_run": can_on(user, "change", obj),
        }

    def verb_actions(self, obj: AwardReview, context: dict[str, Any]) -> list[RecordAction | None]:
        """Open a ballot only when the service would (not on a finished review); enter paper
        ballots and close only while one is open; the minutes are downloads."""
        ballot = context["open_ballot"]
        minutes = reverse("awards:review_minutes", args=[obj.pk])
        run = context["can_run"]
        return [
            RecordAction("open", _("Open a ballot"))
            if run and ballot is None and services.ballot_open_refusal(obj) is None
            else None,
            RecordAction("paper", _("Enter paper ballots counted by hand"))
            if run and ballot is not None
            else None,
            RecordAction("close", _("Close the ballot")) if run and ballot is not None else None,
            RecordAction("minutes_docx", _("Minutes (Word)"), f"{minutes}?format=docx"),
            RecordAction("minutes_pdf", _("Minutes (PDF)"), f"{minutes}?format=pdf"),
            RecordAction("minutes_xlsx", _("Result table (Excel)"), f"{minutes}?format=xlsx"),
        ]

    def verb_forms(self, obj: AwardReview) -> dict[str, Any]:
        ballot = _open_ballot(obj)
        nominations = list(obj.nominations.order_by("id"))
        forms: dict[str, Any] = {"open_form": OpenBallotForm()}
        if ballot is not None:
            forms["vote_form"] = VoteForm(nominations=nominations)
            forms["paper_form"] = PaperForm(
                delegates=_paper_delegates(ballot), nominations=nominations
            )
        return forms


def _paper_delegates(ballot: Ballot) -> list[Delegate]:
    voted = set(ballot.participations.filter(voted=True).values_list("delegate_id", flat=True))
    return [d for d in ballot.review.delegates.filter(present=True) if d.pk not in voted]


def _review(request: HttpRequest, pk: int) -> AwardReview:
    return get_object_or_404(
        AwardReview.objects.restrict(request.user, "view").select_related(
            "unit", "cluster", "campaign_review__campaign"
        ),
        pk=pk,
    )


def _done(request: HttpRequest, pk: int, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("awards:awardreview_detail", pk=pk)


def _refused(request: HttpRequest, pk: int, **bound: Any) -> HttpResponse:
    return render_verb_error(request, ReviewDetailView, AwardReviewResource, pk, **bound)


@login_required
@require_POST
def ballot_open(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = OpenBallotForm(request.POST)
    if form.is_valid():
        try:
            services.ballot_open(user=request.user, review=review, kind=form.cleaned_data["kind"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, pk, _("The ballot is open."))
    return _refused(request, pk, open_form=form)


@login_required
@require_POST
def ballot_close(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    ballot = _open_ballot(review)
    if ballot is None:
        messages.error(request, _("No ballot is open."))
        return redirect("awards:awardreview_detail", pk=pk)
    services.ballot_close(user=request.user, ballot=ballot)
    return _done(request, pk, _("The ballot is closed and its result published."))


@login_required
@require_POST
def ballot_vote(request: HttpRequest, pk: int, delegate_pk: int) -> HttpResponse:
    review = _review(request, pk)
    ballot = _open_ballot(review)
    nominations = list(review.nominations.order_by("id"))
    form = VoteForm(request.POST, nominations=nominations)
    delegate = get_object_or_404(Delegate, pk=delegate_pk, review=review)
    if ballot is None:
        messages.error(request, _("No ballot is open."))
        return redirect("awards:awardreview_detail", pk=pk)
    if form.is_valid():
        try:
            services.ballot_cast(
                user=request.user, ballot=ballot, delegate=delegate, choices=form.choices()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, pk, _("Your vote is recorded."))
    return _refused(request, pk, vote_form=form)


@login_required
@require_POST
def ballot_paper(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    ballot = _open_ballot(review)
    if ballot is None:
        messages.error(request, _("No ballot is open."))
        return redirect("awards:awardreview_detail", pk=pk)
    nominations = list(review.nominations.order_by("id"))
    form = PaperForm(request.POST, delegates=_paper_delegates(ballot), nominations=nominations)
    if form.is_valid():
        try:
            services.ballot_enter_paper(
                user=request.user,
                ballot=ballot,
                delegates=list(form.cleaned_data["delegates"]),
                counts=form.counts(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, pk, _("The paper ballots are entered."))
    return _refused(request, pk, paper_form=form)


@login_required
def review_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as Word (default) or PDF; the result table as Excel."""
    review = _review(request, pk)
    minutes = minutes_module.minutes_for(review)
    fmt = request.GET.get("format", "docx")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        sheet = Sheet(
            title=_("Result of the vote: %(review)s") % {"review": review.title},
            issuer=minutes.issuer,
            subtitle=f"{review.place}, {format_date(review.held_on)}",
            headers=minutes_module.result_headers(),
            rows=minutes_module.result_rows(
                minutes, lambda p: format_percent(p) if p is not None else "—"
            ),
            notes=minutes.proposals,
        )
        return office_response(
            request,
            sheet,
            kind="xlsx",
            name=f"ket-qua-binh-xet-{pk}",
            object_type="awards.awardreview",
        )
    if fmt == "pdf":
        try:
            content, mime, ext = minutes_module.minutes_pdf(minutes), "application/pdf", "pdf"
        except OSError:  # the system's pango libraries are missing
            messages.error(request, _("PDF output is not available on this server; use Word."))
            return redirect("awards:awardreview_detail", pk=pk)
    else:
        content, mime, ext = minutes_module.minutes_docx(minutes), DOCX, "docx"
    audit_record(
        action=AuditAction.EXPORT,
        user=request.user,
        object_type="awards.awardreview",
        object_repr=f"{review} ({ext})",
        message=_("Minutes"),
    )
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="bien-ban-{pk}-{stamp}.{ext}"'
    return response
