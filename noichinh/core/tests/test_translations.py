"""The Vietnamese catalogue is complete, compiled, and used by default.

The .po file is parsed here with a small parser (no polib dependency) so that the checks run
wherever the app runs, without GNU gettext installed.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_FILE = LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.mo"
LOGIN_URL = "/tai-khoan/dang-nhap/"

KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def _unquote(token: str) -> str:
    # A PO string literal uses C escapes, which a Python string literal reads the same way.
    return ast.literal_eval(token)


def parse_po(path: Path) -> list[Entry]:
    """Entries of a PO file, header included (its msgid is ""); obsolete (#~) entries skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which field continuation lines extend
    pending_flags: set[str] = set()

    def finish() -> None:
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:
                finish()  # a comment after a complete entry starts the next one
            if line.startswith("#,"):
                pending_flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith('"'):
            if current is None or target is None:
                raise AssertionError(f"{path}:{number}: string without a keyword")
            name, index = target
            text = _unquote(line)
            if name == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, name, getattr(current, name) + text)
            continue
        match = KEYWORD.match(line)
        if match is None:
            raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
        keyword, index, token = match.group(1), match.group(2), match.group(3)
        text = _unquote(token)
        if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
            finish()  # entries not separated by a blank line
        if current is None:
            current = Entry(line=number, flags=pending_flags)
            pending_flags = set()
        if keyword.startswith("msgstr"):
            position = int(index) if index is not None else 0
            current.msgstr[position] = text
            target = ("msgstr", position)
        else:
            setattr(current, keyword, text)
            target = (keyword, 0)
    finish()
    return entries


def _messages() -> list[Entry]:
    return [e for e in parse_po(PO_FILE) if e.msgid != ""]


def test_the_parser_reads_continuations_contexts_plurals_and_flags(tmp_path: Path) -> None:
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: vi\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgctxt "menu"\nmsgid ""\n"Close "\n"%(x)s"\n'
        'msgstr "Đóng \\"%(x)s\\""\n\n'
        'msgid "%(n)s row"\nmsgid_plural "%(n)s rows"\nmsgstr[0] ""\n"%(n)s dòng"\n\n'
        '#~ msgid "gone"\n#~ msgstr "đã bỏ"\n',
        encoding="utf-8",
    )
    header, close, rows = parse_po(sample)
    assert header.msgid == "" and header.msgstr[0] == "Language: vi\n"
    assert (close.msgctxt, close.msgid, close.msgstr[0]) == ("menu", "Close %(x)s", 'Đóng "%(x)s"')
    assert close.flags == {"fuzzy", "python-format"}
    assert (rows.msgid_plural, rows.msgstr) == ("%(n)s rows", {0: "%(n)s dòng"})
    assert rows.flags == set()


def test_po_header_declares_vietnamese() -> None:
    header = next(e for e in parse_po(PO_FILE) if e.msgid == "")
    assert "fuzzy" not in header.flags
    assert "Language: vi\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]


def test_every_entry_is_translated_and_not_fuzzy() -> None:
    entries = _messages()
    assert entries, f"{PO_FILE} has no messages"
    problems = [f"fuzzy     {e.label}" for e in entries if "fuzzy" in e.flags]
    problems += [
        f"untranslated {e.label}"
        for e in entries
        if not e.msgstr or any(not text for text in e.msgstr.values())
    ]
    assert not problems, "Fix these entries in django.po:\n" + "\n".join(problems)


def test_compiled_catalogue_matches_the_po_file() -> None:
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # the .mo content, key by key

    expected: dict[object, str] = {}
    for entry in _messages():
        if "fuzzy" in entry.flags:
            continue  # msgfmt leaves fuzzy entries out; the test above reports them
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        for index, text in entry.msgstr.items():
            if text:
                expected[(msgid, index) if entry.msgid_plural is not None else msgid] = text

    stale = [
        f"{key!r}: .po says {text!r}, .mo says {catalog.get(key)!r}"
        for key, text in expected.items()
        if catalog.get(key) != text
    ]
    stale += [
        f"{key!r}: in the .mo, not in the .po" for key in catalog if key not in {"", *expected}
    ]
    assert not stale, (
        "django.mo is stale: run `manage.py compilemessages -l vi --ignore=.venv`.\n"
        + "\n".join(stale)
    )


@pytest.mark.django_db
def test_sign_in_page_is_vietnamese_by_default_and_english_on_request(client) -> None:
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="vi"' in page
    assert "Đăng nhập" in page
    assert "Sign in" not in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_user_chooses(client) -> None:
    """Regression: the interface followed Accept-Language, so a default browser saw English."""
    page = client.get("/tai-khoan/dang-nhap/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert 'lang="vi"' in page.content.decode()
    assert page["Content-Language"] == "vi"
    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/tai-khoan/dang-nhap/"})
    assert chosen.status_code == 302
    assert 'lang="en"' in client.get("/tai-khoan/dang-nhap/").content.decode()
