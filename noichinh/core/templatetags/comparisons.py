"""`{% comparison c %}`: one way to show a Comparison (noichinh.core.comparisons) on a page.

The arrow carries the tone's colour class but is hidden from screen readers; the change is
written out, the tone is said in words (visually hidden), and a comparison of unlike coverage
says so next to the change."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..comparisons import Comparison

register = template.Library()


@register.simple_tag
def comparison(value: Comparison | None) -> SafeString:
    if value is None or not value.direction:
        note = value.coverage_note if value is not None else ""
        if note:
            return format_html(
                '<span class="comparison-note small text-warning-emphasis">{}</span>', note
            )
        return mark_safe("")
    parts: list[Any] = [
        format_html(
            '<span class="comparison comparison-{} {}" data-direction="{}">'
            '<span aria-hidden="true">{}</span> {}',
            value.tone,
            value.css,
            value.direction,
            value.arrow,
            value.text,
        )
    ]
    if value.tone_text:
        parts.append(format_html(' <span class="visually-hidden">({})</span>', value.tone_text))
    parts.append(mark_safe("</span>"))
    if value.coverage_note:
        parts.append(
            format_html(
                '<div class="comparison-note small text-warning-emphasis">⚠ {}</div>',
                value.coverage_note,
            )
        )
    return mark_safe("".join(str(p) for p in parts))
