"""The case registry in a real browser: a specialist registers a case (dates typed dd/mm/yyyy),
records its investigation, suspends and resumes it; the list filtered by progress swaps its
table with htmx; the event form works from the keyboard alone.

The data is the test kit's small tree (not the demo), built in each test: fast, and the
figures are known."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Response, expect

from noichinh.cases.models import Case
from noichinh.cases.tests.test_resources import case_for
from noichinh.core.permissions import Role
from noichinh.core.testkit import TEST_PASSWORD, build_tree, make_user

pytestmark = pytest.mark.e2e

LogIn = Callable[..., Response]
LIST_URL = "/vu-an/ho-so/"
EVENT_FORM = "form[action$='/dien-bien/']"


def choose(page: Page, action: str) -> None:
    """Open the record header's actions menu and choose a verb: its form opens alone."""
    page.locator(".action-menu > summary").click()
    page.locator(f".action-menu-list a[href*='do={action}']").click()
    page.wait_for_selector(f"#action-{action}")


EVENT_FIELDS = [
    "occurred_on",
    "stage",
    "description",
    "people_prosecuted",
    "damage_amount",
    "recovered_amount",
    "document",
]


@pytest.fixture
def demo(transactional_db: None, live_server: Any) -> str:
    """Replaces the conftest's demo data: the test kit's tree is enough here, and quicker."""
    return live_server.url


@pytest.fixture
def tree(transactional_db: None) -> dict[str, Any]:
    tree = build_tree()
    tree["specialist"] = make_user("cv.a", tree["prov_a"], [Role.SPECIALIST])
    return tree


def badge(page: Page) -> Any:
    return page.locator("h1 .badge.status").first


def test_specialist_registers_a_case_records_its_stage_suspends_and_resumes_it(
    tree: dict[str, Any], log_in: LogIn, page: Page
) -> None:
    log_in("cv.a", TEST_PASSWORD)
    page.goto(LIST_URL)
    page.locator(".page-head .actions a[href$='/ho-so/add/']").click()
    page.wait_for_url("**/ho-so/add/")
    detected = timezone.localdate() - dt.timedelta(days=20)
    # The unit is an autocomplete (core.autocomplete): type, then pick the suggestion.
    page.locator("#id_unit").fill(tree["prov_a"].name)
    page.locator("#id_unit_listbox [role=option]", has_text=tree["prov_a"].name).first.click()
    page.locator("#id_title").fill("Sai phạm trong đấu thầu thiết bị y tế")
    page.locator("#id_kind").select_option("criminal_case")
    page.locator("#id_field").select_option("health")
    page.locator("#id_detected_on").fill(f"{detected:%d/%m/%Y}")
    page.locator("#id_detection").select_option("inspection")
    page.locator("form.record-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/vu-an/ho-so/\d+/$"))
    case = Case.objects.get(title="Sai phạm trong đấu thầu thiết bị y tế")
    assert case.detected_on == detected and case.unit == tree["prov_a"]
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sai phạm trong đấu thầu")
    expect(badge(page)).to_contain_text("Mới ghi nhận")  # Registered

    # Record the investigation (from the header's menu): the badge and the timeline follow.
    choose(page, "event")
    event_form = page.locator(EVENT_FORM)
    event_form.locator("[name=stage]").select_option("investigation")
    event_form.locator("[name=description]").fill("Cơ quan điều tra khởi tố vụ án")
    event_form.locator("[name=people_prosecuted]").fill("3")
    event_form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận diễn biến.")
    expect(badge(page)).to_have_text(re.compile(r"Điều tra"))
    page.locator(".nav-tabs a[href='?tab=events']").click()
    expect(page).to_have_url(re.compile(r"tab=events"))
    timeline = page.locator("#timeline tbody tr")
    expect(timeline).to_have_count(1)
    expect(timeline.first).to_contain_text("Điều tra")
    expect(timeline.first).to_contain_text("Cơ quan điều tra khởi tố vụ án")
    expect(page.locator(".nav-tabs a[href='?tab=events'] .count")).to_have_text("1")

    # Suspend (awaiting an expert assessment), then resume.
    page.locator(".nav-tabs a[href='?tab=info']").click()
    choose(page, "suspend")
    suspend_form = page.locator("form[action$='/tam-dinh-chi/']")
    suspend_form.locator("[name=reason]").select_option("assessment")
    suspend_form.locator("button[type=submit]").click()
    expect(badge(page)).to_contain_text("Tạm đình chỉ")
    expect(page.locator("#suspensions tbody tr")).to_have_count(1)
    expect(page.locator(".action-menu-list a[href*='do=suspend']")).to_have_count(0)
    choose(page, "resume")
    resume_form = page.locator("form[action$='/phuc-hoi/']")
    resume_form.locator("button[type=submit]").click()
    expect(badge(page)).to_have_text(re.compile(r"Điều tra"))
    expect(page.locator(".action-menu-list a[href*='do=suspend']")).to_have_count(1)
    case.refresh_from_db()
    assert (case.stage, case.suspended_since) == ("investigation", None)
    assert case.suspensions.get().ended_on == timezone.localdate()


