from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from noichinh.core.forms import DateInput

from .models import Document


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "unit",
            "code",
            "issue_date",
            "title",
            "summary",
            "file",
            "implements",
            "references",
        ]
        widgets = {
            "issue_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "references": forms.SelectMultiple(attrs={"size": 6}),
            "code": forms.TextInput(
                attrs={
                    "hx-get": reverse_lazy("documents:code_preview"),
                    "hx-trigger": "input changed delay:300ms, change",
                    "hx-target": "#code-preview",
                    "autocomplete": "off",
                    "data-preview": "code-preview",
                }
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            others = Document.objects.exclude(pk=self.instance.pk)
            self.fields["implements"].queryset = others  # type: ignore[attr-defined]
            self.fields["references"].queryset = others  # type: ignore[attr-defined]
        self.fields["file"].help_text = _("PDF, Word, Excel, image or ZIP; at most 20 MB.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and getattr(upload, "size", 0) > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload
