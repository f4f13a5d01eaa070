"""Forms of the petitions area: the records' own forms (dates typed dd/mm/yyyy) and the small
forms of the verbs on the petition page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from noichinh.core.forms import DateInput, VerbForm
from noichinh.core.text import fold
from noichinh.documents.models import Document

from .choices import Complexity, Decision, FollowUp, Outcome
from .models import IDENTITY_FIELDS, Holiday, IdentityRetention, Petition, ReceptionSession

# Vietnamese words a spreadsheet may hold for the fixed choices, whatever the interface
# language (the import also accepts the labels of the current language and the codes).
ALIASES: dict[str, dict[str, str]] = {
    "kind": {
        "khieu nai": "complaint",
        "to cao": "denunciation",
        "kien nghi": "recommendation",
        "phan anh": "feedback",
    },
    "channel": {
        "truc tiep": "in_person",
        "tiep cong dan": "in_person",
        "truc tiep tai buoi tiep cong dan": "in_person",
        "buu chinh": "post",
        "qua buu chinh": "post",
        "co quan khac chuyen den": "forwarded",
        "chuyen den": "forwarded",
        "truc tuyen": "online",
    },
    "complaint_round": {
        "lan dau": "first",
        "khieu nai lan dau": "first",
        "lan hai": "second",
        "khieu nai lan hai": "second",
    },
    "field": {
        "dat dai": "land",
        "dat dai, boi thuong, giai phong mat bang": "land",
        "boi thuong, giai phong mat bang": "land",
        "hanh chinh": "administration",
        "tu phap": "justice",
        "tu phap va co quan tu phap": "justice",
        "tham nhung, tieu cuc": "corruption",
        "tham nhung": "corruption",
        "can bo, dang vien": "party",
        "khac": "other",
    },
}


class PetitionForm(forms.ModelForm):
    class Meta:
        model = Petition
        fields = [
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
            "session",
            "complexity",
            "remote_area",
            "attachment",
        ]
        labels = {"unit": _("Receiving unit")}
        widgets = {
            "received_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "petitioner_name": _(
                "For a denunciation the denouncer's identity is protected: only heads and "
                "system administrators see it."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = kwargs.get("data", args[0] if args else None)
        if data is not None:
            data = data.copy()
            for name, mapping in ALIASES.items():
                value = data.get(name)
                if isinstance(value, str) and fold(value) in mapping:
                    data[name] = mapping[fold(value)]
            if args:
                args = (data, *args[1:])
            else:
                kwargs["data"] = data
        super().__init__(*args, **kwargs)
        if "complexity" in self.fields:
            self.fields["complexity"].required = False

    def clean_complexity(self) -> str:
        return self.cleaned_data.get("complexity") or Complexity.NORMAL

    def hide_identity(self) -> None:
        """For a user who may not see a denouncer's identity: the fields are not shown and the
        stored values are kept."""
        for name in IDENTITY_FIELDS:
            self.fields.pop(name, None)


class ReceptionSessionForm(forms.ModelForm):
    class Meta:
        model = ReceptionSession
        fields = ["unit", "held_on", "leader", "people", "place", "note"]
        widgets = {"held_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class IdentityRetentionForm(forms.ModelForm):
    class Meta:
        model = IdentityRetention
        fields = ["unit", "kind", "years", "note"]
        help_texts = {
            "years": _(
                "Counted from the day the petition was closed (resolved or classified); "
                "afterwards the name, address and identity number are erased."
            ),
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["day", "name"]
        widgets = {"day": DateInput()}


# -- verbs ----------------------------------------------------------------------------------


class ClassifyForm(VerbForm):
    decision = forms.ChoiceField(label=_("Handling"), choices=Decision.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the petition is not accepted."),
    )
    forwarded_to = forms.CharField(label=_("Forwarded to"), required=False, max_length=300)
    duplicate_of = forms.ModelChoiceField(
        label=_("Duplicate of"), queryset=Petition.objects.all(), required=False
    )


class ExtendForm(VerbForm):
    decided_on = forms.DateField(label=_("Decision date"), widget=DateInput())
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=60)
    document = forms.ModelChoiceField(
        label=_("Decision document"), queryset=Document.objects.all(), required=False
    )
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=90)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class PauseForm(VerbForm):
    start = forms.DateField(label=_("From"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class ResumeForm(VerbForm):
    end = forms.DateField(label=_("To"), widget=DateInput())


class ResolveForm(VerbForm):
    resolved_on = forms.DateField(label=_("Resolved on"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, outcomes: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if outcomes:
            field: Any = self.fields["outcome"]
            field.choices = [(v, label) for v, label in Outcome.choices if v in outcomes]


class FollowUpForm(VerbForm):
    follow_up = forms.ChoiceField(
        label=_("Follow-up of the decision"), choices=FollowUp.choices[1:]
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