def test_the_list_filtered_by_progress_swaps_its_table_with_htmx(
    tree: dict[str, Any], log_in: LogIn, page: Page
) -> None:
    a = tree["prov_a"]
    case_for(a, "Vụ án đất đai để lâu", detected_on=dt.date(2022, 3, 1))  # no event since 2022
    case_for(a, "Vụ việc mới phát hiện", detected_on=timezone.localdate())
    log_in("cv.a", TEST_PASSWORD)
    page.goto(LIST_URL)
    table = page.locator("#list-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    page.evaluate("window.__sameDocument = true")  # gone if the page were reloaded

    filters = page.locator("form.filters")
    with page.expect_request(lambda r: "state=stalled" in r.url) as request:
        filters.locator("[name=state]").select_option("stalled")
    assert request.value.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"[?&]state=stalled"))
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Vụ án đất đai để lâu")
    expect(table).not_to_contain_text("Vụ việc mới phát hiện")
    expect(table.locator("tbody tr").first).to_have_class(re.compile(r"table-warning"))
    assert page.evaluate("window.__sameDocument") is True

    # The Filter button gives the same table, and the filter survives a reload.
    filters.locator("button[type=submit]").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    page.reload()
    expect(page.locator("form.filters [name=state]")).to_have_value("stalled")
    expect(page.locator("#list-table tbody tr")).to_have_count(1)


def test_the_event_form_is_reachable_with_tab_and_every_field_has_a_visible_label(
    tree: dict[str, Any], log_in: LogIn, page: Page
) -> None:
    case = case_for(tree["prov_a"], "Vụ việc kiểm tra bàn phím", detected_on=dt.date(2025, 1, 6))
    log_in("cv.a", TEST_PASSWORD)
    page.goto(f"/vu-an/ho-so/{case.pk}/")
    # Choose the verb by keyboard: the header's menu opens with Enter, then its link.
    page.locator(".action-menu > summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".action-menu-list a[href*='do=event']")).to_be_visible()
    page.locator(".action-menu-list a[href*='do=event']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Start from the open form's close link and move by keyboard only.
    page.locator("#action-event a[href='?']").focus()
    reached: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """(selector) => {
                const el = document.activeElement;
                const form = el.closest(selector);
                if (!form) return null;
                const label = el.id ? form.querySelector(`label[for="${el.id}"]`) : null;
                const box = label ? label.getBoundingClientRect() : null;
                return {
                    name: el.name || el.dataset.acName || el.type,
                    labelText: label ? label.innerText.trim() : "",
                    labelVisible: !!box && box.width > 1 && box.height > 1,
                    labelTargetsIt: !!label && document.getElementById(label.htmlFor) === el,
                    outline: getComputedStyle(el).outlineStyle,
                    boxShadow: getComputedStyle(el).boxShadow,
                };
            }""",
            EVENT_FORM,
        )
        if focused is None:
            if reached:
                break
            continue
        reached.append(focused["name"])
        if focused["name"] == "submit":
            assert focused["outline"] != "none" or focused["boxShadow"] != "none", focused
            break
        assert focused["labelText"], f"no label for {focused['name']}"
        assert focused["labelVisible"], f"the label of {focused['name']} is hidden"
        assert focused["labelTargetsIt"], f"the label of {focused['name']} names another field"
        assert focused["outline"] != "none" or focused["boxShadow"] != "none", focused
    assert reached == [*EVENT_FIELDS, "submit"]

    # Typed by keyboard: the event is recorded.
    page.locator(f"{EVENT_FORM} [name=stage]").focus()
    page.keyboard.press("Tab")
    page.keyboard.type("Kiểm tra bằng bàn phím")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    focused_name = page.evaluate("document.activeElement.name")
    assert focused_name == "occurred_on"
    page.locator(f"{EVENT_FORM} button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận diễn biến.")
    assert case.events.get().description == "Kiểm tra bằng bàn phím"
