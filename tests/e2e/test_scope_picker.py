"""The top bar's scope picker: a combobox that reaches any unit in scope by typing, with the
keyboard alone, and a plain list of the few top units without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from noichinh.units.models import Unit

pytestmark = pytest.mark.e2e

LogIn = Callable[..., Response]


def test_a_national_user_reaches_a_department_by_typing(log_in: LogIn, page: Page) -> None:
    log_in("trunguong")
    picker = page.locator("form.scope-picker")
    combo = picker.get_by_role("combobox", name="Phạm vi")
    expect(combo).to_be_visible()
    assert picker.locator("select").count() == 0  # the select became the combobox
    # A department two levels down, typed without diacritics: not among the top choices.
    department = Unit.objects.get(name="Phòng Nội chính - Tư pháp")
    combo.focus()
    page.keyboard.type("noi chinh tu phap")
    option = page.get_by_role("option").filter(has_text="Phòng Nội chính - Tư pháp")
    expect(option.first).to_be_visible()
    with page.expect_navigation():
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    combo = page.locator("form.scope-picker").get_by_role("combobox", name="Phạm vi")
    expect(combo).to_have_value("Nghệ An \u203a Phòng Nội chính - Tư pháp")
    assert page.locator("form.scope-picker input[name=unit]").input_value() == str(department.pk)
    # Back to everything the user may see.
    with page.expect_navigation():
        page.get_by_role("button", name="Phạm vi: toàn bộ được phân quyền").click()
    expect(page.locator("form.scope-picker").get_by_role("combobox")).to_have_value("")


def test_without_javascript_the_picker_is_a_short_list(browser: Browser, demo: str) -> None:
    context = browser.new_context(base_url=demo, java_script_enabled=False)
    page = context.new_page()
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("trunguong")
    page.get_by_label("Mật khẩu").fill("noichinh-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    select = page.locator("form.scope-picker select[name=unit]")
    expect(select).to_be_visible()
    assert 1 < select.locator("option").count() <= 41
    nghe_an = Unit.objects.get(name="Ban Nội chính Tỉnh ủy Nghệ An")
    select.select_option(value=str(nghe_an.pk))
    page.locator("form.scope-picker").get_by_role("button", name="Áp dụng").click()
    expect(page.locator("form.scope-picker select[name=unit]")).to_have_value(str(nghe_an.pk))
    context.close()
