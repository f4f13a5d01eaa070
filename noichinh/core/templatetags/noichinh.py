"""Template helpers: Vietnamese numbers and percentages, query strings, status badges."""

from typing import Any

from django import template
from django.http import QueryDict

from ..text import format_days, format_money, format_number, format_percent

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


@register.filter
def vn_money(value: Any) -> str:
    """An amount in đồng as leaders read it: "6.061 tỷ đồng", "850 triệu đồng"."""
    try:
        return format_money(value)
    except (TypeError, ValueError, ArithmeticError):
        return "" if value is None else str(value)


@register.filter
def vn_days(value: Any) -> str:
    """A day count with its separator and unit: "1.920 ngày"."""
    try:
        return format_days(None if value in (None, "") else int(value))
    except (TypeError, ValueError, ArithmeticError):
        return "" if value is None else str(value)


@register.simple_tag
def history_rows(entries: Any, with_changes: bool = True) -> Any:
    """Audit entries in words (field labels, choice labels, related records by name)."""
    from ..display import history_rows as rows

    return rows(entries, with_changes)


@register.filter
def model_label(object_type: Any) -> str:
    """The name of a record type: "units.unit" -> "Đơn vị"."""
    from ..display import model_label as label

    return label(str(object_type or ""))


@register.simple_tag
def audited_types() -> Any:
    from ..display import audited_types as types

    return types()


@register.simple_tag
def list_column_classes(model: Any, headers: Any) -> list[str]:
    """One CSS class per list column (headers carry the column name in their sort key)."""
    from ..display import column_classes

    return column_classes(model, [str(h.get("sort", "")).lstrip("-") for h in headers or ()])


@register.simple_tag
def active_filters(filterset: Any, query: str = "") -> list[tuple[str, str]]:
    """The filters in use on a list, in words (the print-only line of a printed list)."""
    from ..display import active_filters as active

    return active(getattr(filterset, "form", None), query or "")


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context: dict[str, Any], crumbs: Any = None) -> list[tuple[str, str | None]]:
    """Overview, then the page's area (Vụ án, vụ việc; Đơn thư...) when the crumbs skip it, then
    the page's crumbs. A crumb's target may be a URL or a URL name ("campaigns:dashboard")."""
    from django.urls import NoReverseMatch, reverse
    from django.utils.translation import gettext as _

    request = context.get("request")
    path = getattr(request, "path", "")
    trail: list[tuple[str, str | None]] = []
    for label, target in crumbs or ():
        url = target
        if target and "/" not in str(target):
            try:
                url = reverse(str(target))
            except NoReverseMatch:
                url = None
        trail.append((str(label), url or None))
    area = None
    for candidate in context.get("nav_areas") or ():
        url = str(candidate["url"])
        if url != "/" and path.startswith(url) and (area is None or len(url) > len(area["url"])):
            area = candidate
    if area is not None and path != area["url"]:
        label = str(area["label"])
        if not any(url == area["url"] for _label, url in trail):
            if trail and trail[0][0] == label:
                trail[0] = (_("List"), trail[0][1])  # the area's list under the area's name
            trail.insert(0, (label, str(area["url"])))
    return trail


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
