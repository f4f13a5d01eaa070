"""Forms of the case registry: the records' own forms (dates typed dd/mm/yyyy) and the small
forms of the verbs on a case's page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from noichinh.core.forms import DateInput, VerbForm
from noichinh.documents.models import Document

from .choices import Stage, SuspensionReason
from .models import Case, CaseEvent, CaseSuspension, SecurityIssue, StallRule

SELECT_MANY = {"size": 6}
MONEY_HELP = _("In Vietnamese dong, as it stands at this event.")


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = [
            "unit",
            "department",
            "title",
            "kind",
            "conduct",
            "field",
            "detected_on",
            "detection",
            "public_concern",
            "monitoring",
            "confidentiality",
            "summary",
            "documents",
        ]
        widgets = {
            "detected_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "documents": forms.SelectMultiple(attrs=SELECT_MANY),
        }


class CaseEventForm(forms.ModelForm):
    class Meta:
        model = CaseEvent
        fields = [
            "case",
            "occurred_on",
            "stage",
            "description",
            "people_prosecuted",
            "damage_amount",
            "recovered_amount",
            "document",
        ]
        widgets = {
            "occurred_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"damage_amount": MONEY_HELP, "recovered_amount": MONEY_HELP}


class CaseSuspensionForm(forms.ModelForm):
    class Meta:
        model = CaseSuspension
        fields = ["case", "reason", "started_on", "ended_on", "note", "document"]
        widgets = {
            "started_on": DateInput(),
            "ended_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class StallRuleForm(forms.ModelForm):
    class Meta:
        model = StallRule
        fields = ["unit", "stage", "no_event_days", "suspended_days"]


class SecurityIssueForm(forms.ModelForm):
    class Meta:
        model = SecurityIssue
        fields = [
            "unit",
            "department",
            "title",
            "kind",
            "location",
            "people_count",
            "started_on",
            "advised_on",
            "status",
            "resolved_on",
            "resolution",
            "description",
            "documents",
        ]
        widgets = {
            "started_on": DateInput(),
            "advised_on": DateInput(),
            "resolved_on": DateInput(),
            "resolution": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "documents": forms.SelectMultiple(attrs=SELECT_MANY),
        }
        labels = {"unit": _("Advising unit")}


# -- the verbs on a case's page -------------------------------------------------------------


class EventForm(VerbForm):
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    people_prosecuted = forms.IntegerField(
        label=_("People prosecuted"), required=False, min_value=0
    )
    damage_amount = forms.DecimalField(
        label=_("Damage (VND)"), required=False, min_value=0, decimal_places=0, help_text=MONEY_HELP
    )
    recovered_amount = forms.DecimalField(
        label=_("Recovered (VND)"), required=False, min_value=0, decimal_places=0
    )
    document = forms.ModelChoiceField(
        label=_("Document"), queryset=Document.objects.all(), required=False
    )


class SuspendForm(VerbForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=SuspensionReason.choices)
    started_on = forms.DateField(label=_("Suspended from"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document = forms.ModelChoiceField(
        label=_("Document"), queryset=Document.objects.all(), required=False
    )


class ResumeForm(VerbForm):
    ended_on = forms.DateField(label=_("Resumed on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False)


class SplitForm(VerbForm):
    title = forms.CharField(label=_("Title of the split-off phase"), max_length=400)
    detected_on = forms.DateField(label=_("Split off on"), widget=DateInput())
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
