"""Browser tests: Playwright's sync API drives Debian's chromium against pytest-django's live
server, with the demo data loaded. Without /usr/bin/chromium every test here is skipped."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, sync_playwright

from noichinh.core.demo_snapshot import load_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
MISSING = f"Debian chromium not found at {CHROMIUM}"
SKIP_REASON = f"{MISSING}: browser tests skipped (apt-get install -y chromium; .ci/run does this)"
# .ci/run sets this: there, a missing browser fails the browser tests instead of skipping them.
BROWSER_REQUIRED = os.environ.get("NOICHINH_REQUIRE_BROWSER") == "1"
HERE = Path(__file__).resolve().parent
DEMO_PASSWORD = "noichinh-demo"
DESKTOP = {"width": 1280, "height": 800}

# Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM
# calls made while a loop runs (SynchronousOnlyOperation). The tests' ORM calls are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists() or BROWSER_REQUIRED:
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One chromium for the whole session; each test gets its own context (cookies, storage)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{MISSING}, and NOICHINH_REQUIRE_BROWSER=1 requires it (apt-get install -y chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db: None, live_server: Any) -> str:
    """The demo data in the live server's database; returns the server's base URL. The rows
    are committed (the server reads them) from the worker's copy of one real `load_demo`
    (noichinh.core.demo_snapshot); pytest-django's flush removes them after the test."""
    load_demo()
    return live_server.url


@pytest.fixture
def context(browser: Browser, demo: str) -> Iterator[BrowserContext]:
    # An English-language browser on purpose: the interface must still be Vietnamese.
    context = browser.new_context(base_url=demo, locale="en-US", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def log_in(page: Page) -> Callable[..., Response]:
    """Sign in through the real form; returns the response to the form's submission."""

    def sign_in(username: str, password: str = DEMO_PASSWORD) -> Response:
        page.goto("/tai-khoan/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Đăng nhập").click()
        return navigation.value

    return sign_in


# -- screenshots for reviewers (lane pagesb) ------------------------------------------------

ARTIFACTS = HERE / "artifacts" / "screenshots"  # git-ignored; CI keeps it as an artifact
SCREEN_WIDTHS = (1440, 768)


@pytest.fixture
def shoot(page: Page) -> Callable[[str], list[Path]]:
    """`shoot(name)` saves the current page as a reviewer sees it: full-page PNGs at 1440 and
    768 px, and as printed (print media at A4 width), in tests/e2e/artifacts/screenshots/."""

    def save(name: str) -> list[Path]:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        original = page.viewport_size or DESKTOP
        saved = []
        for width in SCREEN_WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            path = ARTIFACTS / f"{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            saved.append(path)
        # A4 at 96 dpi is 794 px wide; the print stylesheet applies.
        page.set_viewport_size({"width": 794, "height": 1123})
        page.emulate_media(media="print")
        path = ARTIFACTS / f"{name}-print.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
        page.emulate_media(media="screen")
        page.set_viewport_size(original)
        return saved

    return save
