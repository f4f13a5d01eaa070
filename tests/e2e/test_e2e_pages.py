"""What a user sees in a real browser: sign-in, the units pages, keyboard focus, scope, tablets.

The pages are in Vietnamese (the browser sends vi-VN), so the tests look for Vietnamese text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect

from noichinh.units.models import Unit

pytestmark = pytest.mark.e2e

LOGIN_URL = "/tai-khoan/dang-nhap/"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"  # git-ignored
MIN_SCREENSHOT_BYTES = 20_000
TABLET = {"width": 768, "height": 1024}

LogIn = Callable[..., Response]  # the conftest's log_in(username, password=demo password)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > MIN_SCREENSHOT_BYTES, f"{path} looks empty"


def test_wrong_password_shows_a_vietnamese_error_on_the_login_page(
    log_in: LogIn, page: Page
) -> None:
    response = log_in("trunguong", "not-the-password")

    assert response.status in (200, 400)
    assert page.url.endswith(LOGIN_URL)
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()


def test_head_browses_units_search_and_a_merged_province(log_in: LogIn, page: Page) -> None:
    response = log_in("trunguong")
    assert response.ok
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ban Nội chính Trung ương")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    units_link = nav.get_by_role("link", name="Đơn vị", exact=True)
    expect(units_link).to_be_visible()

    # The list, then Nghệ An's page with its departments.
    units_link.click()
    table = page.locator("#list-table")
    expect(table).to_contain_text("Ban Nội chính Trung ương")
    expect(table).to_contain_text("Ban Nội chính Tỉnh ủy Nghệ An")
    screenshot(page, "units-list.png")
    table.get_by_role("link", name="Ban Nội chính Tỉnh ủy Nghệ An", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ban Nội chính Tỉnh ủy Nghệ An")
    expect(page.locator(".unit-children")).to_contain_text("Phòng Nội chính - Tư pháp")

    # Search without diacritics (the list's own search, not the one in the top bar).
    page.goto("/don-vi/")
    filters = page.locator("form.filters")
    filters.get_by_label("Tìm kiếm").fill("nghe an")
    filters.get_by_role("button", name="Lọc").click()
    expect(table).to_contain_text("Ban Nội chính Tỉnh ủy Nghệ An")
    expect(table).not_to_contain_text("Ban Nội chính Trung ương")

    # Quảng Bình was merged into Quảng Trị: closed units show only with status "all".
    filters.get_by_label("Tìm kiếm").fill("quang binh")
    filters.get_by_label("Trạng thái").select_option("all")
    filters.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"status=all"))
    table.get_by_role("link", name="Ban Nội chính Tỉnh ủy Quảng Bình", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ban Nội chính Tỉnh ủy Quảng Bình")
    expect(page.locator("h1 .badge")).to_contain_text("Đã sáp nhập 30/6/2025")
    became = page.locator(".alert", has_text="Đơn vị kế thừa")
    expect(became.get_by_role("link")).to_have_text("Ban Nội chính Tỉnh ủy Quảng Trị")
    groups = page.locator(".unit-children tbody tr")
    expect(groups).to_have_count(8)
    for index in range(8):
        expect(groups.nth(index)).to_contain_text("Tổ công tác huyện")
        expect(groups.nth(index)).to_contain_text("Đã giải thể")
    screenshot(page, "quang-binh.png")


def test_tab_from_the_top_reaches_the_skip_link_with_a_visible_outline(page: Page) -> None:
    page.goto(LOGIN_URL)
    # The username field has autofocus. Tab past the end of the page: focus leaves the document
    # (as to the address bar); the next Tab is a keyboard user's first step from the top.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
    else:
        pytest.fail("Tab never left the page: a keyboard trap?")
    page.keyboard.press("Tab")

    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            return {
                classes: el.className,
                id: el.id,
                outline: getComputedStyle(el).outlineStyle,
                size: [box.width, box.height],
            };
        }"""
    )
    assert "skip-link" in focused["classes"] or focused["id"] == "id_username", focused
    assert focused["outline"] != "none", focused
    assert min(focused["size"]) > 1, f"the focused element is hidden: {focused}"


def test_a_unit_outside_the_scope_answers_the_vietnamese_404(log_in: LogIn, page: Page) -> None:
    quang_tri = Unit.objects.get(code="QT-BNCTU")
    log_in("nghean")

    response = page.goto(f"/don-vi/{quang_tri.pk}/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy")
    expect(page.locator("main")).to_contain_text("nằm ngoài phạm vi")
    expect(page.locator("main")).not_to_contain_text("Quảng Trị")


def test_the_home_page_fits_a_tablet_without_horizontal_scrolling(
    log_in: LogIn, page: Page
) -> None:
    page.set_viewport_size(TABLET)
    log_in("trunguong")

    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"] + 1, widths
    # The side navigation folds into a menu button on a tablet.
    expect(page.get_by_role("button", name="Trình đơn")).to_be_visible()


def test_the_home_page_for_a_leader_and_for_a_specialist(log_in: LogIn, page: Page) -> None:
    """The leader's home: figures of the period against the same period last year, the units
    below, a drill-down that keeps the period. The specialist's home: the work queue first."""
    log_in("trunguong")
    page.get_by_label("Kỳ").select_option("2024-9M")
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.locator("#window")).to_contain_text("9 tháng đầu năm 2024")
    expect(page.locator("#section-cases")).to_contain_text("Cùng kỳ năm trước")
    expect(page.locator("#section-petitions")).to_contain_text("Tỷ lệ giải quyết")
    screenshot(page, "home-leader.png")
    page.locator("#branches").get_by_role("link", name="Nghệ An", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nghệ An")
    expect(page.locator("#window")).to_contain_text("9 tháng đầu năm 2024")
    page.set_viewport_size(TABLET)
    screenshot(page, "home-leader-tablet.png")
    page.context.clear_cookies()

    page.set_viewport_size({"width": 1440, "height": 900})
    log_in("nghean")
    queue = page.locator("#queue")
    expect(queue).to_contain_text("Việc của đồng chí")
    expect(queue).to_contain_text("Đơn thư quá hạn")
    screenshot(page, "home-specialist.png")
