"""Read a Vietnamese report, briefing article or meeting conclusion and pull out its facts.

Pure Python and regular expressions: no model, no download. `extract(text)` returns an
`Extraction` whose every item carries character offsets [start, end) into `Extraction.text` (the
input in Unicode NFC; for NFC input, the input itself) and `text == source[start:end]`.

Guarding against catastrophic backtracking: no pattern nests an unbounded quantifier inside
another one, every free-text run is bounded ({0,120}), and alternations of words are anchored on
a literal. docs/intake.md gives the design, the evaluation and how to rerun it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from noichinh.core.text import format_number
from noichinh.documents.codes import _CODE_IN_TEXT, CodeError, ParsedCode, parse_code

# Upper-case letters of Vietnamese (Latin with every tone and mark), for proper names.
_UP = "A-ZĐ" + "".join(ch for ch in map(chr, range(0xC0, 0x1EFA)) if ch.isupper() and ch.isalpha())
_UPPER = f"[{_UP}]"
_WORD_UP = rf"{_UPPER}[^\W\d_]{{0,14}}"  # one capitalised word (bounded)

MAX_LENGTH = 2 * 1024 * 1024


class _Scan:
    """A pattern tried only where one of its first words occurs: a plain alternation of words
    is scanned by the regex engine's fast search, a pattern that opens with a look-behind or
    IGNORECASE is tried at every character (ten times slower on 1 MB)."""

    def __init__(
        self,
        anchors: Iterable[str] | None,
        pattern: str,
        flags: int = 0,
        *,
        prefilter: str | None = None,
    ) -> None:
        if prefilter is None:
            words = set()
            for word in anchors or ():
                words |= {word, word[:1].upper() + word[1:], word.upper()}
            prefilter = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        self.pre = re.compile(prefilter)
        self.full = re.compile(pattern, flags)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pos = 0
        while True:
            hit = self.pre.search(text, pos)
            if hit is None:
                return
            match = self.full.match(text, hit.start())
            if match is not None and match.end() > match.start():
                yield match
                pos = match.end()
            else:
                pos = hit.start() + 1

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self.full.search(text, pos, len(text) if endpos is None else endpos)


# ---------------------------------------------------------------- items
@dataclass
class Item:
    text: str
    start: int
    end: int


@dataclass
class PeriodItem(Item):
    kind: str  # year, quarter, half, nine_months, month, term
    year: int | None
    number: int | None  # quarter 1-4, month 1-12, half 1-2
    label: str
    start_date: str | None
    end_date: str | None
    comparison: bool = False  # "cùng kỳ năm 2023", "so với năm 2023"


@dataclass
class DateItem(Item):
    value: str  # ISO
    year_from_context: bool = False


@dataclass
class Figure(Item):
    value: int | float
    unit: str
    counts: str


@dataclass
class Ratio(Item):
    part: int | float
    total: int | float
    unit: str
    computed_percent: float | None
    stated_percent: float | None
    stated_text: str | None = None
    stated_start: int | None = None
    stated_end: int | None = None


@dataclass
class Change(Item):
    direction: str  # increase, decrease
    value: int | float
    unit: str
    compared_to: str | None  # same_period_last_year, previous_period, "2023", or None


@dataclass
class DocumentRef(Item):
    code: str
    doc_type: str | None
    date: str | None
    registry_id: int | None = None
    registry_date: str | None = None


@dataclass
class Organisation(Item):
    name: str


@dataclass
class Person(Item):
    name: str
    titles: list[str]


@dataclass
class Task(Item):
    number: int
    marker: str


@dataclass
class Warning(Item):
    kind: str  # ratio_percent, total_mismatch, document_dates, registry_date
    message: str
    quotes: list[str]
    offsets: list[list[int]]


@dataclass
class Extraction:
    text: str
    period: PeriodItem | None = None
    periods: list[PeriodItem] = field(default_factory=list)
    dates: list[DateItem] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    KINDS = (
        "periods",
        "dates",
        "figures",
        "ratios",
        "changes",
        "documents",
        "organisations",
        "people",
        "tasks",
        "warnings",
    )

    def items(self) -> list[tuple[str, Item]]:
        """Every item with its kind, in text order (the page highlights them)."""
        found: list[tuple[str, Item]] = []
        for kind in self.KINDS:
            found.extend((kind, item) for item in getattr(self, kind))
        return sorted(found, key=lambda pair: (pair[1].start, -pair[1].end))

    def as_json(self, *, include_text: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"length": len(self.text)}
        if include_text:
            data["text"] = self.text
        data["period"] = _plain(self.period) if self.period else None
        for kind in self.KINDS:
            data[kind] = [_plain(item) for item in getattr(self, kind)]
        return data


def _plain(item: Item) -> dict[str, Any]:
    return asdict(item)


# ---------------------------------------------------------------- numbers
# A number starts at a digit that no digit, separator or slash precedes (the look-behind comes
# after the first digit so that the scan jumps from digit to digit).
_NUM_CORE = r"\d(?:\d{0,2}(?:\.\d{3}){1,5}|\d{0,14})(?:,\d{1,6})?(?!\d|[.,]\d)"
_NUM = rf"{_NUM_CORE}(?!/)"
_NUM_START_CORE = r"\d(?<![\d.,/]\d)" + _NUM_CORE[2:]


def parse_number(raw: str) -> Decimal:
    """'8.651' -> 8651, '115,4' -> 115.4, '02' -> 2 (Vietnamese separators)."""
    cleaned = raw.replace(".", "").replace(",", ".").strip()
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return Decimal(0)


def _as_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# Count nouns, longest first (what a figure counts).
COUNT_NOUNS = sorted(
    {
        "vụ án",
        "vụ việc",
        "vụ",
        "bị can",
        "bị cáo",
        "đơn thư",
        "đơn",
        "lượt đơn",
        "lượt công dân",
        "lượt người",
        "lượt",
        "người",
        "cá nhân",
        "tập thể",
        "tổ chức đảng",
        "tổ chức cơ sở đảng",
        "đảng viên",
        "cán bộ",
        "công chức",
        "cuộc thanh tra",
        "cuộc kiểm tra",
        "cuộc giám sát",
        "cuộc",
        "đoàn",
        "kết luận",
        "văn bản",
        "kiến nghị",
        "tin báo",
        "nguồn tin",
        "trường hợp",
        "hồ sơ",
        "hội nghị",
        "lớp",
        "buổi",
        "đối tượng",
        "đơn vị",
        "cơ quan",
        "địa phương",
        "tổ chức",
        "doanh nghiệp",
        "nhiệm vụ",
        "chỉ tiêu",
        "việc",
        "vấn đề",
        "điểm",
        "bản án",
        "quyết định",
        "phiên tòa",
        "phiên",
        "tài sản",
        "ngày",
        "ha",
        "m2",
        "tập thể lãnh đạo",
        "lãnh đạo",
        "chi bộ",
        "đảng bộ",
        "xã",
        "huyện",
        "tỉnh",
        "sở",
        "ngành",
        "dự án",
        "gói thầu",
        "đề án",
        "báo cáo",
        "cuộc họp",
        "tin",
        "bài",
        "phóng sự",
        "lượt tiếp",
        "đồng chí",
        "thành viên",
        "học viên",
        "tổ công tác",
        "căn hộ",
        "thửa đất",
        "đại biểu",
    },
    key=len,
    reverse=True,
)


def _trie(words: Iterable[str]) -> str:
    """One alternation of words as a prefix tree: the engine tries one branch per letter
    instead of every word in turn (longest word first at each branch)."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + render(child) for ch, child in node.items() if ch]
        branches.sort(key=len, reverse=True)
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if optional:
            return ("(?:" + body + ")?") if len(branches) == 1 else body + "?"
        return body

    return "(?:" + render(tree) + ")"


