"""Campaign pages: the dashboard, a campaign, a registration with its targets and progress
(and the verbs), the cluster's review table, and their Excel and Word exports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from noichinh.core.forms import add_service_errors
from noichinh.core.office import Sheet, office_response
from noichinh.core.record_actions import RecordAction
from noichinh.core.scoping import can, can_on, user_scope
from noichinh.core.text import format_date, format_number, format_percent
from noichinh.core.views import VerbDetailView, render_verb_error
from noichinh.units.models import Cluster

from . import progress, services
from .choices import RegistrationStatus
from .forms import AmendForm, RequestChildrenForm, ReturnForm, SetTargetForm
from .models import Campaign, Review, Target, TargetChange, TargetRegistration
from .resources import TargetRegistrationResource


def _pct(value: Decimal | None) -> str:
    return format_percent(value, 1) if value is not None else "—"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, "view", TargetRegistration):
        raise PermissionDenied(_("You have no role that lets you see this list."))
    campaigns = list(
        Campaign.objects.restrict(user, "view").select_related("plan").prefetch_related("reviews")
    )
    registrations = (
        TargetRegistration.objects.restrict(user, "view")
        .select_related("unit", "campaign")
        .order_by("campaign", "unit__path")[:100]
    )
    clusters = Cluster.objects.restrict(user, "view").order_by("code")
    return render(
        request,
        "campaigns/dashboard.html",
        {
            "campaigns": campaigns,
            "registrations": registrations,
            "clusters": clusters,
            "crumbs": [(_("Emulation"), None)],
        },
    )


class CampaignDetailView(VerbDetailView):
    def detail_extra(self, obj: Campaign) -> dict[str, Any]:
        user = self.request.user
        return {
            "criteria": obj.criteria.order_by("number"),
            "reviews": obj.reviews.order_by("cutoff_on"),
            "registrations": TargetRegistration.objects.restrict(user, "view")
            .filter(campaign=obj)
            .select_related("unit")
            .order_by("unit__path"),
            "clusters": Cluster.objects.restrict(user, "view").order_by("code"),
        }


def _pick_review(request: HttpRequest, campaign: Campaign) -> Review | None:
    reviews = list(campaign.reviews.order_by("cutoff_on"))
    raw = request.GET.get("review", "")
    if raw == "0":
        return None
    for review in reviews:
        if str(review.pk) == raw:
            return review
    today = timezone.localdate()
    past = [r for r in reviews if r.cutoff_on <= today]
    return past[-1] if past else (reviews[0] if reviews else None)


class RegistrationDetailView(VerbDetailView):
    def detail_extra(self, obj: TargetRegistration) -> dict[str, Any]:
        user = self.request.user
        review = _pick_review(self.request, obj.campaign)
        reviews = list(obj.campaign.reviews.order_by("cutoff_on"))
        targets = progress.targets_of(obj)
        grid = []
        for criterion in obj.campaign.criteria.order_by("number"):
            cells = [targets.get((criterion.pk, None))] + [
                targets.get((criterion.pk, r.pk)) for r in reviews
            ]
            if any(c is not None for c in cells):
                grid.append((criterion, cells))
        children = [
            (child, rows)
            for child, rows in progress.children_progress(obj, review, viewer=user)
            if can_on(user, "view", child)
        ]
        result = progress.registration_unit_progress(
            obj, review, children=[c for c, _r in children], viewer=user
        )
        parent = obj.unit.parent
        approve_scope = user_scope(user, "approve", TargetRegistration)
        return {
            "review": review,
            "reviews": reviews,
            "grid": grid,
            "rows": result.rows,
            "merged_note": result.merged_note,
            "predecessors": result.predecessors,
            "children": children,
            "changes": TargetChange.objects.restrict(user, "view")
            .filter(target__registration=obj)
            .select_related("target__criterion", "target__review", "changed_by"),
            "can_change": can_on(user, "change", obj),
            "can_decide": parent is not None and approve_scope.covers(parent.path),
        }

    def verb_actions(
        self, obj: TargetRegistration, context: dict[str, Any]
    ) -> list[RecordAction | None]:
        """The services' rules: targets are set and submitted while the registration is
        editable, amended after; the level above decides on a submitted one."""
        change, decide = context["can_change"], context["can_decide"]
        editable = obj.editable
        review = context.get("review")
        query = f"&review={review.pk}" if review else ""
        export = reverse("campaigns:registration_export", args=[obj.pk])
        return [
            RecordAction("set", _("Register a target")) if change and editable else None,
            RecordAction("submit", _("Submit to the level above")) if change and editable else None,
            # an ended campaign is judged on the targets it had (services.amend_refusal)
            RecordAction("amend", _("Amend a target"))
            if change and not editable and services.amend_refusal(obj) is None
            else None,
            RecordAction("request", _("Ask the units below to register"))
            if change and context["request_form"].fields
            else None,
            RecordAction("approve", _("Approve"))
            if decide and obj.status == RegistrationStatus.SUBMITTED
            else None,
            RecordAction("return", _("Return"))
            if decide and obj.status == RegistrationStatus.SUBMITTED
            else None,
            RecordAction("xlsx", _("Export to Excel"), f"{export}?format=xlsx{query}"),
            RecordAction("docx", _("Export to Word"), f"{export}?format=docx{query}"),
        ]

    def verb_forms(self, obj: TargetRegistration) -> dict[str, Any]:
        return {
            "set_form": SetTargetForm(registration=obj),
            "amend_form": AmendForm(registration=obj),
            "return_form": ReturnForm(),
            "request_form": RequestChildrenForm(registration=obj),
        }


def _registration(request: HttpRequest, pk: int) -> TargetRegistration:
    return get_object_or_404(
        TargetRegistration.objects.restrict(request.user, "view").select_related(
            "campaign", "unit"
        ),
        pk=pk,
    )


def _verb(
    request: HttpRequest,
    pk: int,
    form: Any,
    form_key: str,
    call: Any,
    done: str,
) -> HttpResponse:
    """A valid form calls the service; a refusal comes back on the registration's page with
    what was typed (status 400)."""
    if form is None or form.is_valid():
        try:
            call(form.cleaned_data if form is not None else {})
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("campaigns:targetregistration_detail", pk=pk)
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("campaigns:targetregistration_detail", pk=pk)
    bound = {form_key: form} if form is not None else {}
    return render_verb_error(
        request, RegistrationDetailView, TargetRegistrationResource, pk, **bound
    )


@login_required
@require_POST
def registration_set_target(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    form = SetTargetForm(request.POST, registration=registration)
    return _verb(
        request,
        pk,
        form,
        "set_form",
        lambda data: services.target_set(user=request.user, registration=registration, **data),
        _("Target saved."),
    )


@login_required
@require_POST
def registration_amend(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    form = AmendForm(request.POST, registration=registration)

    def call(data: dict[str, Any]) -> Any:
        target = Target.objects.filter(
            registration=registration, criterion=data["criterion"], review=data["review"]
        ).first()
        if target is None:
            raise ValidationError({"criterion": _("No target is registered for this.")})
        return services.target_amend(
            user=request.user, target=target, value=data["value"], reason=data["reason"]
        )

    return _verb(request, pk, form, "amend_form", call, _("Target amended."))


@login_required
@require_POST
def registration_submit(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    return _verb(
        request,
        pk,
        None,
        "",
        lambda data: services.registration_submit(user=request.user, registration=registration),
        _("Registration submitted to the level above."),
    )


@login_required
@require_POST
def registration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    return _verb(
        request,
        pk,
        None,
        "",
        lambda data: services.registration_approve(user=request.user, registration=registration),
        _("Registration approved."),
    )


@login_required
@require_POST
def registration_return(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    form = ReturnForm(request.POST)
    return _verb(
        request,
        pk,
        form,
        "return_form",
        lambda data: services.registration_return(
            user=request.user, registration=registration, reason=data["reason"]
        ),
        _("Registration returned."),
    )


@login_required
@require_POST
def registration_request(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    form = RequestChildrenForm(request.POST, registration=registration)

    def call(data: dict[str, Any]) -> Any:
        created = services.registration_request_children(
            user=request.user, registration=registration, proposals=form.proposals()
        )
        messages.info(
            request, _("%(count)d units were asked to register.") % {"count": len(created)}
        )

    return _verb(request, pk, form, "request_form", call, _("Request sent."))


# -- the cluster's review table --------------------------------------------------------------


def _review_param(request: HttpRequest) -> Review:
    raw = request.GET.get("review", "")
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(
        Review.objects.restrict(request.user, "view").select_related("campaign"), pk=int(raw)
    )


def cluster_sheet(cluster: Cluster, review: Review, table: progress.ClusterTable) -> Sheet:
    headers: list[str] = [_("Committee")]
    for criterion in table.criteria:
        headers += [
            f"{criterion.number}. {criterion.name}: {_('target')}",
            _("actual"),
            "%",
        ]
    headers += [_("Score"), _("Rank")]
    rows = []
    for row in table.rows:
        line: list[Any] = [row.name]
        for criterion in table.criteria:
            cell = row.cells.get(criterion.pk)
            if cell is None:
                line += ["", "", ""]
            else:
                line += [cell.target or "", cell.actual, _pct(cell.percent)]
        if row.merged_into is not None and not row.has_figures:
            line += [row.note, ""]
        else:
            line += [_pct(row.score), row.rank or ""]
        rows.append(line)
    footer: list[Any] = [_("Cluster total")]
    for criterion in table.criteria:
        actual, target, pct = table.totals[criterion.pk]
        footer += [target, actual, _pct(pct)]
    footer += ["", ""]
    notes = [table.met_all_text]
    notes += [f"{row.name}: {row.note}" for row in table.rows if row.counted_until]
    notes.append(table.rule_text)
    return Sheet(
        title=_("Results of %(cluster)s: %(review)s") % {"cluster": cluster, "review": review},
        issuer=str(cluster.unit),
        subtitle=_("%(campaign)s; records up to %(day)s")
        % {"campaign": review.campaign, "day": f"{format_date(review.cutoff_on)}"},
        headers=headers,
        rows=rows,
        footer=footer,
        notes=notes,
    )


@login_required
def cluster_review(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(Cluster.objects.restrict(request.user, "view"), pk=pk)
    campaigns = Campaign.objects.restrict(request.user, "view")
    reviews = Review.objects.filter(campaign__in=campaigns).select_related("campaign")
    if "review" not in request.GET:
        latest = reviews.filter(cutoff_on__lte=timezone.localdate()).order_by("-cutoff_on").first()
        if latest is None:
            return render(
                request,
                "campaigns/cluster_review.html",
                {"cluster": cluster, "reviews": reviews, "table": None},
            )
        review = latest
    else:
        review = _review_param(request)
    table = progress.cluster_table(cluster, review.campaign, review, viewer=request.user)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "docx"):
        return office_response(
            request,
            cluster_sheet(cluster, review, table),
            kind=fmt,
            name=f"ket-qua-{cluster.code}".lower(),
            object_type="campaigns.review",
        )
    return render(
        request,
        "campaigns/cluster_review.html",
        {
            "cluster": cluster,
            "review": review,
            "reviews": reviews,
            "table": table,
            "crumbs": [(_("Emulation"), "campaigns:dashboard"), (str(cluster), None)],
        },
    )


@login_required
def registration_export(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    review = _pick_review(request, registration.campaign)
    result = progress.registration_unit_progress(registration, review)
    name = registration.unit.name_on(result.end).name
    sheet = Sheet(
        title=_("Emulation results of %(unit)s") % {"unit": name},
        issuer=name,
        subtitle=f"{registration.campaign}; {review or _('whole period')}",
        headers=[_("Criterion"), _("Target"), _("Actual"), "%", _("Assessment")],
        rows=[
            [
                f"{r.criterion.number}. {r.criterion.name}",
                format_number(r.target) if r.target is not None else "—",
                format_number(r.actual),
                _pct(r.percent),
                r.state_label,
            ]
            for r in result.rows
        ],
        notes=[result.merged_note] if result.merged_note else [],
    )
    fmt = request.GET.get("format", "xlsx")
    return office_response(
        request,
        sheet,
        kind=fmt,
        name=f"ket-qua-{registration.unit.code}".lower(),
        object_type="campaigns.targetregistration",
    )
