"""Periodic reports in a real browser: Quảng Bình's nine-month roll-up with the same period last
year, and a provincial specialist filling in the draft quarterly report."""

import pytest
from playwright.sync_api import Page, expect

from noichinh.reports.models import ReportForm, Submission

pytestmark = pytest.mark.e2e


def test_quang_binh_roll_up_shows_the_briefing_figures(log_in, page: Page) -> None:
    log_in("quangbinh")
    form = ReportForm.objects.get(code="QB-GB-9T")
    page.goto(f"/bao-cao/bieu-mau/{form.pk}/tong-hop/?period=2024-9M")
    figures = page.locator("#figures")
    for number in ("72", "8.651", "7.187", "83 %", "1.703", "75", "122"):
        expect(figures).to_contain_text(number)
    expect(figures).to_contain_text("8.012")  # 9 months of 2023
    expect(page.locator("#completeness")).to_contain_text("8/8")
    expect(page.locator("#by-unit")).to_contain_text("Đồng Hới")


def test_specialist_fills_in_and_submits_the_draft(log_in, page: Page) -> None:
    log_in("nghean")
    draft = Submission.objects.get(form__code="TW-QUY", period="2024-Q4", unit__code="NA-BNCTU")
    page.goto(f"/bao-cao/bao-cao-don-vi/{draft.pk}/nhap-so-lieu/")
    accepted = page.locator("input[name^='v']").nth(1)
    accepted.fill("abc")
    page.locator("button[name='save']").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("input[name^='v']").nth(1)).to_have_value("abc")
    page.locator("input[name^='v']").nth(1).fill("2.100")
    page.locator("button[name='submit']").click()
    page.wait_for_url(f"**/bao-cao-don-vi/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.status == "submitted"
