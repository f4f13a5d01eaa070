"""Template helpers: Vietnamese numbers and percentages, query strings, status badges."""

from typing import Any

from django import template
from django.http import QueryDict

from ..text import format_number, format_percent

register = template.Library()


@register.filter
def vn_number(value: Any, decimals: int = 0) -> str:
    try:
        return format_number(value, int(decimals))
    except (TypeError, ValueError, ArithmeticError):
        return "" if value is None else str(value)


@register.filter
def vn_percent(value: Any, decimals: int = 1) -> str:
    try:
        return format_percent(value, int(decimals))
    except (TypeError, ValueError, ArithmeticError):
        return ""


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination and sorting)."""
    request = context["request"]
    params: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params.urlencode()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.simple_tag
def bs_field(field: Any, small: bool = False) -> str:
    """Render a form field's widget with Bootstrap classes and accessible error/help links."""
    widget = field.field.widget
    kind = getattr(widget, "input_type", "") or ""
    if kind == "checkbox":
        css = "form-check-input"
    elif widget.__class__.__name__ in {"Select", "SelectMultiple", "NullBooleanSelect"}:
        css = "form-select"
    else:
        css = "form-control"
    if small and css != "form-check-input":
        css += f" {css}-sm"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def record_link(context: dict[str, Any], obj: Any, label: Any = None) -> str:
    """A link to the record's page if the viewer may see it, else its name as plain text."""
    from django.utils.html import format_html

    from ..display import detail_url

    if obj is None:
        return ""
    text = obj if label in (None, "") else label
    url = detail_url(obj, context["request"].user)
    return format_html('<a href="{}">{}</a>', url, text) if url else format_html("{}", text)
