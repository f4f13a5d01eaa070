"""Petition pages beyond the generic ones: the petition page with the verbs' small forms, the
verbs (POST only; on an error the page comes back with what was typed), the leaders' summary,
the overdue list, and the holiday calendar."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from noichinh.core.audit import audit_record, diff, snapshot
from noichinh.core.comparisons import Comparison, Polarity
from noichinh.core.forms import DateInput, add_service_errors
from noichinh.core.listing import restrict_choices, scope_unit, subtree_unit
from noichinh.core.models import AuditAction
from noichinh.core.record_actions import RecordAction
from noichinh.core.scoping import can, can_on, user_roles
from noichinh.core.views import ObjectDetailView, ObjectEditView
from noichinh.units.models import Unit

from . import clock, identity, selectors, services
from .choices import OUTCOMES_BY_KIND, PetitionField, PetitionKind, PetitionStatus
from .forms import (
    ClassifyForm,
    ExtendForm,
    FollowUpForm,
    HolidayForm,
    PauseForm,
    ResolveForm,
    ResumeForm,
)
from .models import Holiday, Petition
from .resources import PetitionResource, may_see_identity

# -- the petition page ------------------------------------------------------------------------


class PetitionDetailView(ObjectDetailView):
    bound: dict[str, Any]

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        obj = extra.get("object")
        if isinstance(obj, Petition):
            context.update(self.detail_extra(obj))
            context.update({**self.verb_forms(obj), **getattr(self, "bound", {})})
        return context

    def detail_extra(self, obj: Petition) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        rule = clock.find_rule(obj.kind, clock.RESOLVE, obj.complaint_round)
        classify_rule = clock.find_rule(obj.kind, clock.CLASSIFY, obj.complaint_round)
        show_identity = may_see_identity(user, obj)
        if show_identity and self.request.GET.get("tab", "info") != "history":
            identity.log_identity_view(
                user=user, petitions=[obj], where=identity.PAGE, request=self.request
            )
        return {
            "show_identity": show_identity,
            "can_change": can_on(user, "change", obj),
            "extensions": obj.extensions.select_related("document"),
            "pauses": obj.pauses.all(),
            "duplicates": selectors.petition_duplicates(user, obj)
            if obj.status == PetitionStatus.RECEIVED
            else [],
            "state": obj.state_on(today),
            "days_overdue": obj.days_overdue_on(today),
            "today": today,
            "rule": rule,
            "classify_rule": classify_rule,
            "can_extend": bool(rule and rule.extensions_allowed(obj.complexity)),
        }

    def requested_action(self) -> str | None:
        for name in getattr(self, "bound", {}):  # a refused form stays open
            return name.removesuffix("_form")
        return super().requested_action()

    def verb_actions(self, obj: Petition, context: dict[str, Any]) -> list[RecordAction | None]:
        """The verbs the services would accept now (`petition_refusal`, the services' own
        rule); an extension also needs a law that allows one for this kind of petition."""
        if not context["can_change"]:
            return []
        labels = {
            "classify": _("Classify and route"),
            "resolve": _("Resolve"),
            "pause": _("Pause the clock"),
            "extend": _("Extend by decision"),
            "resume": _("Resume the clock"),
            "follow_up": _("Follow-up of the decision"),
        }
        return [
            RecordAction(verb, label)
            if services.petition_refusal(obj, verb) is None
            and (verb != "extend" or context["can_extend"])
            else None
            for verb, label in labels.items()
        ]

    def verb_forms(self, obj: Petition) -> dict[str, Any]:
        today = timezone.localdate()
        classify = ClassifyForm(initial={"on": today})
        restrict_choices(classify, self.request.user, "view", Petition)
        extend = ExtendForm(initial={"decided_on": today})
        restrict_choices(extend, self.request.user, "view", Petition)
        return {
            "classify_form": classify,
            "extend_form": extend,
            "pause_form": PauseForm(initial={"start": today}),
            "resume_form": ResumeForm(initial={"end": today}),
            "resolve_form": ResolveForm(
                initial={"resolved_on": today}, outcomes=OUTCOMES_BY_KIND.get(obj.kind, ())
            ),
            "follow_up_form": FollowUpForm(initial={"follow_up": obj.follow_up or None}),
        }


class PetitionEditView(ObjectEditView):
    """The generic edit page, without the identity fields for who may not see them."""

    def form_for(self, data: Any = None, files: Any = None, instance: Any = None) -> Any:
        form = super().form_for(data, files, instance)
        if instance is not None and not may_see_identity(self.request.user, instance):
            form.hide_identity()
        elif instance is not None and self.request.method == "GET":
            # The form filled with the stored identity (a save shows nothing new).
            identity.log_identity_view(
                user=self.request.user,
                petitions=[instance],
                where=identity.EDIT,
                request=self.request,
            )
        return form


def _render_error(request: HttpRequest, pk: int, **bound: Any) -> HttpResponse:
    view = PetitionDetailView(resource=PetitionResource)
    view.setup(request, pk=pk)
    view.bound = bound
    response = view.get(request, pk)
    response.status_code = 400
    return response


def _petition(request: HttpRequest, pk: int) -> Petition:
    return get_object_or_404(Petition.objects.restrict(request.user, "view"), pk=pk)


def _verb(
    request: HttpRequest,
    pk: int,
    form: forms.Form,
    form_key: str,
    service: Any,
    done: str,
) -> HttpResponse:
    petition = _petition(request, pk)
    if form.is_valid():
        try:
            service(user=request.user, petition=petition, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)  # PermissionDenied: the 403 page
        else:
            messages.success(request, done)
            return redirect("petitions:petition_detail", pk=pk)
    return _render_error(request, pk, **{form_key: form})


@login_required
@require_POST
def petition_classify(request: HttpRequest, pk: int) -> HttpResponse:
    form = ClassifyForm(request.POST)
    restrict_choices(form, request.user, "view", Petition)
    return _verb(
        request,
        pk,
        form,
        "classify_form",
        services.petition_classify,
        _("The petition is classified."),
    )


@login_required
@require_POST
def petition_extend(request: HttpRequest, pk: int) -> HttpResponse:
    form = ExtendForm(request.POST)
    restrict_choices(form, request.user, "view", Petition)
    return _verb(
        request, pk, form, "extend_form", services.petition_extend, _("The extension is recorded.")
    )


@login_required
@require_POST
def petition_pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _verb(
        request,
        pk,
        PauseForm(request.POST),
        "pause_form",
        services.petition_pause,
        _("The clock is paused."),
    )


@login_required
@require_POST
def petition_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _verb(
        request,
        pk,
        ResumeForm(request.POST),
        "resume_form",
        services.petition_resume,
        _("The clock runs again."),
    )


@login_required
@require_POST
def petition_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _petition(request, pk)
    form = ResolveForm(request.POST, outcomes=OUTCOMES_BY_KIND.get(petition.kind, ()))
    return _verb(
        request,
        pk,
        form,
        "resolve_form",
        services.petition_resolve,
        _("The resolution is recorded."),
    )


@login_required
@require_POST
def petition_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _verb(
        request,
        pk,
        FollowUpForm(request.POST),
        "follow_up_form",
        services.petition_record_follow_up,
        _("The follow-up is recorded."),
    )


# -- the leaders' summary ---------------------------------------------------------------------


class DashboardForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput())
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All")), *PetitionKind.choices],
    )
    field = forms.ChoiceField(
        label=gettext_lazy("Field"),
        required=False,
        choices=[("", gettext_lazy("All")), *PetitionField.choices],
    )


def _query(**params: Any) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


# The inspectorate's columns, in the order of its forms: (key, label, polarity).
COLUMNS: list[tuple[str, Any, str]] = [
    ("carried_over", gettext_lazy("Carried over from the previous period"), Polarity.NEUTRAL),
    ("new", gettext_lazy("Accepted in the period"), Polarity.NEUTRAL),
    ("to_resolve", gettext_lazy("Total to be resolved"), Polarity.NEUTRAL),
    ("resolved", gettext_lazy("Resolved"), Polarity.HIGHER_BETTER),
    ("resolved_on_time", gettext_lazy("On time"), Polarity.HIGHER_BETTER),
    ("resolved_late", gettext_lazy("Late"), Polarity.HIGHER_WORSE),
    ("carried_forward", gettext_lazy("Carried forward to the next period"), Polarity.NEUTRAL),
    ("carried_forward_overdue", gettext_lazy("Of which overdue"), Polarity.HIGHER_WORSE),
]


def statistics_rows(
    stats: selectors.Statistics,
    stats_ly: selectors.Statistics,
    link: Any,
) -> list[dict[str, Any]]:
    """One cell per column: the value, the same period last year, the change, the links."""
    params = selectors.figure_params
    cells = []
    for key, label, polarity in COLUMNS:
        value, last = getattr(stats, key), getattr(stats_ly, key)
        cells.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "last": last,
                "comparison": Comparison(value, last, polarity),
                "url": link(stats.end, **params(key, stats.start, stats.end)),
                "url_last": link(stats_ly.end, **params(key, stats_ly.start, stats_ly.end)),
            }
        )
    return cells


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The inspectorate's petition statistics (carried over, accepted in the period, to be
    resolved, resolved on time / late, carried forward, rate), received, overdue and due soon,
    with the same period last year; by unit, kind and field. Every figure links to the
    petitions behind it. A past window counts each petition for the unit that held it then."""
    user = request.user
    if not can(user, "view", Petition):
        raise PermissionDenied(_("You have no role that lets you see this list."))
    today = timezone.localdate()
    form = DashboardForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start = data.get("start") or dt.date(today.year, 1, 1)
    end = data.get("end") or today
    if end < start:
        start, end = end, start
    kind = data.get("kind") or ""
    field = data.get("field") or ""
    queryset = selectors.visible(user).within(scope_unit(request))
    subtree = subtree_unit(request)
    # The selectors narrow to the unit: for a window, to what its subtree held then.
    unit = subtree or scope_unit(request) or selectors.home_unit(user)
    if kind:
        queryset = queryset.filter(kind=kind)
    if field:
        queryset = queryset.filter(field=field)
    attribution = selectors.Attribution.of(unit, end) if unit is not None else None
    total = selectors.summary(queryset, start, end, today, attribution=attribution)
    ly_start, ly_end = selectors.shift_year(start), selectors.shift_year(end)
    base = {"kind": kind, "field": field, "trong": unit.pk if unit else ""}
    list_url = reverse("petitions:petition_list")

    def link(as_of: dt.date | None, **params: Any) -> str:
        day = {"ngay": as_of.strftime("%d/%m/%Y")} if as_of and unit else {}
        return f"{list_url}?{_query(**{**base, **day, **params})}"

    current, last_year = total.current, total.last_year
    columns = statistics_rows(current, last_year, link)
    received = {
        "label": _("Petitions received"),
        "value": current.received,
        "last": last_year.received,
        "comparison": Comparison(
            Decimal(current.received), Decimal(last_year.received), Polarity.NEUTRAL
        ),
        "url": link(end, **selectors.figure_params("received", start, end)),
        "url_last": link(ly_end, **selectors.figure_params("received", ly_start, ly_end)),
    }
    # By unit: the branches directly below the unit (the country: its provinces and central
    # departments), each a link down to its own summary; never the whole flattened tree.
    by = {
        name: selectors.breakdown(
            queryset,
            "branch" if name == "unit" else name,
            start,
            end,
            today,
            unit=unit,
            attribution=attribution,
        )
        for name in ("unit", "kind", "field")
    }
    here = reverse("petitions:dashboard")
    for name, rows in by.items():
        for r in rows:
            if name == "unit":
                # The branch's whole subtree (its own petitions only for the unit itself).
                narrow = {"trong": r["unit"].pk} if not r["own"] else {"unit": r["unit"].pk}
                r["drill_url"] = (
                    ""
                    if r["own"]
                    else f"{here}?"
                    + _query(
                        start=start.strftime("%d/%m/%Y"),
                        end=end.strftime("%d/%m/%Y"),
                        kind=kind,
                        field=field,
                        trong=r["unit"].pk,
                    )
                )
            else:
                narrow = {name: r["value"]}

            def row_link(as_of: dt.date | None, narrow: Any = narrow, **params: Any) -> str:
                return link(as_of, **narrow, **params)

            r["cells"] = statistics_rows(r["stats"], r["stats_ly"], row_link)
            r["received_url"] = row_link(end, **selectors.figure_params("received", start, end))
            r["overdue_url"] = row_link(None, deadline="overdue")
    context = {
        "form": form,
        "start": start,
        "end": end,
        "ly_start": ly_start,
        "ly_end": ly_end,
        "today": today,
        "unit": unit,
        "received": received,
        "columns": columns,
        "cards": [received, *columns],
        "unlike": None
        if attribution is None or attribution.same_units
        else _(
            "The two periods do not cover the same units (the tree was reorganised): "
            "%(now)d units in this period, %(before)d in the same period last year; each "
            "petition counts for the unit that held it then."
        )
        % {"now": len(attribution.units), "before": len(attribution.units_ly)},
        "statistics": current,
        "statistics_ly": last_year,
        "rate": current.rate,
        "rate_last": last_year.rate,
        "overdue": total.overdue,
        "due_soon": total.due_soon,
        "overdue_url": link(None, deadline="overdue"),
        "due_soon_url": link(None, deadline="due_soon"),
        "headers": [label for _key, label, _up in COLUMNS],
        "by_unit": by["unit"],
        "by_kind": by["kind"],
        "by_field": by["field"],
        "list_url": list_url,
        "subtree": subtree,
        "kind": kind,
        "field": field,
        "crumbs": [(_("Petitions"), None)],
    }
    return render(request, "petitions/dashboard.html", context)


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Overdue petitions with the days overdue, the longest first."""
    user = request.user
    if not can(user, "view", Petition):
        raise PermissionDenied(_("You have no role that lets you see this list."))
    today = timezone.localdate()
    queryset = selectors.petition_list_overdue(user, today).within(scope_unit(request))
    subtree = subtree_unit(request)
    if subtree is not None:
        queryset = queryset.within(subtree)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = [{"obj": p, "days": p.days_overdue_on(today), "due": p.current_due()} for p in page]
    context = {
        "page": page,
        "rows": rows,
        "total": page.paginator.count,
        "today": today,
        "subtree": subtree,
        "crumbs": [
            (_("Petitions"), reverse("petitions:dashboard")),
            (_("Overdue petitions"), None),
        ],
    }
    return render(request, "petitions/overdue.html", context)


# -- the holiday calendar -----------------------------------------------------------------------


def _is_system_admin(user: Any) -> bool:
    return "system_admin" in user_roles(user)


@login_required
def holidays(request: HttpRequest) -> HttpResponse:
    """The national holiday calendar the clock reads: everyone reads it, system
    administrators add and remove days (audited)."""
    manage = _is_system_admin(request.user)
    form = HolidayForm()
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("Only a system administrator changes the holiday calendar."))
        form = HolidayForm(request.POST)
        if form.is_valid():
            holiday = form.save()
            audit_record(
                action=AuditAction.CREATE,
                user=request.user,
                instance=holiday,
                changes=diff({}, snapshot(holiday)),
            )
            messages.success(request, _("Saved “%(name)s”.") % {"name": holiday})
            return redirect("petitions:holidays")
    try:
        year = int(request.GET.get("nam", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    if not 1900 <= year <= 2100:  # ?nam=0 or 99999 broke the year lookup (a 500)
        year = timezone.localdate().year
    years = sorted({d.year for d in Holiday.objects.dates("day", "year")} | {year})
    context = {
        "form": form,
        "manage": manage,
        "year": year,
        "years": years,
        "days": Holiday.objects.filter(day__year=year),
        "crumbs": [
            (_("Petitions"), reverse("petitions:dashboard")),
            (_("Public holidays"), None),
        ],
    }
    return render(request, "petitions/holidays.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not _is_system_admin(request.user):
        raise PermissionDenied(_("Only a system administrator changes the holiday calendar."))
    holiday = get_object_or_404(Holiday, pk=pk)
    before = snapshot(holiday)
    name = str(holiday)
    holiday.delete()
    audit_record(
        action=AuditAction.DELETE,
        user=request.user,
        object_type=Holiday._meta.label_lower,
        object_id=str(pk),
        object_repr=name,
        changes={k: [v, None] for k, v in before.items()},
    )
    messages.success(request, _("Deleted “%(name)s”.") % {"name": name})
    return redirect(f"{reverse('petitions:holidays')}?nam={before['day'][:4]}")


__all__ = ["Unit"]


@login_required
def petition_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The scanned petition, through the gate; a denunciation's only for the roles that see the
    denouncer (the letter names them). Every download is audited."""
    petition = get_object_or_404(Petition.objects.restrict(request.user, "view"), pk=pk)
    if not petition.attachment:
        raise Http404
    if petition.kind == PetitionKind.DENUNCIATION and not may_see_identity(request.user, petition):
        raise Http404
    try:
        handle = petition.attachment.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    audit_record(
        action=AuditAction.EXPORT,
        user=request.user,
        instance=petition,
        message=_("Attachment downloaded"),
    )
    # The letter names the denouncer: a view of the identity too.
    identity.log_identity_view(
        user=request.user, petitions=[petition], where=identity.ATTACHMENT, request=request
    )
    name = os.path.basename(petition.attachment.name)
    return FileResponse(handle, as_attachment=True, filename=name)
