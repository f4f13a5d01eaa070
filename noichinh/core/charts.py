"""Charts: a Vega-Lite spec rendered on the server, with the data table behind it.

A `Chart` holds what a reader needs twice: the picture (a Vega-Lite spec, rendered by
vl-convert to SVG for the page and to PNG for Word/PDF documents) and the same figures as a
table (columns and rows, shown under the chart, read by screen readers and printed). Nothing is
fetched at run time: the data is inline in the spec (`values`, never `url`), vl-convert embeds
Vega, and rendering refuses every base URL (`allowed_base_urls=[]`).

The builders (`trend`, `bars`, `progress`, `ranking`, `tile_map`) write the spec by hand as a
dict: no schema validation on every page view (altair validates them in the tests,
`core/tests/test_charts.py`). Numbers in labels are formatted by `core.text` (8.651; 83,2 %),
axes by the Vietnamese format locale below. Framework only: no domain import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any

from .text import format_number, format_percent

# Vietnamese number format for axes and legends (d3-format locale): 8.651; 83,2.
FORMAT_LOCALE: dict[str, Any] = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["", "\u00a0₫"],
    "percent": "\u00a0%",
}
# A family the server has (Debian fonts-dejavu-core) first, so the SVG's text widths are
# measured with a real font; the browser falls back along the stack. A missing font only
# changes the glyphs, never fails.
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
# Sober colours that stay apart in greyscale print: the current period dark, the comparison
# light; one slate for breakdowns.
CURRENT = "#7a1f1f"
PREVIOUS = "#b3b3b3"
SLATE = "#4a5866"
MET = "#2f5233"
NOT_MET = "#c9a227"
TEXT = "#212529"
MUTED = "#6c757d"

CONFIG: dict[str, Any] = {
    "font": FONT,
    "aria": False,  # the <figure> gives the accessible name and the table; no per-mark noise
    "background": "white",
    "view": {"stroke": None},
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 12,
        "labelColor": TEXT,
        "titleColor": TEXT,
        "gridColor": "#e3e3e3",
        "domainColor": "#888",
        "tickColor": "#888",
    },
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "top"},
    "text": {"fontSize": 12, "color": TEXT},
}


@dataclass
class Chart:
    """A chart and the table behind it. `rows` hold raw values (int, Decimal, str, None);
    `formats` says per column how the table shows them: "text", "number" or "percent"."""

    title: str
    description: str
    columns: list[str]
    rows: list[list[Any]]
    spec: dict[str, Any]
    key: str = "chart"
    formats: list[str] = field(default_factory=list)

    def spec_json(self) -> str:
        return json.dumps(self.spec, sort_keys=True, ensure_ascii=False, default=_json_default)

    def spec_hash(self) -> str:
        return hashlib.sha256(self.spec_json().encode()).hexdigest()

    def svg(self) -> str:
        """The chart as an SVG element, ready to inline in a page (no script, no style
        attribute: only presentation attributes, which a strict CSP allows)."""
        return _render_svg(self.spec_json(), self.spec_hash(), self.description)

    def png(self, scale: float = 2) -> bytes:
        """The chart as PNG bytes for documents (Word, PDF): `scale=2` for print quality."""
        import vl_convert as vlc

        return bytes(
            vlc.vegalite_to_png(
                json.loads(self.spec_json()),
                scale=scale,
                allowed_base_urls=[],
                format_locale=FORMAT_LOCALE,
            )
        )

    def table(self) -> list[list[str]]:
        """The rows as the table shows them (Vietnamese number formats)."""
        formats = self.formats or ["text"] + ["number"] * (len(self.columns) - 1)
        return [[_cell(v, f) for v, f in zip(row, formats, strict=False)] for row in self.rows]

    def column(self, name: str) -> list[Any]:
        """The raw values of one column of the table (for tests and documents)."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not serialisable: {value!r}")


