"""Forms of the award reviews."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from noichinh.core.forms import DateInput

from .choices import BallotKind, Choice
from .models import AwardKind, AwardReview, Delegate, Nomination


class AwardKindForm(forms.ModelForm):
    class Meta:
        model = AwardKind
        fields = [
            "unit",
            "name",
            "authority",
            "recipients",
            "threshold_percent",
            "threshold_basis",
            "min_score",
        ]


class AwardReviewForm(forms.ModelForm):
    class Meta:
        model = AwardReview
        fields = [
            "unit",
            "cluster",
            "campaign_review",
            "title",
            "held_on",
            "place",
            "agenda",
            "participants",
            "conclusions",
            "quorum_percent",
            "threshold_percent",
            "threshold_basis",
        ]
        widgets = {
            "held_on": DateInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "conclusions": forms.Textarea(attrs={"rows": 8}),
        }


class DelegateForm(forms.ModelForm):
    class Meta:
        model = Delegate
        fields = [
            "review",
            "member",
            "name",
            "position",
            "user",
            "present",
            "proxy_for",
            "authorisation",
        ]


class NominationForm(forms.ModelForm):
    class Meta:
        model = Nomination
        fields = [
            "unit",
            "review",
            "kind",
            "nominee_type",
            "nominee_unit",
            "person_name",
            "person_position",
            "achievements",
            "documents",
        ]
        widgets = {
            "achievements": forms.Textarea(attrs={"rows": 4}),
            "documents": forms.SelectMultiple(attrs={"size": 5}),
        }


class OpenBallotForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BallotKind.choices)


class VoteForm(forms.Form):
    """One ballot paper: a choice per nomination."""

    def __init__(self, *args: Any, nominations: list[Nomination], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for nomination in nominations:
            self.fields[f"n{nomination.pk}"] = forms.ChoiceField(
                label=str(nomination),
                choices=Choice.choices,
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class PaperForm(forms.Form):
    """Paper ballots counted by hand."""

    def __init__(
        self,
        *args: Any,
        delegates: list[Delegate],
        nominations: list[Nomination],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegates"] = forms.ModelMultipleChoiceField(
            label=_("Delegates who handed in a paper ballot"),
            queryset=Delegate.objects.filter(pk__in=[d.pk for d in delegates]),
            widget=forms.CheckboxSelectMultiple,
        )
        self.nominations = nominations
        for nomination in nominations:
            for choice, label in Choice.choices:
                self.fields[f"n{nomination.pk}_{choice}"] = forms.IntegerField(
                    label=f"{nomination}: {label}", min_value=0, initial=0
                )

    def counts(self) -> dict[int, dict[str, int]]:
        return {
            n.pk: {c: self.cleaned_data[f"n{n.pk}_{c}"] for c in Choice.values}
            for n in self.nominations
        }


def review_choices(form: forms.Form, review: AwardReview) -> None:
    """Nominations and delegates offered on a review's forms."""
    if "proxy_for" in form.fields:
        form.fields["proxy_for"].queryset = review.delegates.all()  # type: ignore[attr-defined]
