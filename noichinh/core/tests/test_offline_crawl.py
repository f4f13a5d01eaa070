"""Crawl every page reachable by links from "/" and check that the site works offline.

For an administrator (who sees the whole tree) and for a specialist with a small scope, a
breadth-first walk over the internal `<a href>` links checks that every page answers 200 and
that no page, stylesheet or script loads anything from another host (no CDN, no web fonts):
the system runs on networks without Internet access.

The same walk, as every demo account, also keeps the interface a product (issue 13): no page
answers 5xx and no link leads to a 404; no `<select>` lists more than 200 options (long
choices use the autocomplete, core.autocomplete); no English phrase of the product (a msgid
of locale/vi/LC_MESSAGES/django.po of three words or more whose translation differs) appears
on a Vietnamese page; and no change-history tab shows a raw field name, `True`/`False`, `∅`
or an "app.model" name.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from noichinh.accounts.demo import DEMO_ACCOUNTS
from noichinh.accounts.models import User
from noichinh.core.demo_snapshot import load_demo

# WhiteNoise warns that STATIC_ROOT is not collected yet; in tests it serves from the finders.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

MAX_PAGES = 400
# The other accounts see the same kinds of pages within a smaller scope: the queue takes the
# first page of each kind first, so a smaller bound still reaches every kind they can see.
MAX_PAGES_OTHERS = 150
MIN_PAGES = 30
MAX_OPTIONS = 200
PO_FILE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MIN_PHRASE_WORDS = 3

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
        # (name or id, number of options) of every <select>
        self.selects: list[tuple[str, int]] = []
        # The text a reader meets: element text (not scripts or styles) and the attributes
        # that are read out or shown (placeholder, title, aria-label, alt).
        self.text: list[str] = []
        # Text of the history table's cells: ("field" | "before" | "after", text)
        self.history: list[tuple[str, str]] = []
        self.lang = ""
        self._skip = 0
        self._history_depth = 0
        self._cell: list[str] | None = None
        self._cell_kind = ""
        self._cell_depth = 0
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            self._void(tag, attrs)
            return
        self._depth += 1
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "html":
            self.lang = values.get("lang") or ""
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag == "select":
            self.selects.append((values.get("name") or values.get("id") or "?", 0))
        elif tag == "option" and self.selects:
            name, count = self.selects[-1]
            self.selects[-1] = (name, count + 1)
        if tag == "table" and "history" in classes:
            self._history_depth = self._depth
        if self._history_depth and tag == "span" and self._cell is None:
            kind = next((c for c in ("field", "before", "after") if c in classes), "")
            if kind:
                self._cell, self._cell_kind, self._cell_depth = [], kind, self._depth
        self._attributes(tag, attrs)

    def _void(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1
        if self._cell is not None and self._depth == self._cell_depth:
            self.history.append((self._cell_kind, " ".join("".join(self._cell).split())))
            self._cell = None
        if self._history_depth and self._depth == self._history_depth:
            self._history_depth = 0
        self._depth -= 1

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and name in READ_ATTRIBUTES:
                self.text.append(value)
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
        if not self._skip:
            self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
READ_ATTRIBUTES = frozenset({"placeholder", "title", "aria-label", "alt"})


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


# -- the product's English, and raw names -------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\{\w*\}")
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def po_entries(text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of a .po file's singular entries (plural forms are left out)."""
    entries: list[tuple[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgctxt ")):
            key, _space, rest = line.partition(" ")
            if key == "msgid" and "msgid" in current and "msgstr" in current:
                entries.append((current["msgid"], current["msgstr"]))
                current = {}
            current[key] = _unquote(rest)
        elif line.startswith("msgstr["):
            key = "plural"
        elif line.startswith('"') and key in current:
            current[key] += _unquote(line)
        elif not line:
            if "msgid" in current and "msgstr" in current and "msgid_plural" not in current:
                entries.append((current["msgid"], current["msgstr"]))
            current, key = {}, ""
    return [(msgid, msgstr) for msgid, msgstr in dict.fromkeys(entries)]


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return text.replace('\\"', '"').replace("\\n", " ").replace("\\\\", "\\")


def english_phrases(entries: list[tuple[str, str]]) -> set[tuple[str, ...]]:
    """The product's English phrases that a Vietnamese page must not show: the runs of words
    between placeholders of every translated msgid, when a run has three words or more."""
    phrases: set[tuple[str, ...]] = set()
    for msgid, msgstr in entries:
        if not msgid or not msgstr or msgstr == msgid:
            continue
        for run in PLACEHOLDER.split(msgid):
            words = tuple(word.lower() for word in WORD.findall(run))
            if len(words) >= MIN_PHRASE_WORDS and all(word.isascii() for word in words):
                phrases.add(words)
    return phrases


_phrases: set[tuple[str, ...]] | None = None


def product_phrases() -> set[tuple[str, ...]]:
    global _phrases
    if _phrases is None:
        _phrases = english_phrases(po_entries(PO_FILE.read_text(encoding="utf-8")))
    return _phrases


def english_on_page(text: str, phrases: set[tuple[str, ...]]) -> list[str]:
    """The product phrases found in a page's text, matched word by word (case-insensitive)."""
    words = [word.lower() for word in WORD.findall(text)]
    starts: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(words) - MIN_PHRASE_WORDS + 1):
        starts.setdefault(tuple(words[i : i + MIN_PHRASE_WORDS]), []).append(i)
    found = []
    for phrase in phrases:
        for i in starts.get(phrase[:MIN_PHRASE_WORDS], ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.append(" ".join(phrase))
                break
    return sorted(found)


RAW_FIELD = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
RAW_VALUE = re.compile(r"^(?:True|False|None|∅|[a-z_]+\.[a-z_]+)$|_id\b")


def raw_history_cells(cells: list[tuple[str, str]]) -> list[str]:
    """History cells that show the database instead of the user's words: a field's code name
    (`public_concern`, `unit_id`), True/False/None/∅ or an `app.model` name."""
    raw = []
    for kind, text in cells:
        if kind == "field" and RAW_FIELD.match(text):
            raw.append(f"field {text!r}")
        elif kind in ("before", "after") and RAW_VALUE.search(text):
            raw.append(f"{kind} {text!r}")
    return raw


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
    long_selects: list[str] = field(default_factory=list)
    english: list[str] = field(default_factory=list)
    raw_history: list[str] = field(default_factory=list)

    def check_html(self, url: str, html: str) -> PageParser:
        page = parse_page(html)
        for name, options in page.selects:
            if options > MAX_OPTIONS:
                self.long_selects.append(f"{url}: <select name={name}> with {options} options")
        if page.lang == "vi" and not url.startswith(SKIPPED_PREFIXES):
            for phrase in english_on_page(" ".join(page.text), product_phrases()):
                self.english.append(f"{url}: {phrase!r}")
        self.raw_history.extend(f"{url}: {cell}" for cell in raw_history_cells(page.history))
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


# Query parameters whose value makes another kind of page (a record's history tab); with other
# parameters (filters: ?stage=trial&trong=3) a page is a repeat of its path's kind: it is
# crawled after the first page of every kind, as the bound allows.
KIND_PARAMS = frozenset({"tab"})


def page_kind(url: str) -> str:
    """Pages that differ only in ids or filters are of one kind: /don-vi/<n>/?tab=history,
    /vu-an/ho-so/ (with any filter)."""
    parts = urlsplit(url)
    params = sorted(
        f"{key}={value}"
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key in KIND_PARAMS
    )
    return re.sub(r"\d+", "<n>", parts.path + ("?" + "&".join(params) if params else ""))


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


def crawl(client: Client, start: str = "/", max_pages: int = MAX_PAGES) -> CrawlReport:
    report = CrawlReport()
    queue = CrawlQueue(start)
    while queue and len(report.fetched) < max_pages:
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
        load_demo()
        client.force_login(User.objects.get(username=username))
        _reports[username] = crawl(
            client, max_pages=MAX_PAGES if username == "admin" else MAX_PAGES_OTHERS
        )
    return _reports[username]


# A specialist sees only Nghệ An's committee and its four departments: 25 pages in all.
USERS = [pytest.param("admin", MIN_PAGES, id="admin"), pytest.param("nghean", 20, id="nghean")]
# Every demo account: each sees its own scope, roles and menus.
ALL_USERS = [username for username, *_rest in DEMO_ACCOUNTS]


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
    assert page_kind("/vu-an/ho-so/?stage=trial") == page_kind("/vu-an/ho-so/?kind=case")
    assert page_kind("/don-vi/3/?tab=history") == page_kind("/don-vi/12/?tab=history")
    assert page_kind("/don-vi/3/?tab=history") != page_kind("/don-vi/3/?tab=info")


@pytest.mark.django_db
# nghean, regression: pages linked records outside the scope (404)
@pytest.mark.parametrize("username", ALL_USERS)
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


@pytest.mark.django_db
@pytest.mark.parametrize("username", ALL_USERS)
def test_no_select_lists_more_than_200_options(client: Client, username: str) -> None:
    report = crawl_as(client, username)
    assert not report.long_selects, (
        f"selects over {MAX_OPTIONS} options (use the autocomplete, core.autocomplete):\n"
        + "\n".join(sorted(set(report.long_selects)))
    )


@pytest.mark.django_db
@pytest.mark.parametrize("username", ALL_USERS)
def test_no_english_phrase_on_a_vietnamese_page(client: Client, username: str) -> None:
    report = crawl_as(client, username)
    assert not report.english, "English phrases of the product on Vietnamese pages:\n" + (
        "\n".join(sorted(set(report.english)))
    )


@pytest.mark.django_db
@pytest.mark.parametrize("username", ALL_USERS)
def test_history_tabs_show_no_raw_names(client: Client, username: str) -> None:
    report = crawl_as(client, username)
    history_pages = [url for url in report.fetched if "tab=history" in url]
    assert history_pages, "the crawl reached no change-history tab"
    assert not report.raw_history, "raw names in change-history tabs:\n" + "\n".join(
        sorted(set(report.raw_history))
    )


def test_product_checks_find_what_they_look_for() -> None:
    entries = po_entries(
        'msgid ""\nmsgstr ""\n"Language: vi\\n"\n\n'
        'msgid "Nothing matches these filters."\nmsgstr "Không có bản ghi nào."\n\n'
        'msgid ""\n"Only the newest entries "\n"are paged"\nmsgstr "Chỉ các mục mới nhất"\n\n'
        '#, python-format\nmsgid "Page %(n)s of %(total)s"\nmsgstr "Trang %(n)s/%(total)s"\n\n'
        'msgid "Two-factor sign-in"\nmsgstr "Two-factor sign-in"\n'
    )
    phrases = english_phrases(entries)
    assert ("nothing", "matches", "these", "filters") in phrases
    assert ("only", "the", "newest", "entries", "are", "paged") in phrases
    # Two-word runs between placeholders, and msgids left as they are, are not checked.
    assert not any(phrase[0] in ("page", "of", "two") for phrase in phrases)
    text = "Danh sách\n  Nothing   matches these filters. Xóa bộ lọc"
    assert english_on_page(text, phrases) == ["nothing matches these filters"]
    assert english_on_page("Không có bản ghi nào khớp", phrases) == []

    report = CrawlReport()
    options = "".join(f"<option value={i}>{i}</option>" for i in range(201))
    html = (
        f'<html lang="vi"><body><select name="unit">{options}</select>'
        '<select name="kind"><option>A</option></select>'
        '<p title="Nothing matches these filters.">x</p>'
        '<table class="table history"><tr><td><ul class="changes">'
        '<li><span class="field">public_concern</span>: <span class="after">True</span></li>'
        '<li><span class="field">Đơn vị</span>: <span class="before">units.unit</span> → '
        '<span class="after"><em>(đã xóa)</em> Nghệ An</span></li>'
        "</ul></td></tr></table></body></html>"
    )
    report.check_html("/x/", html)
    assert report.long_selects == ["/x/: <select name=unit> with 201 options"]
    assert report.english == ["/x/: 'nothing matches these filters'"]
    assert report.raw_history == [
        "/x/: field 'public_concern'",
        "/x/: after 'True'",
        "/x/: before 'units.unit'",
    ]
    # The real catalogue yields phrases (guards the parser against a format change).
    assert len(product_phrases()) > 300
