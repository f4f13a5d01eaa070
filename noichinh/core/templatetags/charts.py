"""`{% load charts %}{% chart c %}`: a chart as a <figure> with its inline SVG, a caption and
the data table behind it (in a <details> on screen, always shown when printing).

`{% chart_of "noichinh.campaigns.charts.progress_chart" rows object %}` builds the chart in the
template from objects the view already gives it, with a function of an app's `charts` module
(so a page gains a chart without touching its view; core imports no domain app)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from ..charts import Chart

register = template.Library()


@register.inclusion_tag("core/chart.html")
def chart(value: Chart | None, caption: str = "") -> dict[str, Any]:
    if value is None:
        return {"chart": None}
    return {
        "chart": value,
        # vl-convert's SVG: text escaped by Vega, no script, no style attribute.
        "svg": mark_safe(value.svg()),
        "caption": caption or value.title,
        "table": value.table(),
    }


@register.inclusion_tag("core/chart.html")
def chart_of(builder: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The chart returned by `builder` (the dotted path of a function in a `charts` module of
    this project; it may return None for "no chart here")."""
    module, _dot, _name = builder.rpartition(".")
    if not (builder.startswith("noichinh.") and module.endswith(".charts")):
        raise template.TemplateSyntaxError(f"chart_of: not a charts function: {builder}")
    return chart(import_string(builder)(*args, **kwargs))