def _cell(value: Any, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if kind == "number":
        return format_number(value, 0 if isinstance(value, int) else 1)
    if kind == "percent":
        return format_percent(value).replace(" ", "\u00a0")
    return str(value)


# Rendering costs 50-250 ms a chart (a new process: 0,6-2 s more for the first one, while Vega
# loads): the SVG is cached by the spec's hash, in the process (well under a millisecond a
# chart) and in Django's cache (shared by the workers; a day). Same figures, same picture.
_CACHE_SIZE = 256
_cache: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")


def _render_svg(spec_json: str, spec_hash: str, description: str) -> str:
    with _lock:
        body = _cache.get(spec_hash)
        if body is not None:
            _cache.move_to_end(spec_hash)
    if body is None:
        from django.core.cache import cache

        shared_key = f"chart-svg:{spec_hash}"
        body = cache.get(shared_key)
        if body is None:
            import vl_convert as vlc

            body = vlc.vegalite_to_svg(
                json.loads(spec_json), allowed_base_urls=[], format_locale=FORMAT_LOCALE
            )
            cache.set(shared_key, body, 60 * 60 * 24)
        with _lock:
            _cache[spec_hash] = body
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return _accessible(body, description)


_INNER_ROLES = re.compile(r'\s(?:role="graphics-(?:symbol|object)"|aria-roledescription="[^"]*")')


def _accessible(svg: str, description: str) -> str:
    """The root <svg> named for screen readers and scaled to its container (Bootstrap's
    img-fluid: max-width 100 %, height auto)."""
    label = escape(description, quote=True)

    def open_tag(match: re.Match[str]) -> str:
        attrs = match.group(1).replace('class="marks"', 'class="marks img-fluid chart-svg"')
        return f'<svg{attrs} role="img" aria-label="{label}" focusable="false">'

    named = _SVG_OPEN.sub(open_tag, svg, count=1)
    # The root is the one accessible image; inner mark groups of layered charts still carry
    # Vega's role="graphics-symbol" without a name (axe: svg-img-alt), so they lose it.
    return _INNER_ROLES.sub("", named)


def clear_cache() -> None:
    """Forget the rendered SVGs of this process (Django's shared cache keeps its copies)."""
    with _lock:
        _cache.clear()


def _spec(data: list[dict[str, Any]], description: str, **rest: Any) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": description,
        "data": {"values": data},
        "config": CONFIG,
        **rest,
    }


def _label(value: Any, percent: bool = False) -> str:
    if value is None:
        return ""
    if percent:
        return format_percent(value).replace(" ", "\u00a0")
    return format_number(value, 0 if isinstance(value, int) else 1)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


# --- builders -----------------------------------------------------------------------------


def trend(
    title: str,
    periods: Sequence[str],
    series: Mapping[str, Sequence[int | Decimal | None]],
    *,
    description: str = "",
    period_title: str = "",
    value_title: str = "",
    line: bool = False,
    key: str = "trend",
) -> Chart:
    """Values by period, one series per year (the first is the current one, drawn dark; the
    others, e.g. the same period last year, light): grouped bars, or lines with `line=True`.
    A None value (a period not begun) is left out of the picture and shown as — in the table."""
    names = list(series)
    data = [
        {"period": p, "series": name, "value": _number(values[i]), "label": _label(values[i])}
        for name, values in series.items()
        for i, p in enumerate(periods)
        if values[i] is not None
    ]
    colours = [CURRENT] + [PREVIOUS] * (len(names) - 1)
    colour = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {"domain": names, "range": colours},
        "sort": names,
    }
    x = {
        "field": "period",
        "type": "ordinal",
        "sort": list(periods),
        "title": period_title or None,
        "axis": {"labelAngle": 0},
    }
    y = {
        "field": "value",
        "type": "quantitative",
        "title": value_title or None,
        "axis": {"format": ",d", "tickMinStep": 1},
    }
    if line:
        layer: list[dict[str, Any]] = [
            {
                "mark": {"type": "line", "point": {"filled": True, "size": 60}, "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": colour,
                    "strokeDash": {
                        "field": "series",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": names, "range": [[1, 0]] + [[5, 3]] * len(names)},
                    },
                },
            }
        ]
    else:
        layer = [
            {
                "mark": {"type": "bar", "stroke": "#555", "strokeWidth": 0.5},
                "encoding": {
                    "x": x,
                    "xOffset": {"field": "series", "sort": names},
                    "y": y,
                    "color": colour,
                },
            },
            {
                "mark": {"type": "text", "dy": -6, "baseline": "bottom", "fontSize": 11},
                "encoding": {
                    "x": x,
                    "xOffset": {"field": "series", "sort": names},
                    "y": {"field": "value", "type": "quantitative"},
                    "text": {"field": "label"},
                },
            },
        ]
    spec = _spec(
        data,
        description or title,
        width={"step": 34 if not line else 70},  # with xOffset: the step of one bar
        height=220,
        layer=layer,
    )
    rows = [[p] + [series[name][i] for name in names] for i, p in enumerate(periods)]
    return Chart(title, description or title, [period_title or "", *names], rows, spec, key)


