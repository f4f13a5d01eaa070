"""The campaigns area's resources, declared once."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from noichinh.core.navigation import Area, register_area
from noichinh.core.resources import ModelResource, register
from noichinh.core.scoping import can

from .choices import RegistrationStatus
from .forms import (
    CampaignForm,
    CriterionForm,
    ReviewForm,
    TargetForm,
    TargetRegistrationForm,
)
from .models import Campaign, Criterion, Review, Target, TargetChange, TargetRegistration


class _OfCampaign(ModelResource):
    """Criteria and reviews belong to their campaign's unit."""

    owner_via = "campaign"


@register
class CampaignResource(ModelResource):
    model = Campaign
    form = CampaignForm
    fields = tuple(CampaignForm.Meta.fields)
    list_columns = ("title", "plan", "start_on", "end_on", "state_text", "unit")
    detail_fields = ("title", "plan", "theme", "start_on", "end_on", "state_text", "unit")
    search_fields = ("title", "theme")
    sortable = ("title", "start_on")
    ordering = ("-start_on", "title")
    select_related = ("unit", "plan__unit")
    url_prefix = "phong-trao/"
    area = "campaigns"


@register
class CriterionResource(_OfCampaign):
    model = Criterion
    form = CriterionForm
    fields = tuple(CriterionForm.Meta.fields)
    list_columns = ("campaign", "number", "name", "count_key", "level", "weight")
    detail_fields = (
        "campaign",
        "number",
        "name",
        "parent",
        "count_key",
        "level",
        "measure",
        "weight",
    )
    filter_fields = ("campaign", "level")
    search_fields = ("name",)
    sortable = ("number",)
    ordering = ("campaign", "number")
    select_related = ("campaign__unit", "unit")
    url_prefix = "tieu-chi/"
    area = "campaigns"


@register
class ReviewResource(_OfCampaign):
    model = Review
    form = ReviewForm
    fields = tuple(ReviewForm.Meta.fields)
    list_columns = ("campaign", "title", "kind", "cutoff_on", "held_on")
    detail_fields = ("campaign", "title", "kind", "cutoff_on", "held_on", "unit")
    filter_fields = ("campaign", "kind")
    search_fields = ("title",)
    sortable = ("cutoff_on",)
    ordering = ("campaign", "cutoff_on")
    select_related = ("campaign__unit", "unit")
    url_prefix = "dot-danh-gia/"
    area = "campaigns"


class RegistrationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RegistrationStatus.choices, empty_label=_("All")
    )

    class Meta:
        model = TargetRegistration
        fields = ["campaign", "status"]


@register
class TargetRegistrationResource(ModelResource):
    model = TargetRegistration
    form = TargetRegistrationForm
    fields = tuple(TargetRegistrationForm.Meta.fields)
    list_columns = ("unit", "campaign", "plan", "status", "submitted_on", "decided_on")
    detail_fields = (
        "unit",
        "campaign",
        "plan",
        "note",
        "status",
        "submitted_on",
        "decided_on",
        "decided_by",
        "return_reason",
    )
    filterset = RegistrationFilterSet
    search_fields = ("unit__name", "unit__code", "note")
    sortable = ("submitted_on", "decided_on")
    ordering = ("campaign", "unit__path")
    select_related = ("unit", "campaign__unit", "plan__unit")
    url_prefix = "dang-ky/"
    area = "campaigns"

    @classmethod
    def check_write(cls, user: Any, instance: models.Model, action: str) -> None:
        assert isinstance(instance, TargetRegistration)
        if action == "delete" and instance.status == RegistrationStatus.APPROVED:
            raise ValidationError(_("An approved registration cannot be deleted."))


class TargetFilterSet(django_filters.FilterSet):
    registration = django_filters.ModelChoiceFilter(
        label=_("Registration"),
        queryset=lambda request: TargetRegistration.objects.select_related("unit", "campaign"),
    )

    class Meta:
        model = Target
        fields = ["registration", "criterion", "review"]


@register
class TargetResource(ModelResource):
    model = Target
    form = TargetForm
    fields = tuple(TargetForm.Meta.fields)
    list_columns = ("registration", "criterion", "review", "value")
    detail_fields = ("registration", "criterion", "review", "value", "unit")
    filterset = TargetFilterSet
    ordering = ("registration", "criterion__number")
    select_related = (
        "registration__unit",
        "registration__campaign__unit",
        "criterion__unit",
        "review__unit",
        "unit",
    )
    url_prefix = "chi-tieu/"
    area = "campaigns"

    owner_via = "registration"

    @classmethod
    def check_write(cls, user: Any, instance: models.Model, action: str) -> None:
        assert isinstance(instance, Target)
        locked = instance.registration_id and not instance.registration.editable
        # Amendments go through target_amend, which records the reason.
        if locked and not getattr(instance, "_amending", False):
            raise ValidationError(
                _("The registration is no longer a draft: amend the target with a reason.")
            )


@register
class TargetChangeResource(ModelResource):
    model = TargetChange
    generic_write = False
    list_columns = ("changed_on", "target", "old_value", "new_value", "reason", "changed_by")
    detail_fields = ("target", "old_value", "new_value", "reason", "changed_on", "changed_by")
    search_fields = ("reason",)
    sortable = ("changed_on",)
    ordering = ("-changed_on", "-id")
    select_related = (
        "target__registration__unit",
        "target__registration__campaign",
        "target__criterion",
        "target__review",
        "target__unit",
        "changed_by__home_unit",
        "unit",
    )
    url_prefix = "lich-su-chi-tieu/"
    area = "campaigns"


register_area(
    Area(
        "campaigns",
        _("Emulation"),
        "campaigns:dashboard",
        50,
        lambda user: can(user, "view", TargetRegistration),
    )
)
