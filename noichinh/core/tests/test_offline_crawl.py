"""Crawl every page reachable by links from "/" and check that the site works offline.

For an administrator (who sees the whole tree) and for a specialist with a small scope, a
breadth-first walk over the internal `<a href>` links checks that every page answers 200 and
that no page, stylesheet or script loads anything from another host (no CDN, no web fonts):
the system runs on networks without Internet access.
"""

from __future__ import annotations

import io
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from noichinh.accounts.models import User

# WhiteNoise warns that STATIC_ROOT is not collected yet; in tests it serves from the finders.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

MAX_PAGES = 400
MIN_PAGES = 30

# Pages not reachable by a link (or skipped as /api/) that are fetched once explicitly.
EXTRA_PAGES = ("/api/docs/", "/api/schema/")
SKIPPED_PREFIXES = ("/static/", "/api/")
SKIPPED_FRAGMENTS = ("export", "template=1", "logout", "dang-xuat")
# Query parameters that only re-sort or re-page a list: one URL per combination is enough.
NAVIGATION_PARAMS = frozenset({"sort", "page", "per_page"})

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "testserver"})
URL_ATTRIBUTES = frozenset({"src", "href", "action", "formaction"})
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""", re.IGNORECASE)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# Loads from another host in a stylesheet or script; comments (licences) are stripped first.
REMOTE_LOAD_PATTERNS = {
    "url(http": re.compile(r"url\(\s*['\"]?\s*https?:", re.IGNORECASE),
    "url(//": re.compile(r"url\(\s*['\"]?\s*//", re.IGNORECASE),
    "@import of a remote URL": re.compile(
        r"@import\s+(?:url\(\s*)?['\"]?\s*(?:https?:)?//", re.IGNORECASE
    ),
    "fonts.googleapis": re.compile(r"fonts\.(?:googleapis|gstatic)\.com", re.IGNORECASE),
    "CDN URL": re.compile(
        r"(?:https?:)?//[\w.-]*(?:cdn|unpkg\.com|jsdelivr)[\w.-]*[/'\"]", re.IGNORECASE
    ),
}


# -- parsing --------------------------------------------------------------------------------


class PageParser(HTMLParser):
    """Collects the links a crawler follows and every URL the page refers to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.references: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.append(value)
            if name in URL_ATTRIBUTES:
                self.references.append(value.strip())
            if name == "style":
                self.references.extend(url for _quote, url in CSS_URL.findall(value))
            if tag == "a" and name == "href":
                self.links.append(value.strip())

    def handle_data(self, data: str) -> None:
        # Text of <style> (and harmless elsewhere): inline url(...) loads.
        self.references.extend(url for _quote, url in CSS_URL.findall(data))


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def is_external(url: str) -> bool:
    """True for an absolute (scheme://host) or protocol-relative (//host) URL to another host."""
    parts = urlsplit(url)
    if not parts.netloc:
        return False
    return (parts.hostname or "") not in LOCAL_HOSTS


def internal_path(base: str, href: str) -> str | None:
    """The path and query of an internal link, or None for links the crawler does not follow."""
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or is_external(href):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl_key(url: str) -> tuple[str, str, frozenset[str]]:
    """URLs that differ only in the values of sort/page/per_page share a key."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    kept = sorted((k, v) for k, v in params if k not in NAVIGATION_PARAMS)
    navigation = frozenset(k for k, _v in params if k in NAVIGATION_PARAMS)
    return parts.path, urlencode(kept), navigation


def should_follow(url: str) -> bool:
    if url.startswith(SKIPPED_PREFIXES):
        return False
    return not any(fragment in url.lower() for fragment in SKIPPED_FRAGMENTS)


def remote_loads(text: str) -> list[str]:
    """The names of the remote-load patterns found in a stylesheet or script."""
    without_comments = CSS_COMMENT.sub("", text)
    return [
        name for name, pattern in REMOTE_LOAD_PATTERNS.items() if pattern.search(without_comments)
    ]


# -- crawling -------------------------------------------------------------------------------


@dataclass
class CrawlReport:
    fetched: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    static_files: set[str] = field(default_factory=set)
    duplicate_ids: list[str] = field(default_factory=list)

    def check_html(self, url: str, html: str) -> PageParser:
        page = parse_page(html)
        # Two forms on one page must not share an id: a label would point at the wrong field.
        seen: set[str] = set()
        for element_id in page.ids:
            if element_id in seen:
                self.duplicate_ids.append(f"{url}: id={element_id}")
            seen.add(element_id)
        for reference in page.references:
            if is_external(reference):
                self.external.append(f"{url}: {reference}")
        for reference in page.references:
            path = urlsplit(reference).path
            if path.startswith("/static/") and path.endswith((".css", ".js")):
                self.static_files.add(path)
        return page


def fetch(client: Client, url: str, referrer: str, report: CrawlReport) -> PageParser | None:
    response = client.get(url)
    report.fetched.append(url)
    if response.status_code != 200:
        report.failures.append(f"{response.status_code} {url} (linked from {referrer})")
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return report.check_html(url, response.content.decode(response.charset or "utf-8"))


def page_kind(url: str) -> str:
    """Pages that differ only in ids are of one kind: /don-vi/<n>/?tab=history."""
    return re.sub(r"\d+", "<n>", url)


class CrawlQueue:
    """Breadth-first, but the first page of each kind goes before more pages of known kinds, so
    that the page limit cuts repeats (the 77th unit) rather than whole kinds of pages."""

    def __init__(self, start: str) -> None:
        self.first_of_kind: deque[tuple[str, str]] = deque()
        self.repeats: deque[tuple[str, str]] = deque()
        self.seen: set[tuple[str, str, frozenset[str]]] = set()
        self.kinds: set[str] = set()
        self.add(start, "(start)")

    def add(self, url: str, referrer: str) -> None:
        key = crawl_key(url)
        if key in self.seen:
            return
        self.seen.add(key)
        kind = page_kind(url)
        if kind in self.kinds:
            self.repeats.append((url, referrer))
        else:
            self.kinds.add(kind)
            self.first_of_kind.append((url, referrer))

    def pop(self) -> tuple[str, str]:
        return (self.first_of_kind or self.repeats).popleft()

    def __bool__(self) -> bool:
        return bool(self.first_of_kind or self.repeats)


def crawl(client: Client, start: str = "/") -> CrawlReport:
    report = CrawlReport()
    queue = CrawlQueue(start)
    while queue and len(report.fetched) < MAX_PAGES:
        url, referrer = queue.pop()
        page = fetch(client, url, referrer, report)
        if page is None:
            continue
        for href in page.links:
            target = internal_path(url, href)
            if target is not None and should_follow(target):
                queue.add(target, url)
    for url in EXTRA_PAGES:
        fetch(client, url, "(fetched explicitly)", report)
    return report


def static_text(client: Client, path: str) -> str | None:
    """A static file's text: through WhiteNoise when it serves it, else from the finders."""
    response = client.get(path)
    if response.status_code == 200:
        content = b"".join(response.streaming_content) if response.streaming else response.content
        response.close()
        return content.decode("utf-8", errors="replace")
    found = finders.find(path.removeprefix("/static/"))
    if found is None:
        return None
    with open(found, encoding="utf-8", errors="replace") as handle:
        return handle.read()


