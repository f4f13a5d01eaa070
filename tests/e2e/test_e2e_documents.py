"""Registering a document in a real browser: the code is read while typing (htmx), the unit
starts as the user's own, and the saved document links to the central plan it implements."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_register_a_document_with_live_reading_of_its_code(log_in, page: Page) -> None:
    log_in("nghean")
    page.goto("/van-ban/add/")
    # The unit is an autocomplete (core.autocomplete) showing the user's own unit by name.
    expect(page.get_by_label("Đơn vị")).to_have_value("Ban Nội chính Tỉnh ủy Nghệ An")
    code = page.get_by_label("Số, ký hiệu")
    code.press_sequentially("21 - kh / bnctu", delay=20)
    preview = page.locator("#code-preview")
    expect(preview).to_contain_text("21-KH/BNCTU")
    code.fill("")
    code.press_sequentially("21-XY/BNCTU", delay=20)
    expect(preview).to_contain_text("chưa có trong danh mục")
    code.fill("21-KH/BNCTU")
    page.get_by_label("Ngày ban hành").fill("12/03/2024")
    page.get_by_label("Trích yếu").fill("Kế hoạch kiểm tra công tác phòng, chống tham nhũng")
    page.get_by_label("Thực hiện văn bản").fill("15-KH/BNCTW")
    page.locator("[role=option]", has_text="15-KH/BNCTW (25/5/2021)").first.click()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("21-KH/BNCTU (12/3/2024)")
    expect(page.get_by_role("link", name="15-KH/BNCTW (25/5/2021)")).to_be_visible()
