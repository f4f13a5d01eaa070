"""Intake in a real browser: a provincial specialist pastes a report, reads the highlights,
confirms the suggested mapping (correcting one row) and lands on the draft report with the
figures saved."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from noichinh.core.periods import Period
from noichinh.reports.models import Submission

pytestmark = pytest.mark.e2e

BODY = (
    "Các cơ quan tư pháp cấp huyện đã thụ lý 1.240 vụ việc, đã giải quyết 1.102 vụ việc. "
    "Tiếp nhận, xử lý 356 tin báo, tố giác tội phạm; phát hiện 12 vụ việc tham nhũng."
)


def test_paste_confirm_and_see_the_draft(log_in, page: Page) -> None:
    latest = (
        Submission.objects.filter(form__code="TW-QUY", unit__name="Ban Nội chính Tỉnh ủy Nghệ An")
        .order_by("-period_end")
        .first()
    )
    period = Period.parse(latest.period).next()  # a quarter not opened yet
    log_in("nghean")
    page.goto("/tiep-nhan/")
    page.get_by_label("Nội dung báo cáo").fill(f"Báo cáo {period.label}. {BODY}")
    page.get_by_role("button", name="Đọc báo cáo").click()

    marks = page.locator("#intake-text mark[data-kind='figures']")
    expect(marks.first).to_contain_text("1.240 vụ việc")
    expect(page.locator("#intake-text mark[data-kind='periods']").first).to_contain_text(
        period.label.split()[0]
    )
    serious = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:5]]}"
        for v in Axe().run(page).response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, serious  # the mapping's selects and ticks are labelled
    confirm = page.locator("#confirm-form")
    expect(confirm.locator("select[name='report_form'] option:checked")).to_contain_text("TW-QUY")
    expect(confirm.locator("select[name='period'] option:checked")).to_have_text(period.label)
    expect(confirm.locator("select[name='map_f0'] option:checked")).to_contain_text("TP-TL")
    expect(confirm.locator("select[name='map_f1'] option:checked")).to_contain_text("TP-GQ")
    expect(confirm.locator("select[name='map_f2'] option:checked")).to_contain_text("TG-TB")
    confirm.locator("select[name='map_f2']").select_option(label="Không dùng")  # corrected

    confirm.get_by_role("button", name="Tạo bản nháp").click()
    page.wait_for_url(re.compile(r"/bao-cao/bao-cao-don-vi/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Đã lưu số liệu vào bản nháp báo cáo")
    expect(page.locator("main")).to_contain_text("1.240")
    expect(page.locator("main")).to_contain_text("1.102")
    draft = Submission.objects.get(
        form__code="TW-QUY", unit__name="Ban Nội chính Tỉnh ủy Nghệ An", period=period.code
    )
    assert draft.status == "draft"
    values = {v.indicator.code: v.value for v in draft.values.select_related("indicator")}
    assert (values["TP-TL"], values["TP-GQ"], values["TN-PH"], values["TG-TB"]) == (
        1240,
        1102,
        12,
        None,
    )