# -- the tests ------------------------------------------------------------------------------

# One crawl per user serves both tests of that user (the report is plain text, not database rows).
_reports: dict[str, CrawlReport] = {}


def crawl_as(client: Client, username: str) -> CrawlReport:
    if username not in _reports:
        call_command("load_demo", stdout=io.StringIO())
        client.force_login(User.objects.get(username=username))
        _reports[username] = crawl(client)
    return _reports[username]


# A specialist sees only Nghệ An's committee and its four departments: 25 pages in all.
USERS = [pytest.param("admin", MIN_PAGES, id="admin"), pytest.param("nghean", 20, id="nghean")]


def test_detectors_tell_local_from_remote() -> None:
    assert is_external("https://cdn.example.com/x.js")
    assert is_external("//fonts.googleapis.com/css")
    assert not is_external("http://testserver/don-vi/")
    assert not is_external("/static/noichinh/noichinh.css")
    assert not is_external("data:image/svg+xml;base64,AAAA")
    assert parse_page('<div style="background: url(//x.org/a.png)">').references == [
        "//x.org/a.png"
    ]
    assert remote_loads("/*! (c) https://cdn.example.com */ a{color:red}") == []
    assert remote_loads("@import url(https://x.org/a.css);") == [
        "url(http",
        "@import of a remote URL",
    ]
    assert remote_loads("a{src:url('//fonts.gstatic.com/f.woff')}") == [
        "url(//",
        "fonts.googleapis",
    ]
    assert remote_loads('s.src="https://cdn.jsdelivr.net/npm/x.js"') == ["CDN URL"]
    assert crawl_key("/don-vi/?sort=code&page=2") == crawl_key("/don-vi/?page=3&sort=name")
    assert crawl_key("/don-vi/?status=all") != crawl_key("/don-vi/?status=closed")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username",
    [
        "admin",
        "nghean",  # regression: pages linked records outside the scope (404)
    ],
)
def test_every_linked_page_answers_200(client: Client, username: str) -> None:
    report = crawl_as(client, username)
    assert not report.failures, "pages that do not answer 200:\n" + "\n".join(report.failures)
    assert not report.duplicate_ids, "ids used twice on a page:\n" + "\n".join(
        sorted(set(report.duplicate_ids))
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "min_pages"), USERS)
def test_pages_and_static_files_load_nothing_from_other_hosts(
    client: Client, username: str, min_pages: int
) -> None:
    report = crawl_as(client, username)
    distinct = set(report.fetched)
    assert len(distinct) >= min_pages, f"only {len(distinct)} pages reached: {sorted(distinct)}"
    assert not report.external, "external URLs in pages:\n" + "\n".join(report.external)

    assert report.static_files, "no stylesheet or script found in the pages"
    problems = []
    for path in sorted(report.static_files):
        text = static_text(client, path)
        if text is None:
            problems.append(f"{path}: not found")
            continue
        problems.extend(f"{path}: {name}" for name in remote_loads(text))
    assert not problems, "static files that load from other hosts:\n" + "\n".join(problems)


def test_duplicate_ids_are_reported() -> None:
    report = CrawlReport()
    report.check_html("/x/", '<label for="a">A</label><input id="a"><select id="a"></select>')
    assert report.duplicate_ids == ["/x/: id=a"]
