"""The award reviews' resources, declared once."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from noichinh.core.navigation import Area, register_area
from noichinh.core.permissions import Role
from noichinh.core.resources import ModelResource, register
from noichinh.core.scoping import can

from .forms import AwardKindForm, AwardReviewForm, DelegateForm, NominationForm
from .models import AwardKind, AwardReview, Ballot, Delegate, Nomination


@register
class AwardKindResource(ModelResource):
    model = AwardKind
    form = AwardKindForm
    fields = tuple(AwardKindForm.Meta.fields)
    list_columns = ("name", "authority", "recipients", "threshold_percent", "threshold_basis")
    detail_fields = (
        "name",
        "authority",
        "recipients",
        "threshold_percent",
        "threshold_basis",
        "min_score",
        "unit",
    )
    search_fields = ("name", "authority")
    sortable = ("name",)
    ordering = ("name",)
    select_related = ("unit",)
    permissions = {
        "add": {Role.UNIT_ADMIN, Role.SYSTEM_ADMIN},
        "change": {Role.UNIT_ADMIN, Role.SYSTEM_ADMIN},
        "delete": {Role.UNIT_ADMIN, Role.SYSTEM_ADMIN},
    }
    url_prefix = "hinh-thuc/"
    area = "awards"


@register
class AwardReviewResource(ModelResource):
    model = AwardReview
    form = AwardReviewForm
    fields = tuple(AwardReviewForm.Meta.fields)
    list_columns = ("held_on", "title", "cluster", "place", "status")
    detail_fields = (
        "title",
        "cluster",
        "campaign_review",
        "held_on",
        "place",
        "agenda",
        "participants",
        "conclusions",
        "quorum_percent",
        "threshold_percent",
        "threshold_basis",
        "status",
        "unit",
    )
    filter_fields = ("cluster", "status")
    search_fields = ("title", "place", "agenda", "conclusions")
    sortable = ("held_on", "title")
    ordering = ("-held_on", "-id")
    select_related = ("unit", "cluster__unit")
    url_prefix = "binh-xet/"
    area = "awards"


class _OfReview(ModelResource):
    owner_via = "review"


@register
class DelegateResource(_OfReview):
    model = Delegate
    form = DelegateForm
    fields = tuple(DelegateForm.Meta.fields)
    list_columns = ("review", "member", "name", "position", "present", "proxy_for")
    detail_fields = (
        "review",
        "member",
        "name",
        "position",
        "user",
        "present",
        "proxy_for",
        "authorisation",
        "unit",
    )
    filter_fields = ("review", "present")
    search_fields = ("name", "position")
    sortable = ("name",)
    ordering = ("review", "member__code", "name")
    select_related = ("review__unit", "member", "proxy_for__member", "unit", "user__home_unit")
    url_prefix = "dai-bieu/"
    area = "awards"


@register
class NominationResource(ModelResource):
    model = Nomination
    form = NominationForm
    fields = tuple(NominationForm.Meta.fields)
    list_columns = ("review", "nominee_label", "kind", "unit")
    detail_fields = (
        "review",
        "kind",
        "nominee_type",
        "nominee_unit",
        "person_name",
        "person_position",
        "achievements",
        "figures",
        "documents",
        "unit",
    )
    filter_fields = ("review", "kind", "nominee_type")
    search_fields = ("person_name", "achievements")
    ordering = ("review", "kind__name", "id")
    select_related = ("review__unit", "kind__unit", "nominee_unit", "unit")
    url_prefix = "de-nghi/"
    area = "awards"

    @classmethod
    def after_write(cls, instance: models.Model, before: dict[str, Any] | None) -> None:
        from .services import campaign_figures

        assert isinstance(instance, Nomination)
        if not Nomination.objects.filter(pk=instance.pk).exists():
            return
        unit = instance.nominee_unit if instance.nominee_unit_id else instance.unit
        figures = campaign_figures(instance.review, unit)
        if figures != instance.figures:  # derived from the campaign: written with update()
            Nomination.objects.filter(pk=instance.pk).update(figures=figures)
            instance.figures = figures


@register
class BallotResource(ModelResource):
    model = Ballot
    generic_write = False  # opened, voted on and closed through the review's page
    list_columns = ("review", "number", "kind", "status", "opened_at", "closed_at")
    detail_fields = (
        "review",
        "number",
        "kind",
        "status",
        "opened_at",
        "closed_at",
        "delegates_total",
        "delegates_present",
    )
    filter_fields = ("review", "status")
    ordering = ("-id",)
    select_related = ("review__unit", "unit")
    url_prefix = "phieu-bau/"
    area = "awards"


register_area(
    Area(
        "awards",
        _("Awards"),
        "awards:awardreview_list",
        60,
        lambda user: can(user, "view", AwardReview),
    )
)
