"""Accessibility and the look of the main pages, in a real browser.

axe-core (shipped inside the axe-playwright-python wheel: nothing is fetched) checks one page of
every pattern (home, list, summary, detail, history tab, form, sign-in) and the test fails on a
serious or critical violation. The same walk saves screenshots at 1440 px, 768 px and as printed
in tests/e2e/artifacts/screenshots/ for a reviewer (the `shoot` fixture of conftest.py). The
autocomplete (static/noichinh/autocomplete.js) is driven by the keyboard alone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Response, expect

from noichinh.cases.models import Case
from noichinh.petitions.models import Petition
from noichinh.units.models import Unit

pytestmark = pytest.mark.e2e

LogIn = Callable[..., Response]
Shoot = Callable[[str], list[Path]]
BLOCKING = frozenset({"serious", "critical"})
MIN_SCREENSHOT_BYTES = 10_000


def violations(page: Page) -> list[str]:
    """Serious and critical axe-core violations of the page, one line per rule."""
    results = Axe().run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} nodes): "
            f"{violation['help']} — e.g. {'; '.join(targets)}"
        )
    return lines


def main_pages() -> list[tuple[str, str]]:
    """One page of every pattern, as the head of the central commission sees them."""
    case = Case.objects.order_by("pk").first()
    petition = Petition.objects.filter(status="received").order_by("pk").first()
    assert case is not None and petition is not None
    return [
        ("home", "/"),
        ("cases-summary", "/vu-an/"),
        ("petitions-summary", "/don-thu/"),
        ("case-list", "/vu-an/ho-so/"),
        ("petition-list", "/don-thu/don/?page=2"),
        ("case-detail", f"/vu-an/ho-so/{case.pk}/"),
        ("case-history", f"/vu-an/ho-so/{case.pk}/?tab=history"),
        ("petition-detail", f"/don-thu/don/{petition.pk}/"),
        ("case-form", "/vu-an/ho-so/add/"),
        ("units", "/don-vi/"),
    ]


def test_main_pages_have_no_serious_accessibility_violation(
    log_in: LogIn, page: Page, shoot: Shoot
) -> None:
    assert log_in("trunguong").ok
    found: dict[str, list[str]] = {}
    for name, url in main_pages():
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        problems = violations(page)
        if problems:
            found[url] = problems
        for path in shoot(name):
            assert path.stat().st_size > MIN_SCREENSHOT_BYTES, f"{path} looks empty"
    report = "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items())
    assert not found, "serious or critical axe-core violations:\n" + report


def test_sign_in_page_has_no_serious_accessibility_violation(page: Page, demo: Any) -> None:
    page.goto("/tai-khoan/dang-nhap/")
    assert violations(page) == []


def test_unit_filter_autocomplete_works_with_the_keyboard(log_in: LogIn, page: Page) -> None:
    assert log_in("trunguong").ok
    nghe_an = Unit.objects.get(code="NA-BNCTU")
    page.goto("/vu-an/ho-so/")
    # The label names the combobox (it took the input's id).
    combo = page.get_by_role("combobox", name="Đơn vị theo dõi")
    expect(combo).to_be_visible()
    combo.focus()
    page.keyboard.type("nghe an")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(listbox.locator("[role=option]").first).to_contain_text("Nghệ An")
    expect(combo).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(combo).to_have_attribute("aria-activedescendant", "id_unit_opt0")
    with page.expect_response(lambda r: "unit=" in r.url):
        page.keyboard.press("Enter")
    expect(combo).to_have_value("Ban Nội chính Tỉnh ủy Nghệ An")
    expect(listbox).to_be_hidden()
    page.wait_for_url(f"**unit={nghe_an.pk}**")
    # The page reloaded with the filter names the unit, and the list holds its cases only.
    page.reload()
    expect(page.get_by_role("combobox", name="Đơn vị theo dõi")).to_have_value(
        "Ban Nội chính Tỉnh ủy Nghệ An"
    )
    rows = page.locator("#list-table tbody tr")
    expect(rows.first).to_be_visible()
    # Escape closes the list and keeps the choice.
    combo = page.get_by_role("combobox", name="Đơn vị theo dõi")
    combo.focus()
    page.keyboard.press("End")
    page.keyboard.type(" x")
    expect(page.get_by_role("listbox")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(combo).to_have_value("Ban Nội chính Tỉnh ủy Nghệ An")


def test_documents_are_chosen_as_chips_with_the_keyboard(log_in: LogIn, page: Page) -> None:
    from noichinh.documents.models import Document

    assert log_in("trunguong").ok
    document = Document.objects.order_by("-issue_date", "-pk").first()
    assert document is not None
    page.goto("/vu-an/ho-so/add/")
    combo = page.locator("#id_documents")
    expect(combo).to_have_attribute("role", "combobox")
    combo.focus()
    page.keyboard.type(document.code)
    expect(page.locator("#id_documents_listbox [role=option]").first).to_contain_text(document.code)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    chip = page.locator(".ac-chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text(document.code)
    expect(page.locator('input[type=hidden][name="documents"]')).to_have_value(str(document.pk))
    # The chip's button removes it; the combobox keeps the focus.
    page.get_by_role("button", name=f"Bỏ {chip.inner_text().strip()[:-1].strip()}").click()
    expect(chip).to_have_count(0)
    expect(combo).to_be_focused()
