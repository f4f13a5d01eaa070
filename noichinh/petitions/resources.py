"""Declared resources of the petitions app, its derived counts and its navigation entry."""

from __future__ import annotations

from typing import Any

import django_filters
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noichinh.core.counts import DerivedCount, register_count
from noichinh.core.navigation import Area, register_area
from noichinh.core.permissions import Role
from noichinh.core.resources import ModelResource, register
from noichinh.core.scoping import can, can_on
from noichinh.core.text import fold

from . import clock
from .choices import Channel, DeadlineState, PetitionField, PetitionKind, PetitionStatus
from .forms import IdentityRetentionForm, PetitionForm, ReceptionSessionForm
from .models import IdentityRetention, Petition, ReceptionSession

# Who may see a denouncer's identity (Law on Denunciations 2018, Art. 47-48).
IDENTITY_ROLES = (Role.HEAD, Role.SYSTEM_ADMIN)


def may_see_identity(user: Any, petition: Petition) -> bool:
    return not petition.is_denunciation or can_on(user, "see_identity", petition)


def _units() -> Any:
    return apps.get_model("units", "Unit").objects.all()


class PetitionFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PetitionKind.choices, empty_label=_("All")
    )
    field = django_filters.ChoiceFilter(
        label=_("Field"), choices=PetitionField.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PetitionStatus.choices, empty_label=_("All")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, empty_label=_("All")
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=DeadlineState.choices,
        empty_label=_("All"),
        method="filter_deadline",
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Receiving unit"), queryset=lambda request: _units()
    )
    received_after = django_filters.DateFilter(
        label=_("Received from"), field_name="received_on", lookup_expr="gte"
    )
    received_before = django_filters.DateFilter(
        label=_("Received until"), field_name="received_on", lookup_expr="lte"
    )
    accepted_after = django_filters.DateFilter(
        label=_("Accepted from"), field_name="accepted_on", lookup_expr="gte"
    )
    accepted_before = django_filters.DateFilter(
        label=_("Accepted until"), field_name="accepted_on", lookup_expr="lte"
    )
    resolved_after = django_filters.DateFilter(
        label=_("Resolved from"), field_name="resolved_on", lookup_expr="gte"
    )
    resolved_before = django_filters.DateFilter(
        label=_("Resolved until"), field_name="resolved_on", lookup_expr="lte"
    )
    # The inspectorate's figures (selectors.statistics_q): "carried over into [S, E]" is
    # not_resolved_before=S and accepted_before=S-1; "to be resolved" is not_resolved_before=S
    # and accepted_before=E; "carried forward" is not_resolved_before=E+1 and accepted_before=E.
    not_resolved_before = django_filters.DateFilter(
        label=_("Accepted and not resolved before"), method="filter_not_resolved_before"
    )
    overdue_on = django_filters.DateFilter(label=_("Overdue on"), method="filter_overdue_on")
    was_accepted = django_filters.BooleanFilter(label=_("Accepted"), method="filter_was_accepted")

    # Open in the filter bar; the rest behind "More filters" (core.listing.split_filters).
    common_filters = ("kind", "status", "deadline", "unit")

    class Meta:
        model = Petition
        fields = [
            "kind",
            "field",
            "status",
            "channel",
            "deadline",
            "unit",
            "received_after",
            "received_before",
            "accepted_after",
            "accepted_before",
            "resolved_after",
            "resolved_before",
            "not_resolved_before",
            "overdue_on",
            "was_accepted",
        ]

    def filter_deadline(self, queryset: Any, name: str, value: str) -> Any:
        from . import selectors

        today = timezone.localdate()
        if value == DeadlineState.OVERDUE:
            return queryset.filter(selectors.overdue_q(today))
        if value == DeadlineState.DUE_SOON:
            return queryset.filter(selectors.due_soon_q(today))
        if value == DeadlineState.RESOLVED_ON_TIME:
            return queryset.filter(selectors.resolved_on_time_q())
        return queryset.filter(selectors.resolved_late_q())

    def filter_not_resolved_before(self, queryset: Any, name: str, value: Any) -> Any:
        from . import selectors

        return queryset.filter(selectors.not_resolved_before_q(value)) if value else queryset

    def filter_was_accepted(self, queryset: Any, name: str, value: Any) -> Any:
        if value is None:
            return queryset
        return queryset.filter(accepted_on__isnull=not value)

    def filter_overdue_on(self, queryset: Any, name: str, value: Any) -> Any:
        from . import selectors

        return queryset.filter(selectors.overdue_on_q(value)) if value else queryset