_NOUN = _trie(COUNT_NOUNS)
_MONEY = r"(?P<mult>nghìn tỷ|ngàn tỷ|tỷ|triệu|nghìn|ngàn)?\s{0,3}(?P<cur>đồng|USD|đô la)"
_MULT = {
    None: Decimal(1),
    "nghìn": Decimal(10) ** 3,
    "ngàn": Decimal(10) ** 3,
    "triệu": Decimal(10) ** 6,
    "tỷ": Decimal(10) ** 9,
    "nghìn tỷ": Decimal(10) ** 12,
    "ngàn tỷ": Decimal(10) ** 12,
}
# A few words of what the noun counts ("đơn khiếu nại", "vụ án tham nhũng"), bounded.
_TAIL_STOP = r"(?:và|với|so|trong|tăng|giảm|đạt|của|tại|ở|là|được|đã|bằng|chiếm|trên)\b"
_COUNTS_TAIL = rf"(?P<tail>(?:[ \t]{{1,3}}(?!{_TAIL_STOP})[^\W\d_]{{1,10}}){{0,3}})"
_MEASURE = re.compile(
    rf"(?P<num>{_NUM_START_CORE})\s{{0,3}}"
    rf"(?:(?P<pct>%|phần trăm)|{_MONEY}|(?P<noun>{_NOUN})(?![^\W\d_]){_COUNTS_TAIL})"
)


def _measure(match: re.Match[str]) -> tuple[Decimal, str, str]:
    """(value, unit, counts) of a _MEASURE match."""
    value = parse_number(match["num"])
    if match["pct"]:
        return value, "%", "%"
    if match["cur"]:
        cur = match["cur"].lower()
        cur = "USD" if cur in ("usd", "đô la") else "đồng"
        mult = (match["mult"] or "").lower() or None
        return value * _MULT[mult], cur, cur
    noun = match["noun"].lower()
    tail = (match["tail"] or "").strip()
    counts = f"{noun} {tail}".strip() if tail else noun
    return value, noun, counts


