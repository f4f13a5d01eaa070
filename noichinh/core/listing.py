"""What a list shows: scope, filters, search, sort and page size, shared by the list page, its
htmx fragment and the Excel export so that an export is exactly what is filtered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .counts import within_on
from .ranking import ranked
from .resources import ModelResource
from .scoping import ScopedQuerySet, restrict_choice
from .text import fold

PAGE_SIZES = (25, 50, 100)


class OpenUnitChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of an owner-unit field without the units closed before today."""

    def __iter__(self) -> Any:
        from django.utils import timezone

        today = timezone.localdate()
        for value, label in super().__iter__():
            instance = getattr(value, "instance", None)
            closed_on = getattr(instance, "valid_to", None)
            if closed_on is not None and closed_on < today:
                continue
            yield value, label


def _is_owner_unit(field: Any, name: str, for_model: Any) -> bool:
    from .scoping import owner_field

    model = getattr(getattr(field, "queryset", None), "model", None)
    return (
        getattr(model, "scope_path_lookup", None) == "path"
        and for_model is not None
        and name == owner_field(for_model)
    )


def restrict_choices(
    form: forms.BaseForm, user: Any, action: str, for_model: type[models.Model] | None = None
) -> None:
    """Limit every choice of a scoped model in a form to what the user may use for the action."""
    meta = getattr(form, "_meta", None)
    for_model = for_model or getattr(meta, "model", None)
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and isinstance(queryset.all(), ScopedQuerySet):
            field.queryset = restrict_choice(queryset.all(), user, action, for_model, name)  # type: ignore[attr-defined]
            if action == "add" and _is_owner_unit(field, name, for_model):
                # A new record is not offered a closed unit; one posted anyway meets the
                # closed-unit guard, which names the heir (core.handover).
                field.iterator = OpenUnitChoiceIterator  # type: ignore[attr-defined]
            use_autocomplete(field, name, action, for_model)
        elif isinstance(field.widget, forms.NullBooleanSelect):
            # Django labels the empty choice "Unknown"; in a filter it means "all".
            field.widget.choices = [("unknown", _("All")), ("true", _("Yes")), ("false", _("No"))]


def use_autocomplete(
    field: Any, name: str, action: str, for_model: type[models.Model] | None
) -> None:
    """A choice of units, petitions, documents or cases (thousands nationally) becomes a search
    field (core.autocomplete) instead of a select that lists every record in scope."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from .autocomplete import is_autocompleted, model_label
    from .forms import AutocompleteSelect, AutocompleteSelectMultiple

    model = field.queryset.model
    if not is_autocompleted(model):
        return
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    widget = (AutocompleteSelectMultiple if multiple else AutocompleteSelect)()
    params = {"field": name, "action": action}
    if for_model is not None:
        params["for"] = model_label(for_model)
    widget.url = reverse("core:autocomplete", args=[model_label(model)]) + "?" + urlencode(params)
    widget.queryset = field.queryset
    widget.is_required = field.required
    field.widget = widget


EMPTY_LABELS = frozenset({"", "---------"})
COMMON_FILTERS = 4


def label_empty_choices(form: forms.BaseForm) -> None:
    """In a filter, the empty choice means every record: "All", not Django's "---------"."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            if field.empty_label is None or str(field.empty_label) in EMPTY_LABELS:
                field.empty_label = _("All")
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.MultipleChoiceField
        ):
            choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
            if choices and choices[0][0] in ("", None) and str(choices[0][1]) in EMPTY_LABELS:
                field.choices = [("", _("All")), *choices[1:]]


def split_filters(filterset: Any) -> None:
    """The filter bar shows the common filters and keeps the rest behind "More filters": the
    filterset's `common_filters` if it names them, else its first four. The rest open by
    themselves when one of them is in use, so an applied filter is never hidden."""
    form = filterset.form
    visible = list(form.visible_fields())
    names = getattr(filterset, "common_filters", None)
    common = [f for f in visible if f.name in names] if names else visible[:COMMON_FILTERS]
    more = [f for f in visible if f not in common]
    data = form.data if form.is_bound else {}
    filterset.common_fields = common
    filterset.more_fields = more
    unused = ("", None, "unknown")
    filterset.more_active = sum(1 for f in more if data.get(f.html_name, "") not in unused)