@register
class PetitionResource(ModelResource):
    model = Petition
    form = PetitionForm
    fields = tuple(PetitionForm.Meta.fields)
    list_columns = (
        "received_on",
        "reference",
        "kind",
        "field",
        "subject",
        "petitioner_display",
        "unit",
        "status",
        "deadline_display",
    )
    # Never the identity fields: exports print these (the page adds them for allowed roles).
    detail_fields = (
        "reference",
        "received_on",
        "channel",
        "kind",
        "complaint_round",
        "field",
        "subject",
        "summary",
        "petitioner_display",
        "accused",
        "session",
        "unit",
        "complexity",
        "remote_area",
        "status",
        "classified_on",
        "route_note",
        "forwarded_to",
        "duplicate_of",
        "classify_due_on",
        "accepted_on",
        "resolve_due_on",
        "paused_since",
        "resolved_on",
        "outcome",
        "resolution_note",
        "follow_up",
        "follow_up_note",
    )
    import_fields = (
        "unit",
        "reference",
        "received_on",
        "channel",
        "kind",
        "complaint_round",
        "field",
        "subject",
        "summary",
        "petitioner_name",
        "petitioner_address",
        "petitioner_id_number",
        "accused",
    )
    natural_keys = {"unit": "code"}
    filterset = PetitionFilterSet
    search_fields = ("reference", "subject", "summary", "accused", "petitioner_name")
    sortable = ("received_on", "reference", "subject", "status")
    ordering = ("-received_on", "-id")
    select_related = ("unit",)
    permissions = {"see_identity": IDENTITY_ROLES}
    url_prefix = "don/"
    area = "petitions"

    @classmethod
    def build_search_text(cls, instance: models.Model) -> str:
        """A denouncer's name never enters the search column."""
        assert isinstance(instance, Petition)
        parts = [instance.reference, instance.subject, instance.summary, instance.accused]
        if not instance.is_denunciation:
            parts.append(instance.petitioner_name)
        return fold(" ".join(p for p in parts if p))

    @classmethod
    def prepare_write(cls, instance: models.Model) -> None:
        from .services import refresh_deadlines

        assert isinstance(instance, Petition)
        refresh_deadlines(instance)

    @classmethod
    def bulk_prepare(cls) -> Any:
        """`prepare_write` for a whole import file: the holidays are read once, not per row."""
        from .services import compute_deadlines, holiday_set

        holidays = holiday_set()

        def prepare(petition: Any) -> None:
            try:
                petition.classify_due_on, petition.resolve_due_on = compute_deadlines(
                    petition, holidays
                )
            except clock.ClockError as error:
                raise ValidationError({"complexity": str(error)}) from error

        return prepare

    @classmethod
    def created_many(cls, instances: list[Any]) -> None:
        """The kept counts of a bulk insert, at once (what post_save does row by row)."""
        from . import aggregates

        aggregates.count_created([p.pk for p in instances])

    @classmethod
    def check_write(cls, user: Any, instance: models.Model, action: str) -> None:
        """Who may not see a denouncer's identity may not turn the denunciation into another
        kind (which would show the identity)."""
        assert isinstance(instance, Petition)
        if action != "change" or instance.pk is None:
            return
        stored = Petition.objects.filter(pk=instance.pk).values_list("kind", flat=True).first()
        if (
            stored == PetitionKind.DENUNCIATION
            and instance.kind != PetitionKind.DENUNCIATION
            and not can_on(user, "see_identity", instance)
        ):
            raise PermissionDenied(
                _("Only a head or a system administrator may change the kind of a denunciation.")
            )

    @classmethod
    def row_class(cls, obj: models.Model) -> str:
        assert isinstance(obj, Petition)
        state = obj.state_on(timezone.localdate())
        if state == clock.State.OVERDUE:
            return "table-danger"
        if state == clock.State.DUE_SOON:
            return "table-warning"
        return ""

    @classmethod
    def list_actions(cls, user: Any) -> list[tuple[str, str, bool]]:
        return [
            (str(_("Petition summary")), reverse("petitions:dashboard"), False),
            (str(_("Overdue")), reverse("petitions:overdue"), False),
        ]


