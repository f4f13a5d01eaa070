"""Charts (core.charts) rendered for real by vl-convert: the SVG is XML a page can inline under
the strict CSP (no script, no style attribute) with the Vietnamese labels and number formats;
the PNG is a real image for documents; every spec is valid Vega-Lite (altair's schema); nothing
is fetched (a `url` data source is refused); the tile map has the 34 provinces."""

from __future__ import annotations

import io
from decimal import Decimal

import altair as alt
import pytest
from defusedxml import ElementTree as ET
from django.template import Context, Template
from PIL import Image

from noichinh.core import charts
from noichinh.core.charts import PROVINCE_TILES, Chart

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def _examples() -> list[Chart]:
    quarters = ["Quý I", "Quý II", "Quý III", "Quý IV"]
    return [
        charts.trend(
            "Vụ án, vụ việc phát hiện theo quý",
            quarters,
            {"2024": [2, 8651, 3, None], "2023": [1, 7187, 0, 4]},
            description="Vụ án phát hiện từng quý năm 2024 so với cùng kỳ 2023",
            key="trend",
        ),
        charts.trend("Đơn đã giải quyết", quarters, {"2024": [1, 2, 3, 4]}, line=True, key="l"),
        charts.bars(
            "Theo giai đoạn",
            ["Thanh tra", "Điều tra", "Xét xử sơ thẩm"],
            [3, 12, 1703],
            category_title="Giai đoạn",
        ),
        charts.progress(
            "Tiến độ thực hiện chỉ tiêu",
            [("Vụ án tham nhũng tự phát hiện", 6, 5), ("Vấn đề phức tạp về ANTT", 2, 5)],
        ),
        charts.ranking(
            "Xếp hạng Cụm thi đua số III",
            [("Quảng Bình", Decimal("216.7")), ("Đà Nẵng", Decimal("83.2")), ("Kon Tum", None)],
            highlight="Đà Nẵng",
        ),
        charts.tile_map("Vụ án theo tỉnh", {"QT-BNCTU": 12, "HN": 8651}),
    ]


@pytest.mark.parametrize("chart", _examples(), ids=lambda c: c.key)
def test_svg_is_inlineable_xml_with_vietnamese_labels(chart: Chart) -> None:
    svg = chart.svg()
    root = ET.fromstring(svg)  # valid XML
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-label") == chart.description
    assert "img-fluid" in (root.get("class") or "")
    # CSP: style-src 'self' blocks inline style attributes and elements; script-src too.
    assert "<script" not in svg and "style=" not in svg and "<style" not in svg
    assert "http://" not in svg.replace('"http://www.w3.org/', "")
    texts = " ".join(_texts(svg))
    first_label = chart.rows[0][0] if chart.key != "ranking" else chart.rows[0][1]
    assert str(first_label) in texts
    # one accessible image: no inner element claims a role without a name (axe svg-img-alt)
    inner = [e for e in root.iter() if e is not root and e.get("role")]
    assert inner == []


def test_labels_use_vietnamese_number_formats() -> None:
    trend, *_rest = _examples()
    texts = _texts(trend.svg())
    assert "8.651" in texts and "7.187" in texts  # value labels
    assert any(t.endswith(".000") for t in texts)  # axis ticks: 2.000, 4.000...
    ranking = _examples()[4]
    assert "216,7\u00a0%" in _texts(ranking.svg())
    progress = _examples()[3]
    assert "6/5 (120,0\u00a0%)" in _texts(progress.svg())
    assert progress.table()[0] == ["Vụ án tham nhũng tự phát hiện", "6", "5", "120,0\u00a0%"]


@pytest.mark.parametrize("chart", _examples(), ids=lambda c: c.key)
def test_png_is_a_real_image_for_documents(chart: Chart) -> None:
    png = chart.png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    image = Image.open(io.BytesIO(png))
    # scale 2: twice the SVG's size
    width = int(ET.fromstring(chart.svg()).get("width") or 0)
    assert image.size[0] == 2 * width
    low, high = image.convert("L").getextrema()
    assert high - low > 100  # dark marks on a white ground, not a blank picture


@pytest.mark.parametrize("chart", _examples(), ids=lambda c: c.key)
def test_every_spec_is_valid_vega_lite(chart: Chart) -> None:
    alt.LayerChart.from_dict(chart.spec)  # raises on a spec the schema refuses
    assert "url" not in chart.spec["data"]


def test_nothing_is_fetched() -> None:
    chart = charts.bars("x", ["a"], [1])
    chart.spec["data"] = {"url": "https://example.com/data.json"}
    with pytest.raises(ValueError, match="not allowed"):
        chart.svg()


def test_the_svg_is_cached_by_the_spec() -> None:
    charts.clear_cache()
    one = charts.bars("Theo lĩnh vực", ["Đất đai"], [5])
    assert one.svg() == charts.bars("Theo lĩnh vực", ["Đất đai"], [5]).svg()
    assert one.spec_hash() in charts._cache
    other = charts.bars("Theo lĩnh vực", ["Đất đai"], [6])
    assert other.spec_hash() != one.spec_hash()
    assert "6" in _texts(other.svg())


def test_the_tile_map_has_the_34_provinces_and_ignores_unknown_codes() -> None:
    assert len(PROVINCE_TILES) == 34
    assert len({(c, r) for _code, _name, c, r in PROVINCE_TILES}) == 34  # no tile on another
    chart = charts.tile_map("Vụ án theo tỉnh", {"QT-BNCTU": 12, "HN": 8651, "QB-BNCTU": 3})
    assert len(chart.rows) == 34
    values = dict(zip(chart.column("Tỉnh, thành phố"), chart.column("Số liệu"), strict=True))
    assert values["Quảng Trị"] == 12 and values["Hà Nội"] == 8651
    assert "Quảng Bình" not in values  # merged into Quảng Trị on 1/7/2025: no tile
    assert values["Huế"] is None
    texts = _texts(chart.svg())
    for _code, name, _col, _row in PROVINCE_TILES:
        assert name in texts
    assert "8.651" in texts and texts.count("—") == 32


def test_the_template_tag_renders_a_figure_with_its_table() -> None:
    chart = _examples()[0]
    html = Template("{% load charts %}{% chart c %}").render(Context({"c": chart}))
    assert '<figure class="chart' in html and 'id="chart-trend"' in html
    assert "<figcaption" in html and chart.title in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert "<details" in html and "<caption>" in html and '<th scope="col"' in html
    assert '<th scope="row">Quý II</th><td class="text-end">8.651</td>' in html
    assert "d-print-block" in html  # the table is printed under the chart
    assert Template("{% load charts %}{% chart c %}").render(Context({"c": None})).strip() == ""


@pytest.mark.parametrize(
    ("values", "legend"),
    [
        ({"QT": 2, "HUE": 1}, ["0", "1", "2"]),  # was "0 1 1 2 2": ticks rounded to integers
        ({"QT": 8651, "HUE": 12}, ["0", "2.000", "4.000", "6.000", "8.000"]),
    ],
)
def test_the_tile_map_legend_shows_each_whole_number_once(values, legend) -> None:
    svg = charts.tile_map("Vụ án theo tỉnh", values).svg()
    root = ET.fromstring(svg)
    groups = [g for g in root.iter(f"{SVG}g") if "role-legend" in (g.get("class") or "")]
    assert groups
    texts = [t.text for t in groups[0].iter(f"{SVG}text")]
    assert texts[: len(legend)] == legend
