"""Forms of the reports area: the records' own forms and the small forms of the verbs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from noichinh.core.counts import count_choices
from noichinh.core.forms import ImportForm

from .models import FormItem, FormSection, Indicator, ReportForm, ValidationRule

SELECT_MANY = {"size": 8}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "unit",
            "code",
            "name",
            "measure",
            "aggregation",
            "source",
            "count_key",
            "numerator",
            "denominator",
            "decimals",
            "polarity",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The catalogue of derived counts is defined in code by the registries: a choice,
        # never a query typed by a user (validated again by the model).
        self.fields["count_key"] = forms.ChoiceField(
            label=_("derived count"),
            choices=[("", "—"), *count_choices()],
            required=False,
            help_text=_("The registry count a derived indicator is computed from."),
        )


class ReportFormForm(forms.ModelForm):
    class Meta:
        model = ReportForm
        fields = [
            "unit",
            "code",
            "name",
            "period_type",
            "cumulative",
            "due_days",
            "reporting",
            "reporting_units",
            "approver_role",
            "active",
            "description",
        ]
        widgets = {
            "reporting_units": forms.SelectMultiple(attrs=SELECT_MANY),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class FormSectionForm(forms.ModelForm):
    class Meta:
        model = FormSection
        fields = ["form", "number", "title"]


class FormItemForm(forms.ModelForm):
    class Meta:
        model = FormItem
        fields = ["form", "section", "order", "indicator"]


class ValidationRuleForm(forms.ModelForm):
    class Meta:
        model = ValidationRule
        fields = [
            "form",
            "left",
            "operator",
            "right",
            "denominator",
            "parts",
            "tolerance",
            "severity",
            "message",
        ]
        widgets = {"parts": forms.SelectMultiple(attrs=SELECT_MANY)}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportImportForm(ImportForm):
    pass