def scope_unit(request: HttpRequest) -> Any:
    """The unit picked in the top bar (session), re-checked against the gate on every request."""
    if not hasattr(request, "_scope_unit"):
        unit = None
        unit_id = request.session.get("scope_unit_id") if hasattr(request, "session") else None
        if unit_id is not None and request.user.is_authenticated:
            from django.apps import apps

            unit_model = apps.get_model("units", "Unit")
            unit = unit_model.objects.restrict(request.user, "view").filter(pk=unit_id).first()
        request._scope_unit = unit  # type: ignore[attr-defined]
    return request._scope_unit  # type: ignore[attr-defined]


@dataclass
class Listing:
    queryset: models.QuerySet[Any]
    filterset: Any
    query: str
    sort: str
    per_page: int
    subtree: Any = None


def subtree_unit(request: HttpRequest) -> Any:
    """The unit of `?trong=<id>` (a figure's link to the records behind it), if the user may
    see it; narrows a list to that unit's subtree, like the top-bar scope."""
    raw = request.GET.get("trong", "")
    if not raw.isdigit() or not request.user.is_authenticated:
        return None
    from django.apps import apps

    unit_model = apps.get_model("units", "Unit")
    return unit_model.objects.restrict(request.user, "view").filter(pk=int(raw)).first()


def tree_day(request: HttpRequest) -> dt.date | None:
    """The day of `?ngay=d/m/yyyy` that goes with `trong`: the subtree as the tree was that
    day. A 2023 figure of Quảng Trị does not count Quảng Bình (merged into it in 2025), and the
    list behind the figure must not show Quảng Bình's records either."""
    raw = request.GET.get("ngay", "").strip()
    try:
        return dt.datetime.strptime(raw, "%d/%m/%Y").date() if raw else None
    except ValueError:
        return None


def build_listing(request: HttpRequest, resource: type[ModelResource]) -> Listing:
    user = request.user
    base = resource.model.objects.restrict(user, "view")  # type: ignore[attr-defined]
    base = base.within(scope_unit(request))
    subtree = subtree_unit(request)
    if subtree is not None:
        base = within_on(base, subtree, tree_day(request))
    if resource.select_related:
        base = base.select_related(*resource.select_related)
    filterset = resource.get_filterset_class()(request.GET or None, queryset=base, request=request)
    restrict_choices(filterset.form, user, "view", resource.model)
    label_empty_choices(filterset.form)
    split_filters(filterset)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    query = request.GET.get("q", "").strip()[:200]
    if query and resource.search_fields:
        for word in fold(query).split():
            queryset = queryset.filter(search_text__contains=word)
    sort = request.GET.get("sort", "")
    allowed = set(resource.sortable)
    if sort.lstrip("-") in allowed:
        queryset = queryset.order_by(sort, "-pk" if sort.startswith("-") else "pk")
    elif query and resource.search_fields:
        sort = ""
        # The best matches first (the whole query, then its words as whole words).
        queryset = ranked(queryset, query, *resource.ordering)
    else:
        sort = ""
        queryset = queryset.order_by(*resource.ordering)
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        per_page = PAGE_SIZES[0]
    if per_page not in PAGE_SIZES:
        per_page = PAGE_SIZES[0]
    return Listing(queryset, filterset, query, sort, per_page, subtree)


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows: COUNT(*) over a log of millions grows with the log
    (bench: 44-80 ms per million entries on PostgreSQL), while nobody pages past the first
    thousands. `capped` tells the page to say "more than ..." and to suggest a filter."""

    cap = 10_000

    @property
    def count(self) -> int:
        if not hasattr(self, "_capped_count"):
            # No ORDER BY in the count: with it, PostgreSQL walks the id index backwards.
            rows = self.object_list.order_by()  # type: ignore[attr-defined]
            self._capped_count = rows[: self.cap + 1].count()
        return min(self._capped_count, self.cap)

    @property
    def capped(self) -> bool:
        self.count  # noqa: B018  (fills the cache)
        return self._capped_count > self.cap


def paginate(request: HttpRequest, listing: Listing) -> Page[Any]:
    # Counting every row in scope costs 150-250 ms at a million petitions (bench_registries);
    # past 10,000 the list says "more than" and a filter does the rest.
    paginator = CappedPaginator(listing.queryset, listing.per_page)
    return paginator.get_page(request.GET.get("page"))
