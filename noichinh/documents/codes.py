"""Numbers-and-symbols of documents (số, ký hiệu), in the two formats in use.

Party format (Quy định 66-QĐ/TW on Party documents): NUMBER-TYPE/ISSUER
    15-KH/BNCTW   01-HD/BNCTU   67-QĐ/TW   11-QĐi/TW   19-CT/TU   6615-V/TU
State format (Nghị định 30/2020/NĐ-CP): NUMBER/YEAR/TYPE-ISSUER or NUMBER/TYPE-ISSUER, and laws
NUMBER/YEAR/ISSUER (the issuer carries the legislature's term, e.g. QH14)
    47/2021/NĐ-CP   15/QĐ-UBND   36/2018/QH14

Pure functions: no database. Which abbreviations are known is data (DocumentType, Issuer); the
caller passes them in, and unknown ones come back as warnings, not errors.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from noichinh.core.text import fold

PARTY = "party"
STATE = "state"

_LETTERS = r"[A-Za-zĐđ]+"
_ISSUER = r"[A-Za-zĐđ][A-Za-zĐđ0-9]*(?:-[A-Za-zĐđ0-9]+)*"
_PARTY = re.compile(rf"^(?P<number>\d{{1,6}}[a-z]?)-(?P<type>{_LETTERS})/(?P<issuer>{_ISSUER})$")
_STATE_YEAR = re.compile(
    rf"^(?P<number>\d{{1,6}})/(?P<year>(19|20)\d\d)/(?P<type>{_LETTERS})-(?P<issuer>{_ISSUER})$"
)
_STATE = re.compile(rf"^(?P<number>\d{{1,6}})/(?P<type>{_LETTERS})-(?P<issuer>{_ISSUER})$")
_LAW = re.compile(r"^(?P<number>\d{1,6})/(?P<year>(19|20)\d\d)/(?P<issuer>QH\d{1,2})$", re.I)


class CodeError(ValueError):
    """The text is not a number-and-symbol in either format (the message is for the user)."""


@dataclass(frozen=True)
class ParsedCode:
    format: str
    number: str
    type_code: str
    issuer_code: str
    year: int | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def number_value(self) -> int:
        return int(re.sub(r"\D", "", self.number) or 0)

    @property
    def canonical(self) -> str:
        if self.format == PARTY:
            return f"{self.number}-{self.type_code}/{self.issuer_code}"
        if not self.type_code:
            return f"{self.number}/{self.year}/{self.issuer_code}"
        if self.year:
            return f"{self.number}/{self.year}/{self.type_code}-{self.issuer_code}"
        return f"{self.number}/{self.type_code}-{self.issuer_code}"


def normalise(text: str) -> str:
    """NFC, dashes and slashes unified, spaces around separators removed (a space inside a
    token is left, so "15-K H/TW" stays invalid rather than becoming another code)."""
    text = unicodedata.normalize("NFC", text or "")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # hyphens, en/em dashes, minus
    text = text.replace("\u2044", "/").replace("\\", "/")
    return re.sub(r"\s*([-/])\s*", r"\1", text.strip())


def _canonical_abbr(raw: str, known: Iterable[str]) -> tuple[str, bool]:
    """The catalogue's spelling of an abbreviation (case and accents aside), else upper case."""
    wanted = fold(raw)
    for code in known:
        if fold(code) == wanted:
            return code, True
    return raw.upper().replace("đ", "Đ"), False


def parse_code(text: str, *, types: Iterable[str] = (), issuers: Iterable[str] = ()) -> ParsedCode:
    """Parse a number-and-symbol; unknown abbreviations are kept and reported as warnings."""
    cleaned = normalise(text)
    if not cleaned:
        raise CodeError(_("Enter the number and symbol, e.g. 15-KH/BNCTW or 47/2021/NĐ-CP."))
    types, issuers = list(types), list(issuers)
    match = _PARTY.match(cleaned)
    fmt = PARTY
    if match is None:
        match = _STATE_YEAR.match(cleaned) or _STATE.match(cleaned)
        fmt = STATE
    if match is None:
        law = _LAW.match(cleaned)
        if law is not None:
            return ParsedCode(STATE, law["number"], "", law["issuer"].upper(), int(law["year"]))
        raise CodeError(
            _(
                "“%(code)s” is not a number and symbol: write NUMBER-TYPE/ISSUER (15-KH/BNCTW) or "
                "NUMBER/YEAR/TYPE-ISSUER (47/2021/NĐ-CP)."
            )
            % {"code": text.strip()[:60]}
        )
    parts = match.groupdict()
    if int(re.sub(r"\D", "", parts["number"])) == 0:
        raise CodeError(_("The document number must be greater than 0."))
    type_code, type_known = _canonical_abbr(parts["type"], types)
    issuer_code, issuer_known = _canonical_abbr(parts["issuer"], issuers)
    warnings = []
    if not type_known:
        warnings.append(
            _("Type “%(abbr)s” is not in the catalogue: it is kept as typed.") % {"abbr": type_code}
        )
    if not issuer_known:
        warnings.append(
            _("Issuer “%(abbr)s” is not in the catalogue: it is kept as typed.")
            % {"abbr": issuer_code}
        )
    year = int(parts["year"]) if parts.get("year") else None
    return ParsedCode(fmt, parts["number"], type_code, issuer_code, year, tuple(warnings))


# A number-and-symbol in running text, then "ngày d/m/yyyy" (the date the text gives it).
_CODE_IN_TEXT = (
    r"\d{1,6}[a-z]?-[A-Za-zĐđ]+/[A-Za-zĐđ][A-Za-zĐđ0-9]*(?:-[A-Za-zĐđ0-9]+)*"
    r"|\d{1,6}/(?:19|20)\d\d/(?:[A-Za-zĐđ]+-)?[A-Za-zĐđ][A-Za-zĐđ0-9]*"
    r"|\d{1,6}/[A-Za-zĐđ]+-[A-Za-zĐđ][A-Za-zĐđ0-9]*"
)
_CITED = re.compile(
    rf"(?<![\w/-])(?P<code>{_CODE_IN_TEXT})\s*,?\s*ngày\s+"
    r"(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>(?:19|20)\d\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CitedCode:
    """A document cited in running text with the issue date the text gives it."""

    code: str  # canonical number-and-symbol
    day: dt.date
    excerpt: str  # the words as written, e.g. "01-HD/BNCTU ngày 9/5/2023"


def find_cited(
    text: str, *, types: Iterable[str] = (), issuers: Iterable[str] = ()
) -> list[CitedCode]:
    """Every "CODE ngày D/M/YYYY" in a text, in order (a code that does not parse, or a date
    that does not exist, is skipped: the text is prose, not input)."""
    found = []
    types, issuers = list(types), list(issuers)
    for match in _CITED.finditer(unicodedata.normalize("NFC", text or "")):
        try:
            parsed = parse_code(match["code"], types=types, issuers=issuers)
            day = dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except (CodeError, ValueError):
            continue
        found.append(CitedCode(parsed.canonical, day, match.group(0)))
    return found