def bars(
    title: str,
    categories: Sequence[str],
    values: Sequence[int | Decimal | None],
    *,
    description: str = "",
    category_title: str = "",
    value_title: str = "",
    percent: bool = False,
    key: str = "bars",
) -> Chart:
    """A breakdown (by stage, field, kind...): horizontal bars in the given order, each with
    its value written at its end."""
    data = [
        {"category": c, "value": _number(v), "label": _label(v, percent)}
        for c, v in zip(categories, values, strict=True)
        if v is not None
    ]
    y = {
        "field": "category",
        "type": "nominal",
        "sort": list(categories),
        "title": category_title or None,
        "axis": {"labelLimit": 260},
    }
    x = {
        "field": "value",
        "type": "quantitative",
        "title": value_title or None,
        "axis": {"format": ",d" if not percent else ",.0f", "tickMinStep": 1},
    }
    spec = _spec(
        data,
        description or title,
        width=360,
        height={"step": 24},
        layer=[
            {"mark": {"type": "bar", "color": SLATE}, "encoding": {"x": x, "y": y}},
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "baseline": "middle"},
                "encoding": {"x": x, "y": y, "text": {"field": "label"}},
            },
        ],
    )
    rows = [[c, v] for c, v in zip(categories, values, strict=True)]
    formats = ["text", "percent" if percent else "number"]
    return Chart(
        title,
        description or title,
        [category_title, value_title or title],
        rows,
        spec,
        key,
        formats,
    )


def progress(
    title: str,
    items: Iterable[tuple[Any, ...]],
    *,
    description: str = "",
    labels: tuple[str, str, str, str] = ("", "Kết quả", "Chỉ tiêu", "Tỷ lệ"),
    met_labels: tuple[str, str] = ("Đạt", "Chưa đạt"),
    key: str = "progress",
) -> Chart:
    """Progress against targets: one bar per item (label, actual, target[, percent]), the %
    of its target, a rule at 100 % and the words "actual/target (115,4 %)" at its end. Give the
    percent when a selector computes it (one source); else it is actual / target. An item
    without a target stays in the table only. `met_labels`: the legend's words for reached /
    not reached."""
    listed = list(items)
    data = []
    rows: list[list[Any]] = []
    for label, actual, target, *given in listed:
        if given:
            rate = None if given[0] is None else Decimal(given[0])
        else:
            rate = Decimal(actual or 0) * 100 / Decimal(target) if target else None
        rows.append([label, actual, target, rate])
        if rate is None:
            continue
        data.append(
            {
                "item": label,
                "rate": float(rate),
                "state": met_labels[0] if (actual or 0) >= (target or 0) else met_labels[1],
                "text": f"{_label(actual)}/{_label(target)} ({_label(rate, percent=True)})",
            }
        )
    y = {
        "field": "item",
        "type": "nominal",
        "sort": [r[0] for r in rows],
        "title": None,
        "axis": {"labelLimit": 260},
    }
    top = max([100.0] + [d["rate"] for d in data])
    x = {
        "field": "rate",
        "type": "quantitative",
        "title": labels[3] + " (%)",
        "scale": {"domain": [0, top * 1.35]},
        "axis": {"format": ",.0f"},
    }
    spec = _spec(
        data,
        description or title,
        width=380,
        height={"step": 26},
        layer=[
            {
                "mark": {"type": "bar", "stroke": "#333", "strokeWidth": 0.5},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "field": "state",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": list(met_labels), "range": [MET, NOT_MET]},
                    },
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "baseline": "middle"},
                "encoding": {"x": x, "y": y, "text": {"field": "text"}},
            },
            {
                "data": {"values": [{"at": 100}]},
                "mark": {"type": "rule", "color": TEXT, "strokeDash": [4, 3], "strokeWidth": 1.5},
                "encoding": {"x": {"field": "at", "type": "quantitative"}},
            },
        ],
    )
    return Chart(
        title,
        description or title,
        list(labels),
        rows,
        spec,
        key,
        ["text", "number", "number", "percent"],
    )


