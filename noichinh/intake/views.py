"""The intake page (/tiep-nhan/): paste or upload, then read the facts highlighted in the text."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from noichinh.core.text import format_date, format_money, format_number, format_percent

from .extract import Extraction, Item, extract
from .forms import IntakeForm

# The kinds marked in the text: label, and a short tag shown in the mark (not colour alone).
KINDS: dict[str, tuple[Any, str]] = {
    "periods": (_("Period"), "K"),
    "dates": (_("Date"), "N"),
    "figures": (_("Figure"), "S"),
    "ratios": (_("Ratio"), "TL"),
    "changes": (_("Increase or decrease"), "±"),
    "documents": (_("Document"), "VB"),
    "organisations": (_("Organisation"), "CQ"),
    "people": (_("Person"), "NG"),
}


def segments(found: Extraction) -> list[dict[str, Any]]:
    """The text cut into plain runs and marked items; where items overlap, the one that starts
    first (the longer, at the same start) is marked and the others are listed in the tables."""
    text = found.text
    pieces: list[dict[str, Any]] = []
    position = 0
    for kind, item in found.items():
        if kind not in KINDS or item.start < position or item.end <= item.start:
            continue
        if item.start > position:
            pieces.append({"text": text[position : item.start]})
        label, tag = KINDS[kind]
        pieces.append({"text": item.text, "kind": kind, "label": label, "tag": tag})
        position = item.end
    if position < len(text):
        pieces.append({"text": text[position:]})
    return pieces


def _iso(value: str | None) -> str:
    import datetime as dt

    return format_date(dt.date.fromisoformat(value)) if value else ""


def _shown(value: float | int, unit: str) -> str:
    if unit == "%":
        return format_percent(value, 2 if value != int(value) else 0)
    if unit == "đồng":
        return format_money(value)
    return format_number(value, 0 if value == int(value) else 2)


def _rows(found: Extraction) -> dict[str, list[Item | dict[str, Any]]]:
    return {
        "figures": [
            {"item": f, "shown": _shown(f.value, f.unit), "counts": f.counts} for f in found.figures
        ],
        "ratios": [
            {
                "item": r,
                "computed": format_percent(r.computed_percent, 2)
                if r.computed_percent is not None
                else "",
                "stated": format_percent(r.stated_percent, 2)
                if r.stated_percent is not None
                else "",
            }
            for r in found.ratios
        ],
        "changes": [{"item": c, "shown": _shown(c.value, c.unit)} for c in found.changes],
        "dates": [{"item": d, "shown": _iso(d.value)} for d in found.dates],
        "documents": [
            {"item": d, "shown": _iso(d.date), "registry": _iso(d.registry_date)}
            for d in found.documents
        ],
    }


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    found = None
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        if form.is_valid():
            found = extract(form.cleaned_data["read"], user=request.user)
    else:
        form = IntakeForm()
    context: dict[str, Any] = {
        "form": form,
        "found": found,
        "crumbs": [(_("Intake of reports"), None)],
        "legend": [{"kind": k, "label": v[0], "tag": v[1]} for k, v in KINDS.items()],
    }
    if found is not None:
        context["segments"] = segments(found)
        context["rows"] = _rows(found)
        context["counts"] = {k: len(getattr(found, k)) for k in Extraction.KINDS}
    return render(request, "intake/intake.html", context)
