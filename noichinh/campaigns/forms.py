"""Forms of the campaigns area."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from noichinh.core.counts import count_choices
from noichinh.core.forms import DateInput, VerbForm

from .models import Campaign, Criterion, Review, Target, TargetRegistration


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["unit", "title", "plan", "theme", "start_on", "end_on"]
        widgets = {
            "start_on": DateInput(),
            "end_on": DateInput(),
            "theme": forms.Textarea(attrs={"rows": 3}),
        }


class CriterionForm(forms.ModelForm):
    count_key = forms.ChoiceField(
        label=_("Computed from"),
        help_text=_("The registry figure that gives the result; never typed by hand."),
    )

    class Meta:
        model = Criterion
        fields = [
            "campaign",
            "number",
            "name",
            "parent",
            "count_key",
            "level",
            "counts_towards",
            "measure",
            "weight",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["count_key"].choices = [("", "---------"), *count_choices()]  # type: ignore[attr-defined]


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["campaign", "kind", "title", "cutoff_on", "held_on"]
        widgets = {"cutoff_on": DateInput(), "held_on": DateInput()}


class TargetRegistrationForm(forms.ModelForm):
    class Meta:
        model = TargetRegistration
        fields = ["unit", "campaign", "plan", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["registration", "criterion", "review", "value"]


# -- verbs on a registration's page ---------------------------------------------------------


class SetTargetForm(VerbForm):
    criterion = forms.ModelChoiceField(label=_("Criterion"), queryset=Criterion.objects.none())
    review = forms.ModelChoiceField(
        label=_("By the review"),
        queryset=Review.objects.none(),
        required=False,
        empty_label=_("Whole period"),
    )
    value = forms.IntegerField(label=_("Target"), min_value=0)

    def __init__(self, *args: Any, registration: TargetRegistration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaign = registration.campaign
        self.fields["criterion"].queryset = campaign.criteria.order_by("number")  # type: ignore[attr-defined]
        self.fields["review"].queryset = campaign.reviews.order_by("cutoff_on")  # type: ignore[attr-defined]


class AmendForm(SetTargetForm):
    reason = forms.CharField(
        label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(VerbForm):
    reason = forms.CharField(
        label=_("Reason for returning it"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RequestChildrenForm(VerbForm):
    """One number field per (criterion of the departments' level, whole period or review)."""

    def __init__(self, *args: Any, registration: TargetRegistration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaign = registration.campaign
        self.slots: list[tuple[str, Criterion, Review | None]] = []
        reviews: list[Review | None] = [None, *campaign.reviews.order_by("cutoff_on")]
        for criterion in campaign.criteria.filter(level="department").order_by("number"):
            for review in reviews:
                name = f"c{criterion.pk}_r{review.pk if review else 0}"
                when = str(review) if review else str(_("whole period"))
                self.fields[name] = forms.IntegerField(
                    label=f"{criterion.number}. {criterion.name} ({when})",
                    min_value=0,
                    required=False,
                )
                self.slots.append((name, criterion, review))

    def proposals(self) -> dict[tuple[Criterion, Review | None], int]:
        return {
            (criterion, review): self.cleaned_data[name]
            for name, criterion, review in self.slots
            if self.cleaned_data.get(name) is not None
        }
