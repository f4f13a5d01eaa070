"""Small framework forms: the reason a dangerous action asks for, and the import upload."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_IMPORT_BYTES = 10 * 1024 * 1024


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log with the deletion."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "Use the template: the first row holds the column names. Nothing is saved "
            "unless every row is valid."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("The file must be an Excel .xlsx file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class DateInput(forms.DateInput):
    """A date typed as d/m/yyyy (25/5/2021; zero padding accepted); core.js adds a calendar
    button beside it. The placeholder is in the page's language ("ngày/tháng/năm")."""

    input_type = "text"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        base = {
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-datepicker": "1",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")

    def format_value(self, value: Any) -> Any:
        from .text import format_date

        if isinstance(value, dt.date):
            return format_date(value)
        return super().format_value(value)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: field errors next to their fields, the rest on
    top (the user's input stays in the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class VerbForm(forms.Form):
    """A verb's small form on a detail page. Several sit on one page, so each names its ids
    after itself ("suspend_reason", "extend_reason"): every label points at its own field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        name = type(self).__name__.removesuffix("Form").lower()
        kwargs.setdefault("auto_id", f"{name}_%s")
        super().__init__(*args, **kwargs)


class AutocompleteSelect(forms.Widget):
    """A choice among thousands (units, petitions, documents): a text input that
    static/noichinh/autocomplete.js turns into a search combobox (core.autocomplete). Without
    JavaScript the user types an id, or words that match one record; the selected record is
    named beside the input. `restrict_choices` sets `url` and `queryset` (the field's own,
    already restricted by the scoping gate: only records the user may see are named)."""

    allow_multiple_selected = False

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs)
        self.url = ""
        self.queryset: Any = None
        self.choices: Any = ()

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        obj = super().__deepcopy__(memo)
        obj.queryset = self.queryset
        obj.choices = ()
        return obj

    def _ids(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        ids: list[str] = []
        for item in values:
            item = getattr(item, "pk", item)
            ids.extend(part.strip() for part in str(item).split(",") if part.strip())
        return ids

    def format_value(self, value: Any) -> str:
        return ",".join(self._ids(value))

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if not hasattr(data, "getlist"):
            # A plain dict is not a browser's submission (the Excel import fills the form with
            # natural keys, `to_field_name`): taken as it is, as a select would.
            return data.get(name)
        raw = data.getlist(name)
        ids = self._ids([item for item in raw if item is not None])
        resolved: list[Any] = []
        for item in ids:
            if not item.isdigit() and self.queryset is not None:
                from .autocomplete import resolve_text

                item = resolve_text(self.queryset, item) or item
            resolved.append(item)
        if self.allow_multiple_selected:
            return resolved
        return resolved[0] if resolved else None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def selected(self, value: Any) -> list[tuple[Any, str]]:
        # Ids a database can hold (a 40-digit "id" in a link crashed the lookup: a 500).
        ids = [int(item) for item in self._ids(value) if item.isdigit() and len(item) < 19]
        if not ids or self.queryset is None:
            return []
        from .autocomplete import labels_for

        objects = list(self.queryset.filter(pk__in=ids))
        labels = labels_for(objects)
        order = {pk: i for i, pk in enumerate(ids)}
        return sorted(((obj.pk, labels[obj.pk]) for obj in objects), key=lambda p: order[p[0]])

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> Any:
        from django.forms.utils import flatatt
        from django.utils.html import format_html, format_html_join

        final = self.build_attrs(self.attrs, attrs)
        final.update(type="text", name=name, autocomplete="off", spellcheck="false")
        final["class"] = (final.get("class", "") + " ac-raw").strip()
        final.setdefault("placeholder", str(_("Type to search")))
        selected = self.selected(value)
        shown = ",".join(str(pk) for pk, _label in selected) or self.format_value(value)
        if shown:
            final["value"] = shown
        current_id = f"{final.get('id', name)}_current"
        final["aria-describedby"] = " ".join(
            part for part in (final.get("aria-describedby", ""), current_id) if part
        )
        items = format_html_join("", '<span class="ac-item" data-ac-id="{}">{}</span>', selected)
        return format_html(
            '<div class="ac" data-ac-url="{}" data-ac-multiple="{}" data-ac-none="{}" '
            'data-ac-more="{}" data-ac-remove="{}" data-ac-results="{}" '
            'data-ac-suggestions="{}"><input{}>'
            '<span class="ac-current" id="{}">{}</span></div>',
            self.url,
            "1" if self.allow_multiple_selected else "0",
            _("Nothing found"),
            _("More results: type more to narrow them"),
            _("Remove"),
            _("results"),
            _("Suggestions"),
            flatatt(final),
            current_id,
            items,
        )


class AutocompleteSelectMultiple(AutocompleteSelect):
    """Several records (a case's documents): ids separated by commas without JavaScript."""

    allow_multiple_selected = True