def ranking(
    title: str,
    items: Iterable[tuple[Any, ...]],
    *,
    description: str = "",
    highlight: str | None = None,
    percent: bool = True,
    labels: tuple[str, str, str] = ("Hạng", "", "Tỷ lệ"),
    key: str = "ranking",
) -> Chart:
    """A ranking (a cluster's members by % of target): the best first, numbered; the member
    `highlight` (the reader's own unit) drawn in the accent colour. Items are (label, value) and
    ranked here, or (label, value, rank) as a selector ranked them (one source: kept in that
    order). Members without a value come last, unranked."""
    listed = list(items)
    rows: list[list[Any]]
    if listed and len(listed[0]) > 2:
        rows = [[rank, name, value] for name, value, rank, *_rest in listed]
        rows.sort(key=lambda r: (r[0] is None, r[0] or 0))
    else:
        ranked = sorted(
            (i for i in listed if i[1] is not None), key=lambda i: (-Decimal(i[1] or 0), i[0])
        )
        rows = [[n, name, value] for n, (name, value, *_r) in enumerate(ranked, 1)]
        rows += [[None, name, None] for name in sorted(i[0] for i in listed if i[1] is None)]
    data = [
        {
            "item": f"{n}. {name}",
            "value": _number(value),
            "label": _label(value, percent),
            "mine": name == highlight,
        }
        for n, name, value in rows
        if value is not None and n is not None
    ]
    y = {
        "field": "item",
        "type": "nominal",
        "sort": [d["item"] for d in data],
        "title": None,
        "axis": {"labelLimit": 260},
    }
    x = {
        "field": "value",
        "type": "quantitative",
        "title": labels[2] + (" (%)" if percent else ""),
        "axis": {"format": ",.0f"},
    }
    spec = _spec(
        data,
        description or title,
        width=360,
        height={"step": 22},
        layer=[
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "condition": {"test": "datum.mine", "value": CURRENT},
                        "value": SLATE,
                    },
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "baseline": "middle"},
                "encoding": {"x": x, "y": y, "text": {"field": "label"}},
            },
        ],
    )
    return Chart(
        title,
        description or title,
        list(labels),
        rows,
        spec,
        key,
        ["number", "text", "percent" if percent else "number"],
    )


# The 34 provinces and centrally-run cities after 1/7/2025 (Resolution 60-NQ/TW, Resolution
# 202/2025/QH15) as tiles: (code, short name, column, row), north at the top, roughly the shape
# of the country. Codes are those of the provincial committees ("QT" for "QT-BNCTU").
PROVINCE_TILES: list[tuple[str, str, int, int]] = [
    ("LCH", "Lai Châu", 1, 0),
    ("LCA", "Lào Cai", 2, 0),
    ("TQ", "Tuyên Quang", 3, 0),
    ("CB", "Cao Bằng", 4, 0),
    ("DB", "Điện Biên", 0, 1),
    ("SL", "Sơn La", 1, 1),
    ("PT", "Phú Thọ", 2, 1),
    ("TN", "Thái Nguyên", 3, 1),
    ("LS", "Lạng Sơn", 4, 1),
    ("HN", "Hà Nội", 2, 2),
    ("BN", "Bắc Ninh", 3, 2),
    ("QNI", "Quảng Ninh", 4, 2),
    ("NB", "Ninh Bình", 2, 3),
    ("HY", "Hưng Yên", 3, 3),
    ("HP", "Hải Phòng", 4, 3),
    ("TH", "Thanh Hóa", 2, 4),
    ("NA", "Nghệ An", 2, 5),
    ("HT", "Hà Tĩnh", 3, 5),
    ("QT", "Quảng Trị", 3, 6),
    ("TTH", "Huế", 4, 6),
    ("DNG", "Đà Nẵng", 4, 7),
    ("QNG", "Quảng Ngãi", 4, 8),
    ("GL", "Gia Lai", 4, 9),
    ("DL", "Đắk Lắk", 4, 10),
    ("LD", "Lâm Đồng", 3, 11),
    ("KH", "Khánh Hòa", 4, 11),
    ("TNI", "Tây Ninh", 1, 12),
    ("HCM", "TP. Hồ Chí Minh", 2, 12),
    ("DNA", "Đồng Nai", 3, 12),
    ("AG", "An Giang", 0, 13),
    ("DT", "Đồng Tháp", 1, 13),
    ("VL", "Vĩnh Long", 2, 13),
    ("CM", "Cà Mau", 0, 14),
    ("CT", "Cần Thơ", 1, 14),
]
# The day the tiles are the country's provinces: a window read on an earlier tree has 63.
TILE_MAP_SINCE = dt.date(2025, 7, 1)
PROVINCE_CODES = frozenset(code for code, *_rest in PROVINCE_TILES)