# ---------------------------------------------------------------- dates and periods
_YEAR = r"(?:19|20)\d\d"
_DATE_FULL = re.compile(
    r"(?P<d>\d(?<![\d/.,-]\d)\d?)(?:(?P<sep>[/.-])(?P<m>\d\d?)(?P=sep)"
    rf"|\s{{1,2}}/\s{{1,2}}(?P<m2>\d\d?)\s{{1,2}}/\s{{1,2}})(?P<y>{_YEAR})(?![\d/])"
)
_DATE_LONG = _Scan(
    ["ngày"],
    rf"\bngày\s{{1,3}}(?P<d>\d{{1,2}})\s{{1,3}}tháng\s{{1,3}}(?P<m>\d{{1,2}})\s{{1,3}}năm\s{{1,3}}(?P<y>{_YEAR})(?!\d)",
    re.IGNORECASE,
)
_DATE_SHORT = _Scan(
    ["ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "từ", "đến", "tới"],
    r"\b(?:ngày|sáng|chiều|tối|trưa|đêm|hôm|từ|đến|tới)\s{1,3}(?:ngày\s{1,3})?"
    r"(?P<date>(?P<d>\d{1,2})/(?P<m>\d{1,2}))(?![\d/])",
    re.IGNORECASE,
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_PERIODS = _Scan(
    ["9", "chín", "6", "sáu", "quý", "tháng", "nhiệm kỳ", "giai đoạn", "năm"],
    rf"\b(?:(?P<nine>(?:9|chín)\s{{1,3}}tháng(?:\s{{1,3}}đầu)?\s{{1,3}}năm)"
    rf"|(?P<half>(?:6|sáu)\s{{1,3}}tháng\s{{1,3}}(?P<hpart>đầu|cuối)\s{{1,3}}năm)"
    rf"|(?P<quarter>quý\s{{1,3}}(?P<q>IV|III|II|I|[1-4])(?![\w]))"
    rf"|(?P<month>tháng\s{{1,3}}(?P<mo>\d{{1,2}})(?=\s{{0,3}}(?:/|năm)\s{{0,3}}{_YEAR}))"
    rf"|(?P<term>(?:nhiệm kỳ|giai đoạn)\s{{1,3}}(?P<t1>{_YEAR})"
    rf"\s{{0,2}}[-\u2013]\s{{0,2}}(?P<t2>{_YEAR}))"
    rf"|(?P<yearonly>năm(?=\s{{1,3}}{_YEAR}\b)))"
    rf"(?:\s{{0,3}}(?:/|-|năm)?\s{{0,3}}(?P<y>{_YEAR})(?!\d))?",
    re.IGNORECASE,
)
_COMPARISON_BEFORE = re.compile(r"(?:cùng kỳ|so với|so cùng kỳ|so với cùng kỳ)\s{0,3}$", re.I)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _period_dates(kind: str, year: int, number: int | None) -> tuple[dt.date, dt.date]:
    if kind == "quarter" and number:
        start = dt.date(year, 3 * number - 2, 1)
        end_month = 3 * number
    elif kind == "half" and number:
        start = dt.date(year, 1 if number == 1 else 7, 1)
        end_month = 6 if number == 1 else 12
    elif kind == "nine_months":
        start, end_month = dt.date(year, 1, 1), 9
    elif kind == "month" and number:
        start, end_month = dt.date(year, number, 1), number
    else:
        start, end_month = dt.date(year, 1, 1), 12
    nxt = dt.date(year + (end_month == 12), end_month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def _period_label(kind: str, year: int | None, number: int | None) -> str:
    y = f" {year}" if year else ""
    if kind == "quarter":
        return f"Quý {['I', 'II', 'III', 'IV'][(number or 1) - 1]}" + (f"/{year}" if year else "")
    if kind == "half":
        return ("6 tháng đầu năm" if number == 1 else "6 tháng cuối năm") + y
    if kind == "nine_months":
        return "9 tháng đầu năm" + y
    if kind == "month":
        return f"Tháng {number}" + (f"/{year}" if year else "")
    return "Năm" + y


class _Years:
    """The explicit years of a text by position: a date or period without one takes the
    nearest year written before it, else the first one after."""

    def __init__(self, text: str) -> None:
        self.spots = [
            (m.start(), int(m.group(0)))
            for m in re.finditer(r"[12](?<!\d[12])(?:9|0)\d\d(?!\d)", text)
        ]

        self.positions = [p for p, _y in self.spots]
        self.main: int | None = None  # the year of the period the text covers, once known

    def at(self, position: int) -> int | None:
        if self.main is not None:
            return self.main
        index = bisect.bisect_left(self.positions, position)
        if index > 0:
            return self.spots[index - 1][1]
        return self.spots[index][1] if index < len(self.spots) else None


# ---------------------------------------------------------------- documents
_DOC_TYPES = sorted(
    [
        "Nghị quyết",
        "Chỉ thị",
        "Kết luận",
        "Quy định",
        "Quyết định",
        "Hướng dẫn",
        "Kế hoạch",
        "Thông báo",
        "Công văn",
        "Báo cáo",
        "Tờ trình",
        "Chương trình",
        "Đề án",
        "Nghị định",
        "Thông tư liên tịch",
        "Thông tư",
        "Luật",
        "Quy chế",
        "Thông tri",
        "Pháp lệnh",
        "Văn bản",
        "Thông báo kết luận",
        "Điều lệ",
    ],
    key=len,
    reverse=True,
)
_DOC_TYPE_BY_LOWER = {t.lower(): t for t in _DOC_TYPES}
_ABBR_TYPES = {
    "KH": "Kế hoạch",
    "HD": "Hướng dẫn",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "CV": "Công văn",
    "TTR": "Tờ trình",
    "CTR": "Chương trình",
    "ĐA": "Đề án",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "QC": "Quy chế",
    "QĐI": "Quy định",
    "TTLT": "Thông tư liên tịch",
}
_DATE_AFTER = (
    rf"(?P<after>\s{{0,3}},?\s{{0,3}}(?:ban hành\s{{1,3}})?ngày\s{{1,3}}"
    rf"(?:(?P<dd>\d{{1,2}})\s{{0,2}}[/.-]\s{{0,2}}(?P<dm>\d{{1,2}})\s{{0,2}}[/.-]\s{{0,2}}(?P<dy>{_YEAR})"
    rf"|(?P<ld>\d{{1,2}})\s{{1,3}}tháng\s{{1,3}}(?P<lm>\d{{1,2}})\s{{1,3}}năm\s{{1,3}}(?P<ly>{_YEAR})))?"
)
_DOCUMENT = _Scan(
    None,
    rf"(?<![\w/-])(?P<code>{_CODE_IN_TEXT})(?![\w/])" + _DATE_AFTER,
    re.IGNORECASE,
    prefilter=r"\d{1,6}[a-zA-Z]?[-/]",
)
_TYPE_BEFORE = re.compile(
    r"(?P<type>" + "|".join(re.escape(t) for t in _DOC_TYPES) + r")\s{1,3}(?:số\s{1,3})?$",
    re.IGNORECASE,
)

# ---------------------------------------------------------------- organisations and people
_ORG_HEADS = sorted(
    [
        "Ban Nội chính Trung ương",
        "Ban Nội chính",
        "Ban Chỉ đạo Trung ương về phòng, chống tham nhũng, lãng phí, tiêu cực",
        "Ban Chỉ đạo Trung ương về phòng, chống tham nhũng, tiêu cực",
        "Ban Chỉ đạo cấp tỉnh về phòng, chống tham nhũng, lãng phí, tiêu cực",
        "Ban Chỉ đạo cấp tỉnh về phòng, chống tham nhũng, tiêu cực",
        "Ban Chỉ đạo phòng, chống tham nhũng, lãng phí, tiêu cực",
        "Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực",
        "Ban Chỉ đạo",
        "Ban Thường vụ",
        "Ban Chấp hành Trung ương",
        "Ban Chấp hành Đảng bộ",
        "Bộ Chính trị",
        "Ban Bí thư",
        "Ủy ban Kiểm tra Trung ương",
        "Ủy ban Kiểm tra",
        "Ủy ban nhân dân",
        "UBND",
        "Hội đồng nhân dân",
        "HĐND",
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
        "Mặt trận Tổ quốc",
        "Thanh tra Chính phủ",
        "Thanh tra",
        "Bộ Công an",
        "Công an",
        "Viện kiểm sát nhân dân tối cao",
        "Viện kiểm sát nhân dân",
        "VKSND",
        "Tòa án nhân dân tối cao",
        "Tòa án nhân dân",
        "TAND",
        "Kiểm toán Nhà nước",
        "Văn phòng Trung ương Đảng",
        "Ban Tổ chức",
        "Ban Tuyên giáo",
        "Ban Dân vận",
        "Tỉnh ủy",
        "Thành ủy",
        "Huyện ủy",
        "Thị ủy",
        "Quận ủy",
        "Đảng ủy",
        "Cơ quan Cảnh sát điều tra",
        "Cơ quan An ninh điều tra",
        "Sở",
        "Cục",
        "Bộ",
    ],
    key=len,
    reverse=True,
)
# Heads that are ordinary words too: they need a tail to be an organisation.
_ORG_NEED_TAIL = {"Thanh tra", "Công an", "Sở", "Cục", "Bộ", "Ban Chỉ đạo", "Ban Thường vụ"}
_ORG_LEVEL = (
    r"(?:Công an tỉnh|Công an thành phố|Tỉnh ủy|Thành ủy|Huyện ủy|Trung ương|Đảng bộ tỉnh|"
    r"Đảng bộ|tỉnh|thành phố|"
    r"huyện|quận|thị xã|Thành phố|Tỉnh|cấp tỉnh)"
)
_ORG = _Scan(
    _ORG_HEADS,
    r"(?<![^\W\d_])(?P<head>"
    + "|".join(re.escape(h) for h in _ORG_HEADS)
    + r")(?![^\W\d_])"
    + rf"(?P<tail>(?:\s{{1,2}}{_ORG_LEVEL}(?![^\W\d_])){{0,2}}"
    + rf"(?:\s{{1,2}}{_WORD_UP}(?![^\W\d_])){{0,5}})",
)
# A department's name mixes cases: "Sở Tài nguyên và Môi trường", "Bộ Kế hoạch và Đầu tư".
_DEPARTMENT_NAME = re.compile(
    rf"(?:\s{{1,2}}(?:và\s{{1,2}})?{_WORD_UP}(?:\s{{1,2}}[a-zà-ỹđ]{{1,8}}(?![^\W\d_]))?){{1,4}}"
)
# A bare party committee inside a title is not a separate mention ("Bí thư Tỉnh ủy").
_TITLE_BEFORE = re.compile(r"(?:Bí thư|Thường trực|Ủy viên|Trưởng|Phó)\s{1,2}$")
_TITLE_WORDS = (
    r"(?:Ủy viên|Uỷ viên|Trưởng|Phó|Bí thư|Chủ tịch|Giám đốc|Chánh|Viện trưởng|Tổng Bí thư|"
    r"Thủ tướng|Chủ nhiệm|Thường trực|Đại biểu|Tổng Kiểm toán|Bộ trưởng|Thứ trưởng|Cục trưởng|"
    r"Vụ trưởng|Chánh án|Chánh Thanh tra)"
)
_PERSON = _Scan(
    ["đồng chí", "ông", "bà"],
    r"(?<![^\W\d_])(?:đồng chí|Đồng chí|ông|Ông|bà|Bà)"
    rf"\s{{1,2}}(?P<name>{_WORD_UP}(?:\s{_WORD_UP}){{1,4}})"
    rf"(?P<titles>(?:\s{{0,2}},\s{{0,2}}{_TITLE_WORDS}[^,;.()\n]{{0,120}}){{0,4}})",
)

# ---------------------------------------------------------------- tasks
_TASK_PAREN = re.compile(r"\((?P<n>\d{1,2})\)\s{0,3}")
_TASK_WORDS = [
    f"{w} là" for w in ("Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười")
]
_TASK_ORD = [
    "Thứ nhất",
    "Thứ hai",
    "Thứ ba",
    "Thứ tư",
    "Thứ năm",
    "Thứ sáu",
    "Thứ bảy",
    "Thứ tám",
    "Thứ chín",
    "Thứ mười",
]
_TASK_WORD = _Scan(
    _TASK_WORDS + _TASK_ORD,
    r"(?<![^\W\d_])(?P<w>"
    + "|".join(re.escape(w) for w in _TASK_WORDS + _TASK_ORD)
    + r")\s{0,2}[,:]\s{0,3}",
)
_TASK_LINE = re.compile(r"(?m)^[ \t]{0,8}(?P<n>\d{1,2})[.)][ \t]{1,4}(?=\S)")
_TASK_CUE = re.compile(
    r"nhiệm vụ|giải pháp|đề nghị|yêu cầu|kết luận|phương hướng|chỉ đạo|tập trung|thống nhất", re.I
)

# ---------------------------------------------------------------- changes, ratios
_CHANGE = _Scan(
    ["tăng", "giảm"],
    rf"(?<![^\W\d_])(?P<dir>tăng|giảm)\s{{1,3}}(?:(?:thêm|hơn|gần|khoảng|trên|là)\s{{1,3}})?"
    rf"(?P<num>{_NUM})\s{{0,3}}"
    rf"(?:(?P<pct>%|phần trăm)|(?P<times>lần)|{_MONEY}|(?P<noun>{_NOUN})(?![^\W\d_]))?",
    re.IGNORECASE,
)
_COMPARED = re.compile(
    rf"[^.;\n]{{0,40}}?so\s{{1,2}}(?:với\s{{1,2}})?"
    rf"(?P<what>cùng kỳ(?:\s{{1,2}}năm\s{{1,2}}(?:trước|{_YEAR}))?|"
    rf"(?:năm|quý|kỳ|tháng|6 tháng)\s{{1,2}}trước|năm\s{{1,2}}(?P<y>{_YEAR}))",
    re.IGNORECASE,
)
_RATIO = re.compile(
    rf"(?P<a>{_NUM_START_CORE})(?:\s{{0,2}}/\s{{0,2}}|\s{{1,3}}(?:{_NOUN}\s{{1,3}})?trên\s{{1,3}}(?:tổng\s{{1,2}}số\s{{1,3}})?)"
    rf"(?P<b>{_NUM_CORE})(?!/)(?:\s{{0,3}}(?P<noun>{_NOUN})(?![^\W\d_]))?"
)
_PERCENT = re.compile(rf"(?P<num>{_NUM_START_CORE})\s{{0,3}}(?:%|phần trăm)", re.IGNORECASE)
_TOTAL_CUE = re.compile(
    r"[^\d.;\n]{0,40}?(?<![^\W\d_])(?P<cue>trong đó|bao gồm|gồm)(?![^\W\d_])\s{0,3}:?",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"\.(?=\s|$)|;|\n|\)")


# ---------------------------------------------------------------- the extractor
class _Mask:
    """Which characters an earlier item already took."""

    def __init__(self, size: int) -> None:
        self.taken = bytearray(size)

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)


def extract(
    text: str,
    *,
    user: Any = None,
    types: Iterable[str] = (),
    issuers: Iterable[str] = (),
) -> Extraction:
    """The facts of a text. With a user, documents are looked up in the registry through the
    gate (what the user may see), and the catalogue's abbreviations are used for the codes."""
    source = unicodedata.normalize("NFC", text or "")[:MAX_LENGTH]
    result = Extraction(text=source)
    if not source.strip():
        return result
    types, issuers = list(types), list(issuers)
    if user is not None and not types:
        types, issuers = _catalogue()
    years = _Years(source)
    mask = _Mask(len(source))

    _find_documents(source, result, mask, types, issuers)
    _find_dates(source, result, mask, years)
    _find_periods(source, result, mask, years)
    if result.period is not None:
        years.main = result.period.year
    _find_short_dates(source, result, mask, years)
    _find_ratios(source, result, mask)
    _find_changes(source, result, mask)
    _find_figures(source, result, mask)
    _find_prose_ratios(source, result)
    result.ratios.sort(key=lambda r: r.start)
    _find_organisations(source, result)
    _find_tasks(source, result)
    _check_totals(source, result)
    _check_document_dates(result)
    if user is not None:
        _check_registry(result, user)
    result.warnings.sort(key=lambda w: w.start)
    return result


def _catalogue() -> tuple[list[str], list[str]]:
    from noichinh.documents.models import DocumentType, Issuer

    return (
        list(DocumentType.objects.values_list("code", flat=True)),
        list(Issuer.objects.values_list("code", flat=True)),
    )


@functools.lru_cache(maxsize=4096)
def _parse_code(code: str, types: tuple[str, ...], issuers: tuple[str, ...]) -> ParsedCode | None:
    try:
        return parse_code(code, types=types, issuers=issuers)
    except CodeError:
        return None


def _find_documents(
    source: str, result: Extraction, mask: _Mask, types: list[str], issuers: list[str]
) -> None:
    known_types, known_issuers = tuple(types), tuple(issuers)
    for m in _DOCUMENT.finditer(source):
        parsed = _parse_code(m["code"], known_types, known_issuers)
        if parsed is None:
            continue
        day = None
        if m["dy"]:
            day = _safe_date(int(m["dy"]), int(m["dm"]), int(m["dd"]))
        elif m["ly"]:
            day = _safe_date(int(m["ly"]), int(m["lm"]), int(m["ld"]))
        doc_type = None
        typed = _TYPE_BEFORE.search(source, max(0, m.start() - 30), m.start())
        if typed:
            doc_type = _DOC_TYPE_BY_LOWER.get(typed["type"].lower())
        elif parsed.format == "state" and not parsed.type_code:
            doc_type = "Luật"
        else:
            doc_type = _ABBR_TYPES.get(parsed.type_code.upper())
        start = typed.start() if typed else m.start("code")
        end = m.end("after") if day is not None else m.end("code")
        result.documents.append(
            DocumentRef(
                text=source[start:end],
                start=start,
                end=end,
                code=parsed.canonical,
                doc_type=doc_type,
                date=day.isoformat() if day else None,
            )
        )
        mask.take(m.start("code"), m.end("code"))


def _find_dates(source: str, result: Extraction, mask: _Mask, years: _Years) -> None:
    found: list[DateItem] = []
    for m in _DATE_LONG.finditer(source):
        day = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if day and mask.free(m.start(), m.end()):
            found.append(DateItem(m.group(0), m.start(), m.end(), day.isoformat()))
            mask.take(m.start(), m.end())
    for m in _DATE_FULL.finditer(source):
        y, mo, d = int(m["y"]), int(m["m"] or m["m2"]), int(m["d"])
        day = _safe_date(y, mo, d)
        if day and mask.free(m.start(), m.end()):
            found.append(DateItem(m.group(0), m.start(), m.end(), day.isoformat()))
            mask.take(m.start(), m.end())
    result.dates = sorted(found, key=lambda i: i.start)


def _find_short_dates(source: str, result: Extraction, mask: _Mask, years: _Years) -> None:
    found = result.dates
    for m in _DATE_SHORT.finditer(source):
        s, e = m.start("date"), m.end("date")
        year = years.at(s)
        if year is None or not mask.free(s, e):
            continue
        day = _safe_date(year, int(m["m"]), int(m["d"]))
        if day:
            found.append(DateItem(m["date"], s, e, day.isoformat(), year_from_context=True))
            mask.take(s, e)
    result.dates = sorted(found, key=lambda i: i.start)


def _find_periods(source: str, result: Extraction, mask: _Mask, years: _Years) -> None:
    for m in _PERIODS.finditer(source):
        if not mask.free(m.start(), m.end()):
            continue
        year = int(m["y"]) if m["y"] else None
        number: int | None = None
        if m["nine"]:
            kind = "nine_months"
        elif m["half"]:
            kind, number = "half", 1 if m["hpart"].lower() == "đầu" else 2
        elif m["quarter"]:
            kind = "quarter"
            q = m["q"].upper()
            number = _ROMAN.get(q) or int(q)
        elif m["month"]:
            kind, number = "month", int(m["mo"])
            if not 1 <= number <= 12:
                continue
        elif m["term"]:
            kind, year = "term", int(m["t1"])
        else:
            kind = "year"
            if year is None:
                continue
        from_context = year is None
        if year is None:
            year = years.at(m.start())
        before = source[max(0, m.start() - 20) : m.start()]
        comparison = bool(_COMPARISON_BEFORE.search(before))
        start_date = end_date = None
        if year is not None:
            if kind == "term":
                start_date, end_date = dt.date(year, 1, 1), dt.date(int(m["t2"]), 12, 31)
            else:
                start_date, end_date = _period_dates(kind, year, number)
        label = _period_label(kind, year, number) if kind != "term" else m.group(0)
        del from_context
        result.periods.append(
            PeriodItem(
                text=m.group(0),
                start=m.start(),
                end=m.end(),
                kind=kind,
                year=year,
                number=number,
                label=label,
                start_date=start_date.isoformat() if start_date else None,
                end_date=end_date.isoformat() if end_date else None,
                comparison=comparison,
            )
        )
        mask.take(m.start(), m.end())
    main = [p for p in result.periods if not p.comparison and p.year and p.kind != "term"]
    sub_year = [p for p in main if p.kind != "year"]
    # The period a text covers is named early (its title or first sentence): a part of a year
    # named there wins over a bare "năm 2024"; else the first period at all.
    early = [p for p in sub_year if p.start < 600]
    chosen = early or main
    result.period = chosen[0] if chosen else None


def _clause_after(source: str, start: int, limit: int = 160) -> str:
    window = source[start : start + limit]
    end = _CLAUSE_END.search(window)
    return window[: end.start()] if end else window


def _stated_ok(stated: Decimal, computed: Decimal, decimals: int) -> bool:
    quant = Decimal(1).scaleb(-decimals)
    candidates = {
        computed.quantize(quant, rounding=ROUND_HALF_UP),
        computed.quantize(quant, rounding=ROUND_DOWN),
    }
    return stated in candidates


def _find_ratios(source: str, result: Extraction, mask: _Mask) -> None:
    for m in _RATIO.finditer(source):
        if not mask.free(m.start(), m.end()):
            continue
        part, total = parse_number(m["a"]), parse_number(m["b"])
        after = m.end()
        clause = _clause_after(source, after, 120)
        stated = _PERCENT.search(clause)
        if stated and _RATIO.search(clause[: stated.start()]):
            stated = None
        if not m["noun"] and stated is None:
            continue
        if total == 0 or part > total * 10:
            continue
        computed = (part / total * 100) if total else None
        unit = (m["noun"] or "").lower()
        ratio = Ratio(
            text=m.group(0),
            start=m.start(),
            end=m.end(),
            part=_as_number(part),
            total=_as_number(total),
            unit=unit,
            computed_percent=round(float(computed), 2) if computed is not None else None,
            stated_percent=None,
        )
        mask.take(m.start(), m.end())
        if stated is not None:
            s, e = after + stated.start(), after + stated.end()
            value = parse_number(stated["num"])
            ratio.stated_percent = _as_number(value)
            ratio.stated_text, ratio.stated_start, ratio.stated_end = stated.group(0), s, e
            mask.take(s, e)
            decimals = len(stated["num"].partition(",")[2])
            if computed is not None and not _stated_ok(value, computed, decimals):
                result.warnings.append(
                    _percent_warning(
                        source, (m.start(), m.end()), (s, e), part, total, computed, stated.group(0)
                    )
                )
        result.ratios.append(ratio)


def _percent_warning(
    source: str,
    ratio: tuple[int, int],
    stated: tuple[int, int],
    part: Decimal,
    total: Decimal,
    computed: Decimal,
    stated_text: str,
) -> Warning:
    return Warning(
        text=source[ratio[0] : stated[1]],
        start=ratio[0],
        end=stated[1],
        kind="ratio_percent",
        message=_("%(part)s/%(total)s is %(computed)s %%, not the stated %(stated)s.")
        % {
            "part": format_number(part, _decimals(part)),
            "total": format_number(total, _decimals(total)),
            "computed": format_number(computed, 2),
            "stated": stated_text,
        },
        quotes=[source[ratio[0] : ratio[1]], stated_text],
        offsets=[[ratio[0], ratio[1]], [stated[0], stated[1]]],
    )


_ACHIEVED = re.compile(r"(?<![^\W\d_])đạt(?:\s{1,2}tỷ\s{1,2}lệ)?\s{1,3}$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"\.(?=\s)|;|\n")


def _find_prose_ratios(source: str, result: Extraction) -> None:
    """ "đã thụ lý 8.651 vụ, đã giải quyết 7.187 vụ, đạt tỷ lệ 83%": a percentage that a
    sentence says was reached ("đạt") is the later of the two figures before it, of the same
    unit, over the earlier one."""
    figures = result.figures
    stated_at = {r.stated_start for r in result.ratios}
    for index, pct in enumerate(figures):
        if pct.unit != "%" or pct.start in stated_at:
            continue
        if not _ACHIEVED.search(source[max(0, pct.start - 20) : pct.start]):
            continue
        window_start = max(0, pct.start - 300)
        ends = [m.end() for m in _SENTENCE_END.finditer(source, window_start, pct.start)]
        sentence_start = ends[-1] if ends else window_start
        before = [f for f in figures[:index] if f.start >= sentence_start and f.unit != "%"]
        if len(before) < 2:
            continue
        part_figure = before[-1]
        totals = [f for f in before[:-1] if f.unit == part_figure.unit]
        if not totals or not part_figure.unit:
            continue
        total_figure = totals[-1]
        part, total = Decimal(str(part_figure.value)), Decimal(str(total_figure.value))
        if total <= 0 or part > total:
            continue
        computed = part / total * 100
        stated = Decimal(str(pct.value))
        result.ratios.append(
            Ratio(
                text=source[total_figure.start : part_figure.end],
                start=total_figure.start,
                end=part_figure.end,
                part=_as_number(part),
                total=_as_number(total),
                unit=part_figure.unit,
                computed_percent=round(float(computed), 2),
                stated_percent=pct.value,
                stated_text=pct.text,
                stated_start=pct.start,
                stated_end=pct.end,
            )
        )
        decimals = len(pct.text.partition(",")[2].rstrip("% ").strip())
        if not _stated_ok(stated, computed, decimals):
            result.warnings.append(
                _percent_warning(
                    source,
                    (total_figure.start, part_figure.end),
                    (pct.start, pct.end),
                    part,
                    total,
                    computed,
                    pct.text,
                )
            )


def _decimals(value: Decimal) -> int:
    if value == value.to_integral_value():
        return 0
    return min(6, -int(value.normalize().as_tuple().exponent))


def _find_changes(source: str, result: Extraction, mask: _Mask) -> None:
    for m in _CHANGE.finditer(source):
        if not mask.free(m.start("num"), m.end("num")):
            continue
        compared = _COMPARED.match(source, m.end(), min(len(source), m.end() + 80))
        if not (m["pct"] or m["times"] or m["cur"] or m["noun"]) and compared is None:
            continue
        value = parse_number(m["num"])
        if m["pct"]:
            unit = "%"
        elif m["times"]:
            unit = "lần"
        elif m["cur"]:
            unit = "USD" if m["cur"].lower() in ("usd", "đô la") else "đồng"
            value *= _MULT[(m["mult"] or "").lower() or None]
        elif m["noun"]:
            unit = m["noun"].lower()
        else:
            unit = ""
        what = None
        if compared is not None:
            raw = compared["what"].lower()
            if compared["y"]:
                what = compared["y"]
            elif raw.startswith("cùng kỳ"):
                what = "same_period_last_year"
            else:
                what = "previous_period"
        result.changes.append(
            Change(
                text=m.group(0),
                start=m.start(),
                end=m.end(),
                direction="increase" if m["dir"].lower() == "tăng" else "decrease",
                value=_as_number(value),
                unit=unit,
                compared_to=what,
            )
        )
        mask.take(m.start(), m.end())


def _find_figures(source: str, result: Extraction, mask: _Mask) -> None:
    for m in _MEASURE.finditer(source):
        if not mask.free(m.start("num"), m.end("num")):
            continue
        value, unit, counts = _measure(m)
        end = m.end() if not m["tail"] else m.start("tail")
        result.figures.append(
            Figure(
                text=source[m.start() : end],
                start=m.start(),
                end=end,
                value=_as_number(value),
                unit=unit,
                counts=counts,
            )
        )
        mask.take(m.start(), end)


# Lower-case words that occur inside titles ("Trưởng Ban Nội chính Tỉnh ủy"); a title ends at
# the first other lower-case word ("chủ trì", "phát biểu").
_TITLE_LOWER = frozenset(
    [
        "ủy",
        "uỷ",
        "viên",
        "chính",
        "thường",
        "trực",
        "vụ",
        "ban",
        "nhân",
        "dân",
        "tỉnh",
        "thành",
        "phố",
        "huyện",
        "quận",
        "xã",
        "kiểm",
        "tra",
        "sát",
        "án",
        "trưởng",
        "phó",
        "bí",
        "thư",
        "tịch",
        "đảng",
        "đoàn",
        "chỉ",
        "đạo",
        "về",
        "phòng",
        "chống",
        "tham",
        "nhũng",
        "tiêu",
        "cực",
        "lãng",
        "phí",
        "cấp",
        "nội",
        "tổ",
        "chức",
        "tuyên",
        "giáo",
        "vận",
        "quốc",
        "hội",
        "ương",
        "công",
        "an",
        "tòa",
        "viện",
        "nước",
        "nhiệm",
        "đồng",
        "đại",
        "biểu",
        "sở",
        "cục",
        "lý",
        "bộ",
        "thủ",
        "tướng",
        "giám",
        "đốc",
        "chánh",
        "và",
        "khóa",
    ]
)


def _title(segment: str) -> str:
    words = segment.split()
    kept: list[str] = []
    for word in words:
        if word[:1].isupper() or word in _TITLE_LOWER:
            kept.append(word)
        else:
            break
    while kept and kept[-1] in ("và", "khóa"):
        kept.pop()
    return " ".join(kept)


def _find_organisations(source: str, result: Extraction) -> None:
    seen: set[tuple[int, int]] = set()
    for m in _PERSON.finditer(source):
        titles = [t for t in (_title(seg) for seg in (m["titles"] or "").split(",")) if t]
        result.people.append(
            Person(
                text=m["name"],
                start=m.start("name"),
                end=m.end("name"),
                name=m["name"],
                titles=titles,
            )
        )
    for m in _ORG.finditer(source):
        tail = m["tail"] or ""
        head = m["head"]
        s, e = m.start(), m.end()
        if head in ("Sở", "Bộ", "Cục") and not head.startswith("Bộ Công"):
            named = _DEPARTMENT_NAME.match(source, m.end("head"))
            if named:
                e = named.end()
                tail = named.group(0)
        if head in _ORG_NEED_TAIL and not tail.strip():
            continue
        if not tail.strip() and (
            source.startswith(" viên", e) or _TITLE_BEFORE.search(source, max(0, s - 14), s)
        ):
            continue
        if (s, e) in seen:
            continue
        seen.add((s, e))
        name = source[s:e]
        result.organisations.append(Organisation(text=name, start=s, end=e, name=name))


def _find_tasks(source: str, result: Extraction) -> None:
    markers: list[tuple[int, int, int, str]] = []  # (start, content start, number, marker)
    for m in _TASK_PAREN.finditer(source):
        markers.append((m.start(), m.end(), int(m["n"]), "paren"))
    for m in _TASK_WORD.finditer(source):
        word = m["w"]
        number = (_TASK_WORDS.index(word) if word in _TASK_WORDS else _TASK_ORD.index(word)) + 1
        markers.append((m.start(), m.end(), number, "words"))
    for m in _TASK_LINE.finditer(source):
        cue = _TASK_CUE.search(source, max(0, m.start() - 300), m.start())
        markers.append((m.start(), m.end(), int(m["n"]), "line" if cue else "line?"))
    markers.sort()
    # A list is a run of markers of one style numbered 1, 2, 3...; a lone "(1)" is not a list.
    by_style: dict[str, list[tuple[int, int, int, str]]] = {}
    for marker in markers:
        by_style.setdefault(marker[3], []).append(marker)
    tasks: list[Task] = []
    for style, found in by_style.items():
        if style == "line?":
            continue
        run: list[tuple[int, int, int, str]] = []
        for marker in [*found, (len(source) + 1, 0, 0, style)]:
            if run and marker[2] == run[-1][2] + 1 and marker[0] < len(source):
                run.append(marker)
                continue
            if len(run) >= 2:
                tasks.extend(_run_tasks(source, run))
            run = [marker] if marker[2] == 1 else []
    result.tasks = sorted(tasks, key=lambda t: t.start)


def _run_tasks(source: str, run: list[tuple[int, int, int, str]]) -> list[Task]:
    tasks = []
    for index, (_start, content, number, style) in enumerate(run):
        if index + 1 < len(run):
            end = run[index + 1][0]
        else:
            # The last item ends with its paragraph (or its sentence, for "(n)" in running text).
            nl = source.find("\n", content)
            end = nl if nl != -1 else len(source)
            if style == "paren":
                dot = re.compile(r"\.(?=\s|$)").search(source, content, end)
                end = dot.start() if dot else end
        end = min(end, content + 2000)
        while end > content and source[end - 1] in " \t\n\r;,.":
            end -= 1
        if end <= content:
            continue
        tasks.append(
            Task(text=source[content:end], start=content, end=end, number=number, marker=style)
        )
    return tasks


def _check_totals(source: str, result: Extraction) -> None:
    """ "X noun, trong đó A noun, B noun": the parts of a total ("gồm" lists all of them, so
    they must add up; "trong đó" lists some, so they must not exceed it)."""
    figures = result.figures
    for index, total in enumerate(figures):
        if total.unit == "%":
            continue
        cue = _TOTAL_CUE.match(source, total.end, min(len(source), total.end + 30))
        if cue is None:
            continue
        clause = _clause_after(source, cue.end(), 400)
        limit = cue.end() + len(clause)
        parts = []
        for f in figures[index + 1 :]:
            if f.start >= limit:
                break
            if f.unit == total.unit and f.start >= cue.end():
                parts.append(f)
        if len(parts) < 2:
            continue
        added = sum((Decimal(str(p.value)) for p in parts), Decimal(0))
        whole = Decimal(str(total.value))
        exhaustive = cue["cue"].lower() != "trong đó"
        if added == whole or (not exhaustive and added < whole):
            continue
        end = parts[-1].end
        result.warnings.append(
            Warning(
                text=source[total.start : end],
                start=total.start,
                end=end,
                kind="total_mismatch",
                message=_("The parts add up to %(sum)s, but the total is %(total)s.")
                % {
                    "sum": format_number(added, _decimals(added)),
                    "total": total.text,
                },
                quotes=[total.text, *(p.text for p in parts)],
                offsets=[[total.start, total.end], *([p.start, p.end] for p in parts)],
            )
        )


def _check_document_dates(result: Extraction) -> None:
    first: dict[str, DocumentRef] = {}
    for doc in result.documents:
        if doc.date is None:
            continue
        earlier = first.setdefault(doc.code, doc)
        if earlier is not doc and earlier.date != doc.date:
            result.warnings.append(
                Warning(
                    text=doc.text,
                    start=doc.start,
                    end=doc.end,
                    kind="document_dates",
                    message=_("%(code)s is cited with two dates: %(first)s and %(second)s.")
                    % {
                        "code": doc.code,
                        "first": _vn_date(earlier.date),
                        "second": _vn_date(doc.date),
                    },
                    quotes=[earlier.text, doc.text],
                    offsets=[[earlier.start, earlier.end], [doc.start, doc.end]],
                )
            )


def _vn_date(iso: str | None) -> str:
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day.day}/{day.month}/{day.year}"


def _check_registry(result: Extraction, user: Any) -> None:
    from noichinh.documents.models import Document

    codes = {d.code for d in result.documents}
    if not codes:
        return
    known: dict[str, tuple[int, dt.date]] = {}
    rows = Document.objects.restrict(user, "view").filter(code__in=codes)
    for pk, code, issued in rows.order_by("pk").values_list("pk", "code", "issue_date"):
        known.setdefault(code, (pk, issued))
    for doc in result.documents:
        if doc.code not in known:
            continue
        pk, issued = known[doc.code]
        doc.registry_id, doc.registry_date = pk, issued.isoformat()
        if doc.date and doc.date != issued.isoformat():
            result.warnings.append(
                Warning(
                    text=doc.text,
                    start=doc.start,
                    end=doc.end,
                    kind="registry_date",
                    message=_(
                        "%(code)s is dated %(cited)s here, but %(registered)s in the registry."
                    )
                    % {
                        "code": doc.code,
                        "cited": _vn_date(doc.date),
                        "registered": _vn_date(issued.isoformat()),
                    },
                    quotes=[doc.text],
                    offsets=[[doc.start, doc.end]],
                )
            )
