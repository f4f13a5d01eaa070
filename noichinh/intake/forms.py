from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .files import ReadError, check_text, read_upload


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
