"""Emulation campaigns in a real browser: a cluster's review table ranked by score with the
cluster's totals; a province registers a target, submits its registration, and only the level
above approves it.

The data is the test kit's small tree (not the demo) with a campaign, a criterion counting
corruption cases, two reviews and a cluster of the two provinces, built in the test."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from noichinh.campaigns.models import Target, TargetRegistration
from noichinh.campaigns.tests.test_resources import campaign_for, criterion_for, review_for
from noichinh.cases.tests.test_resources import case_for
from noichinh.core.permissions import Role
from noichinh.core.testkit import TEST_PASSWORD, build_tree, make_user
from noichinh.units.models import Cluster

pytestmark = pytest.mark.e2e


def choose(page: Page, action: str) -> None:
    """Open the record header's actions menu and choose a verb: its form opens alone."""
    page.locator(".action-menu > summary").click()
    page.locator(f".action-menu-list a[href*='do={action}']").click()
    page.wait_for_selector(f"#action-{action}")


LogIn = Callable[..., Response]
D = dt.date


@pytest.fixture
def demo(transactional_db: None, live_server: Any) -> str:
    """Replaces the conftest's demo data: the test kit's tree is enough here, and quicker."""
    return live_server.url


@pytest.fixture
def setup(transactional_db: None) -> dict[str, Any]:
    tree = build_tree()
    campaign = campaign_for(tree["root"])
    cluster = Cluster.objects.create(unit=tree["root"], code="C-T", name="Cụm thi đua thử")
    cluster.members.set([tree["prov_a"], tree["prov_b"]])
    for i in range(3):
        case_for(tree["prov_a"], f"Vụ A{i}", detected_on=D(2022, 3, 1))
    case_for(tree["prov_b"], "Vụ B0", detected_on=D(2022, 3, 1))
    make_user("cv.a", tree["prov_a"], [Role.SPECIALIST])
    make_user("ld.a", tree["prov_a"], [Role.HEAD])
    return {
        **tree,
        "campaign": campaign,
        "cases": criterion_for(campaign, "1", "cases.corruption"),
        "midterm": review_for(campaign, "midterm", D(2023, 10, 31)),
        "final": review_for(campaign, "final", D(2025, 10, 31)),
        "cluster": cluster,
        "head_root": make_user("ld.tw", tree["root"], [Role.HEAD]),
    }


def test_cluster_review_ranks_the_committees_and_totals_the_cluster(
    setup: dict[str, Any], log_in: LogIn, page: Page
) -> None:
    s = setup
    for unit, target in ((s["prov_a"], 2), (s["prov_b"], 3)):
        registration = TargetRegistration.objects.create(
            unit=unit, campaign=s["campaign"], status="approved"
        )
        Target.objects.create(
            unit=unit,
            registration=registration,
            criterion=s["cases"],
            review=s["midterm"],
            value=target,
        )
    log_in("ld.tw", TEST_PASSWORD)
    page.goto(f"/thi-dua/cum/{s['cluster'].pk}/")
    # Without a choice, the latest review past its cut-off (the final one) is shown.
    reviews = page.locator("main p.small a[href^='?review=']")
    expect(reviews).to_have_count(2)
    expect(reviews.locator("xpath=self::*[contains(@class, 'fw-bold')]")).to_have_attribute(
        "href", f"?review={s['final'].pk}"
    )
    reviews.filter(has=page.locator(f"xpath=self::*[@href='?review={s['midterm'].pk}']")).click()
    expect(page).to_have_url(re.compile(rf"review={s['midterm'].pk}"))

    table = page.locator("#cluster-table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    # rank, committee, target, actual, %, score
    expect(rows.nth(0).locator("td")).to_have_text(
        ["1", "Ban thử Tỉnh A", "2", "3", re.compile(r"^150"), re.compile(r"^150")]
    )
    expect(rows.nth(1).locator("td")).to_have_text(
        ["2", "Ban thử Tỉnh B", "3", "1", re.compile(r"^33,3"), re.compile(r"^33,3")]
    )
    # The committee links to its registration, the actual figure to the cases behind it.
    expect(rows.nth(0).get_by_role("link", name="Ban thử Tỉnh A")).to_have_attribute(
        "href", re.compile(r"/thi-dua/dang-ky/\d+/")
    )
    expect(rows.nth(0).get_by_role("link", name="3")).to_have_attribute(
        "href", re.compile(r"^/vu-an/ho-so/")
    )
    total = table.locator("tfoot tr")
    expect(total.locator("th")).to_have_text(["Toàn cụm", "5", "4", re.compile(r"^80"), ""])


def test_a_province_registers_and_submits_and_only_the_level_above_approves(
    setup: dict[str, Any], log_in: LogIn, page: Page, context: BrowserContext
) -> None:
    s = setup
    registration = TargetRegistration.objects.create(unit=s["prov_a"], campaign=s["campaign"])
    url = f"/thi-dua/dang-ky/{registration.pk}/"
    log_in("cv.a", TEST_PASSWORD)
    page.goto(url)
    status = page.locator("h1 .badge.status")
    expect(status).to_have_text("Nháp")
    choose(page, "set")  # the verbs are in the record header's menu
    set_form = page.locator("form[action$='/chi-tieu/']")
    set_form.locator("[name=criterion]").select_option(str(s["cases"].pk))
    set_form.locator("[name=review]").select_option(str(s["midterm"].pk))
    set_form.locator("[name=value]").fill("5")
    with page.expect_navigation():
        set_form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu chỉ tiêu")
    # The grid: whole period, then each review by its cut-off.
    expect(page.locator("#targets tbody tr td")).to_have_text(["1. Tiêu chí 1", "—", "5", "—"])

    choose(page, "submit")
    with page.expect_navigation():
        page.locator("form[action$='/trinh/'] button[type=submit]").click()
    expect(status).to_have_text("Đã gửi")
    expect(page.locator(".action-menu-list a[href*='do=set']")).to_have_count(0)
    expect(page.locator(".action-menu-list a[href*='do=approve']")).to_have_count(0)

    # The province's own head is not the level above: no decision on this page.
    context.clear_cookies()
    log_in("ld.a", TEST_PASSWORD)
    page.goto(url)
    expect(status).to_have_text("Đã gửi")
    expect(page.locator(".action-menu-list a[href*='do=approve']")).to_have_count(0)

    context.clear_cookies()
    log_in("ld.tw", TEST_PASSWORD)
    page.goto(url)
    choose(page, "approve")
    with page.expect_navigation():
        page.locator("form[action$='/phe-duyet/'] button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Đã phê duyệt")
    expect(status).to_have_text("Đã phê duyệt")
    expect(page.locator(".action-menu-list a[href*='do=approve']")).to_have_count(0)
    registration.refresh_from_db()
    assert registration.status == "approved"
    assert registration.decided_by == s["head_root"]
