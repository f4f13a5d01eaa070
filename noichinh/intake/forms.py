from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from noichinh.core.listing import restrict_choices
from noichinh.core.periods import Period
from noichinh.reports.models import Indicator, ReportForm, Submission
from noichinh.units.models import Unit

from .extract import MAX_LENGTH, Extraction
from .files import ReadError, check_text, read_upload
from .mapping import Row
from .services import registrable


class IntakeForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "class": "form-control"}),
        help_text=_("Paste a report, a briefing article or a meeting conclusion."),
    )
    file = forms.FileField(
        label=_("Or a file"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".docx,.txt,.pdf"}
        ),
        help_text=_(".docx, .txt (UTF-8) or .pdf with a text layer."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            if data.get("file"):
                data["read"] = read_upload(data["file"])
            else:
                data["read"] = check_text(data.get("text") or "")
        except ReadError as error:
            raise forms.ValidationError(str(error)) from error
        return data


class ConfirmForm(forms.Form):
    """The confirm step: the text again (hidden: it is read again, nothing else is trusted), the
    unit, the report form and its period, an indicator (or none) per figure, and a tick per
    unknown document and per task. Built for one extraction and one report form."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=MAX_LENGTH)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.all(),
        help_text=_("The unit whose report, documents and tasks these are."),
    )
    report_form = forms.ModelChoiceField(
        label=_("Report form"),
        queryset=ReportForm.objects.filter(active=True),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    period = forms.ChoiceField(
        label=_("Period covered"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    initial_unit: Any = None

    def __init__(
        self,
        *args: Any,
        user: Any,
        found: Extraction,
        rows: list[Row],
        indicators: list[Indicator],
        periods: list[Period],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        restrict_choices(self, user, "add", Submission)
        choice = cast(forms.ModelChoiceField, self.fields["report_form"])
        choice.queryset = ReportForm.objects.restrict(user, "view").filter(active=True)
        cast(forms.ChoiceField, self.fields["period"]).choices = [
            (p.code, p.label) for p in periods
        ]
        self.rows = rows
        self.found = found
        options = [("", _("Not used"))] + [(str(i.pk), f"{i.code} — {i.name}") for i in indicators]
        for row in rows:
            self.fields[f"map_{row.key}"] = forms.TypedChoiceField(
                label=row.text,
                choices=options,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        for index, ref in enumerate(found.documents):
            if registrable(ref):
                self.fields[f"doc_{index}"] = forms.BooleanField(label=ref.text, required=False)
        for index, task in enumerate(found.tasks):
            self.fields[f"task_{index}"] = forms.BooleanField(label=task.text, required=False)

    def units(self) -> Any:
        """The units offered (where the user may open a report), through the gate."""
        return cast(forms.ModelChoiceField, self.fields["unit"]).queryset

    def chosen(self) -> dict[str, int | None]:
        data = self.cleaned_data
        return {row.key: data.get(f"map_{row.key}") for row in self.rows}

    def ticked(self, prefix: str) -> list[int]:
        return [
            int(name[len(prefix) :])
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix) and value
        ]

    def table(self) -> list[dict[str, Any]]:
        """The figure rows with their select, for the template."""
        return [{"row": row, "field": self[f"map_{row.key}"]} for row in self.rows]

    def document_rows(self) -> list[dict[str, Any]]:
        return [
            {"ref": ref, "field": self[f"doc_{i}"] if f"doc_{i}" in self.fields else None}
            for i, ref in enumerate(self.found.documents)
            if ref.registry_id is None
        ]

    def task_rows(self) -> list[dict[str, Any]]:
        return [{"task": t, "field": self[f"task_{i}"]} for i, t in enumerate(self.found.tasks)]
