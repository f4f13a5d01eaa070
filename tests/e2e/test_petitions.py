"""Petitions in a real browser: a head registers a denunciation (dates typed dd/mm/yyyy) and
accepts it (thụ lý), and the legal deadline to resolve it shows; a specialist of the same
unit never sees who denounced (Law on Denunciations 2018, Art. 47-48).

The data is the test kit's small tree (not the demo), built in the test."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, Response, expect

from noichinh.core.permissions import Role
from noichinh.core.testkit import TEST_PASSWORD, build_tree, make_user
from noichinh.core.text import format_date
from noichinh.petitions.models import Petition

pytestmark = pytest.mark.e2e

LogIn = Callable[..., Response]
DENOUNCER = "Trần Thị Tố Giác"
ADDRESS = "Số 12 đường Lê Lợi, phường Vinh Phú"
ID_NUMBER = "040190001234"


@pytest.fixture
def demo(transactional_db: None, live_server: Any) -> str:
    """Replaces the conftest's demo data: the test kit's tree is enough here, and quicker."""
    return live_server.url


@pytest.fixture
def tree(transactional_db: None) -> dict[str, Any]:
    tree = build_tree()
    make_user("ld.a", tree["prov_a"], [Role.HEAD])
    make_user("cv.a", tree["prov_a"], [Role.SPECIALIST])
    return tree


def vn_date(day: dt.date) -> re.Pattern[str]:
    """A date as the pages print it: 5/3/2026 or 05/03/2026."""
    return re.compile(rf"^\s*0?{day.day}/0?{day.month}/{day.year}\s*$")


def test_head_registers_and_accepts_a_denunciation_a_specialist_never_sees_the_denouncer(
    tree: dict[str, Any], log_in: LogIn, page: Page, context: BrowserContext
) -> None:
    today = timezone.localdate()
    received = today - dt.timedelta(days=2)
    log_in("ld.a", TEST_PASSWORD)
    page.goto("/don-thu/don/")
    page.locator(".page-head .actions a[href$='/don/add/']").click()
    page.wait_for_url("**/don/add/")
    # The unit is an autocomplete (core.autocomplete): type, then pick the suggestion.
    page.locator("#id_unit").fill(tree["prov_a"].name)
    page.locator("#id_unit_listbox [role=option]", has_text=tree["prov_a"].name).first.click()
    page.locator("#id_reference").fill("TC-01/2026")
    page.locator("#id_received_on").fill(f"{received:%d/%m/%Y}")
    page.locator("#id_channel").select_option("post")
    page.locator("#id_kind").select_option("denunciation")
    page.locator("#id_field").select_option("corruption")
    page.locator("#id_subject").fill("Tố cáo cán bộ địa chính nhận tiền khi cấp sổ đỏ")
    page.locator("#id_petitioner_name").fill(DENOUNCER)
    page.locator("#id_petitioner_address").fill(ADDRESS)
    page.locator("#id_petitioner_id_number").fill(ID_NUMBER)
    page.locator("#id_accused").fill("Ông Nguyễn Văn B, cán bộ địa chính xã")
    page.locator("form.record-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/don-thu/don/\d+/$"))
    petition = Petition.objects.get(reference="TC-01/2026")
    assert (petition.status, petition.received_on) == ("received", received)

    # The head sees the identity, with the reminder that it is protected.
    expect(page.locator("#petitioner")).to_contain_text(DENOUNCER)
    expect(page.locator("#petitioner")).to_contain_text(ID_NUMBER)
    expect(page.locator("h1 .badge.status").first).to_contain_text("Tiếp nhận")

    # Classify: accept (thụ lý) today.
    # The verbs are in the record header's menu; a chosen one opens its form alone.
    page.locator(".action-menu > summary").click()
    page.locator(".action-menu-list a[href*='do=classify']").click()
    classify = page.locator("#action-classify form")
    expect(classify.locator("[name=on]")).to_have_value(format_date(today))
    classify.locator("[name=decision]").select_option("accept")
    with page.expect_navigation():
        classify.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Đã phân loại, xử lý đơn.")
    expect(page.locator("h1 .badge.status").first).to_contain_text("Thụ lý")
    petition.refresh_from_db()
    assert petition.status == "accepted" and petition.accepted_on == today
    due = petition.resolve_due_on
    assert due is not None and due >= today + dt.timedelta(days=30)
    deadline = page.locator("dl.facts dt", has_text="Hạn giải quyết").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(deadline).to_have_text(vn_date(due))
    expect(page.locator("#clock")).to_contain_text("30")
    # The next steps replace the classification.
    expect(page.locator("#action-classify")).to_have_count(0)
    expect(page.locator(".action-menu-list a[href*='do=classify']")).to_have_count(0)
    expect(page.locator(".action-menu-list a[href*='do=resolve']")).to_have_count(1)

    # A specialist of the same unit: the petition, never the denouncer.
    context.clear_cookies()
    log_in("cv.a", TEST_PASSWORD)
    response = page.goto(f"/don-thu/don/{petition.pk}/")
    assert response is not None and response.ok
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tố cáo cán bộ địa chính")
    expect(page.locator("#petitioner")).to_contain_text("không hiển thị với vai trò")
    expect(deadline).to_have_text(vn_date(due))
    for secret in (DENOUNCER, ADDRESS, ID_NUMBER):
        expect(page.locator("body")).not_to_contain_text(secret)
        assert secret not in page.content()
    # Nor in the list, nor in the change history, nor on the edit form.
    page.goto("/don-thu/don/")
    row = page.locator("#list-table tbody tr", has_text="TC-01/2026")
    expect(row).to_contain_text("(được bảo vệ)")
    assert DENOUNCER not in page.content()
    page.goto(f"/don-thu/don/{petition.pk}/?tab=history")
    assert DENOUNCER not in page.content() and ID_NUMBER not in page.content()
    page.goto(f"/don-thu/don/{petition.pk}/edit/")
    expect(page.locator("#id_subject")).to_be_visible()
    expect(page.locator("[name^=petitioner_]")).to_have_count(0)
    assert DENOUNCER not in page.content()