def province_code(unit_code: str) -> str:
    """ "QT-BNCTU" -> "QT" (the tile of a provincial committee); other codes unchanged."""
    return unit_code.removesuffix("-BNCTU")


def tile_map(
    title: str,
    values_by_province_code: Mapping[str, int | Decimal | None],
    *,
    description: str = "",
    labels: tuple[str, str] = ("Tỉnh, thành phố", "Số liệu"),
    key: str = "tile-map",
) -> Chart:
    """A tile map of the 34 provinces: one tile each, in a fixed grid shaped like Vietnam,
    with its short name and value, shaded by value (light to dark blue, which stays ordered in
    greyscale). Codes may be "QT" or "QT-BNCTU"; unknown codes are ignored; a province without a
    value is a grey tile marked —."""
    values: dict[str, int | Decimal | None] = {}
    for code, value in values_by_province_code.items():
        short = province_code(code)
        if short in PROVINCE_CODES:
            values[short] = value
    known = [float(v) for v in values.values() if v is not None]
    top = max(known, default=0.0)
    data = []
    for code, name, col, row in PROVINCE_TILES:
        value = values.get(code)
        data.append(
            {
                "code": code,
                "name": name,
                "col": col,
                "row": row,
                "value": _number(value),
                "label": _label(value) if value is not None else "—",
                "dark": value is not None and top > 0 and float(value) > top * 0.55,
            }
        )
    x = {"field": "col", "type": "ordinal", "axis": None, "scale": {"domain": list(range(5))}}
    y = {"field": "row", "type": "ordinal", "axis": None, "scale": {"domain": list(range(15))}}
    text_colour = {"condition": {"test": "datum.dark", "value": "white"}, "value": TEXT}
    spec = _spec(
        data,
        description or title,
        width={"step": 84},
        height={"step": 40},
        layer=[
            {
                "mark": {"type": "rect", "fill": "#eeeeee", "stroke": "white", "strokeWidth": 2},
                "encoding": {"x": x, "y": y},
            },
            {
                "transform": [{"filter": "datum.value != null"}],
                "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "field": "value",
                        "type": "quantitative",
                        "title": labels[1],
                        "scale": {"scheme": "blues", "domainMin": 0},
                        "legend": {
                            "format": ",d",
                            "orient": "top",
                            "gradientLength": 220,
                            # small counts: whole numbers only (not "0 1 1 2 2")
                            **({"values": list(range(int(top) + 1))} if top <= 5 else {}),
                        },
                    },
                },
            },
            {
                "mark": {"type": "text", "dy": -7, "fontSize": 10},
                "encoding": {"x": x, "y": y, "text": {"field": "name"}, "color": text_colour},
            },
            {
                "mark": {"type": "text", "dy": 8, "fontSize": 12, "fontWeight": "bold"},
                "encoding": {"x": x, "y": y, "text": {"field": "label"}, "color": text_colour},
            },
        ],
    )
    rows = [[name, values.get(code)] for code, name, _col, _row in PROVINCE_TILES]
    return Chart(title, description or title, list(labels), rows, spec, key)