@register
class ReceptionSessionResource(ModelResource):
    model = ReceptionSession
    form = ReceptionSessionForm
    fields = tuple(ReceptionSessionForm.Meta.fields)
    list_columns = ("held_on", "leader", "people", "place", "unit")
    detail_fields = ("held_on", "leader", "people", "place", "note", "unit")
    filter_fields = ("unit",)
    search_fields = ("leader", "place", "note")
    sortable = ("held_on", "leader", "people")
    ordering = ("-held_on", "-id")
    select_related = ("unit",)
    url_prefix = "tiep-cong-dan/"
    area = "petitions"


@register
class IdentityRetentionResource(ModelResource):
    """How long a petitioner's identity is kept after the petition is closed (per kind, for a
    unit's subtree): set by system administrators; `purge_identities` applies it daily."""

    model = IdentityRetention
    form = IdentityRetentionForm
    fields = tuple(IdentityRetentionForm.Meta.fields)
    list_columns = ("kind", "years", "unit")
    detail_fields = ("kind", "years", "note", "unit")
    filter_fields = ("kind",)
    ordering = ("unit__path", "kind")
    select_related = ("unit",)
    permissions = {
        "view": {Role.SYSTEM_ADMIN},
        "add": {Role.SYSTEM_ADMIN},
        "change": {Role.SYSTEM_ADMIN},
        "delete": {Role.SYSTEM_ADMIN},
    }
    url_prefix = "luu-giu-danh-tinh/"
    area = "admin"
    api = False


def _accepted(qs: Any) -> Any:
    return qs.filter(accepted_on__isnull=False)


def _resolved(qs: Any) -> Any:
    return qs.filter(status=PetitionStatus.RESOLVED)


def _resolved_on_time(qs: Any) -> Any:
    from .selectors import resolved_on_time_q

    return qs.filter(resolved_on_time_q())


def _resolved_late(qs: Any) -> Any:
    from .selectors import resolved_late_q

    return qs.filter(resolved_late_q())


register_count(
    DerivedCount(
        key="petitions.received",
        label=_("Petitions received"),
        model=Petition,
        date_field="received_on",
        list_url_name="petitions:petition_list",
        date_params=("received_after", "received_before"),
    )
)
register_count(
    DerivedCount(
        key="petitions.accepted",
        label=_("Petitions accepted"),
        model=Petition,
        date_field="accepted_on",
        narrow=_accepted,
        list_url_name="petitions:petition_list",
        list_params={"was_accepted": "true"},
        date_params=("accepted_after", "accepted_before"),
    )
)
register_count(
    DerivedCount(
        key="petitions.resolved",
        label=_("Petitions resolved"),
        model=Petition,
        date_field="resolved_on",
        narrow=_resolved,
        list_url_name="petitions:petition_list",
        list_params={"status": PetitionStatus.RESOLVED},
        date_params=("resolved_after", "resolved_before"),
    )
)
register_count(
    DerivedCount(
        key="petitions.resolved_on_time",
        label=_("Petitions resolved on time"),
        model=Petition,
        date_field="resolved_on",
        narrow=_resolved_on_time,
        list_url_name="petitions:petition_list",
        list_params={"deadline": DeadlineState.RESOLVED_ON_TIME},
        date_params=("resolved_after", "resolved_before"),
    )
)
# "Carried over", "to be resolved" and "carried forward" are not counts of records dated
# within a window (they need a record accepted before a day and not resolved before another),
# so they are not in the catalogue: selectors.statistics gives them, with the list filters
# `not_resolved_before` and `accepted_before` for the records behind them.
register_count(
    DerivedCount(
        key="petitions.overdue_resolved",
        label=_("Petitions resolved late"),
        model=Petition,
        date_field="resolved_on",
        narrow=_resolved_late,
        list_url_name="petitions:petition_list",
        list_params={"deadline": DeadlineState.RESOLVED_LATE},
        date_params=("resolved_after", "resolved_before"),
    )
)

register_area(
    Area(
        "petitions",
        _("Petitions"),
        "petitions:dashboard",
        30,
        lambda user: can(user, "view", Petition),
    )
)

__all__ = [
    "IdentityRetentionResource",
    "PetitionResource",
    "ReceptionSessionResource",
    "may_see_identity",
]
