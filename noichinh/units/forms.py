"""Forms of the reorganisation pages. Dates are typed dd/mm/yyyy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
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


class _HandoverFields(forms.Form):
    """A closing unit hands over what it holds: the page shows what will move first, then asks
    for the confirmation."""

    carry_roles = forms.BooleanField(
        label=_("Carry the role assignments to the successor"),
        required=False,
        help_text=_(
            "Unticked, the roles on the closing units end on their last day; ticked, the same "
            "people hold the same roles on the successor from the effective date."
        ),
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


class UnitMergeForm(_HandoverFields, _DecisionFields):
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
    field_order = ["sources", "new_name", "on", "document", "note", "carry_roles"]

    def __init__(self, *args: Any, user: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = _units(user).exclude(pk=unit.pk).filter(kind=unit.kind)  # type: ignore[attr-defined]
        self.fields["note"].required = True
        self.fields["note"].label = _("Reason")


class UnitSplitForm(_HandoverFields, _DecisionFields):
    parts = forms.CharField(
        label=_("New units"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One unit per line: code; name. Example: QN-BNCTU; Ban Nội chính Tỉnh ủy Quảng Nam"
        ),
    )
    keep_source = forms.BooleanField(label=_("The unit continues after the split"), required=False)
    receiver = forms.IntegerField(
        label=_("New unit that takes over"),
        min_value=1,
        initial=1,
        help_text=_(
            "The line number of the new unit that takes over the open records when the unit closes."
        ),
    )
    field_order = ["parts", "keep_source", "receiver", "on", "document", "note", "carry_roles"]

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


class UnitCloseForm(_HandoverFields, _DecisionFields):
    successor = forms.ModelChoiceField(
        label=_("Successor"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_(
            "The unit that takes over the open records. Leave empty for the unit above it."
        ),
    )
    field_order = ["successor", "on", "document", "note", "carry_roles"]

    def __init__(self, *args: Any, user: Any = None, unit: Unit | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True
        self.fields["note"].label = _("Reason")
        if user is not None and unit is not None:
            self.fields["successor"].queryset = _units(user).exclude(  # type: ignore[attr-defined]
                path__startswith=unit.path
            )


class ClusterForm(forms.ModelForm):
    """The members chosen here are today's. Saving goes through `cluster_members_set`
    (noichinh.units.clusters): a unit added becomes a member from today, a unit taken out
    stops being one yesterday, and the dated history is kept."""

    members = forms.ModelMultipleChoiceField(
        label=_("Member units (today)"),
        queryset=Unit.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    class Meta:
        model = Cluster
        fields = ["unit", "code", "name", "region", "merged_outside_rule"]

    field_order = ["unit", "code", "name", "region", "members", "merged_outside_rule"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chosen_members: list[Unit] | None = None
        # Left empty, the cluster keeps its rule (a new one: count until closing).
        self.fields["merged_outside_rule"].required = False
        if self.instance.pk:
            self.initial["members"] = [
                m.unit_id for m in self.instance.memberships_on(timezone.localdate())
            ]

    def clean_merged_outside_rule(self) -> str:
        value = self.cleaned_data.get("merged_outside_rule")
        return str(value or self.instance.merged_outside_rule)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Kept out of cleaned_data, so that the generic save does not `.set()` the dated
        # memberships; the resource applies it after the save (ClusterResource.after_write).
        if "members" in cleaned:
            self.chosen_members = list(cleaned.pop("members"))
        return cleaned

    def save(self, commit: bool = True) -> Any:
        instance = super().save(commit)
        instance._chosen_members = self.chosen_members
        return instance
