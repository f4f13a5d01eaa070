"""Forms of the reorganisation pages. Dates are typed dd/mm/yyyy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from noichinh.core.forms import DateInput

from .choices import UnitKind
from .models import Cluster, Unit


def _units(user: Any, action: str = "manage_units") -> Any:
    return Unit.objects.restrict(user, action).filter(valid_to__isnull=True).order_by("path")


class _DecisionFields(forms.Form):
    on = forms.DateField(label=_("Effective date"), widget=DateInput())
    document = forms.CharField(
        label=_("Decision"),
        max_length=100,
        required=False,
        help_text=_("Number and symbol of the decision, e.g. 60-NQ/TW."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UnitCreateForm(_DecisionFields):
    parent = forms.ModelChoiceField(label=_("Parent unit"), queryset=Unit.objects.none())
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)

    field_order = ["parent", "code", "name", "short_name", "kind", "on", "document", "note"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _units(user)  # type: ignore[attr-defined]
        self.fields["on"].label = _("Established on")


class UnitRenameForm(_DecisionFields):
    name = forms.CharField(label=_("New name"), max_length=255)
    short_name = forms.CharField(label=_("New short name"), max_length=100, required=False)
    field_order = ["name", "short_name", "on", "document", "note"]


class UnitMoveForm(_DecisionFields):
    new_parent = forms.ModelChoiceField(label=_("New parent unit"), queryset=Unit.objects.none())
    field_order = ["new_parent", "on", "document", "note"]

    def __init__(self, *args: Any, user: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = _units(user).exclude(path__startswith=unit.path)  # type: ignore[attr-defined]


class UnitMergeForm(_DecisionFields):
    sources = forms.ModelMultipleChoiceField(
        label=_("Units merged into this one"),
        queryset=Unit.objects.none(),
        help_text=_("They close the day before the effective date and move under this unit."),
    )
    new_name = forms.CharField(
        label=_("Name after the merger"),
        max_length=255,
        required=False,
        help_text=_("Leave empty to keep the current name."),
    )
    field_order = ["sources", "new_name", "on", "document", "note"]

    def __init__(self, *args: Any, user: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = _units(user).exclude(pk=unit.pk).filter(kind=unit.kind)  # type: ignore[attr-defined]
        self.fields["note"].required = True
        self.fields["note"].label = _("Reason")


class UnitSplitForm(_DecisionFields):
    parts = forms.CharField(
        label=_("New units"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One unit per line: code; name. Example: QN-BNCTU; Ban Nội chính Tỉnh ủy Quảng Nam"
        ),
    )
    keep_source = forms.BooleanField(label=_("The unit continues after the split"), required=False)
    field_order = ["parts", "keep_source", "on", "document", "note"]

    def clean_parts(self) -> list[tuple[str, str]]:
        parts = []
        for number, line in enumerate(self.cleaned_data["parts"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, name = line.partition(";")
            if not sep or not code.strip() or not name.strip():
                raise forms.ValidationError(_("Line %(n)d: write “code; name”.") % {"n": number})
            parts.append((code.strip(), name.strip()))
        return parts


class UnitCloseForm(_DecisionFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True
        self.fields["note"].label = _("Reason")


class ClusterForm(forms.ModelForm):
    class Meta:
        model = Cluster
        fields = ["unit", "code", "name", "region", "members"]
        widgets = {"members": forms.SelectMultiple(attrs={"size": 12})}
