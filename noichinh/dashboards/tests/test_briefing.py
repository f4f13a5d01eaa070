"""The briefing report through the HTTP client, on records built here: the Word file has the
Party's header, A4 and its margins, and the figures of `selectors.home` (formatted by the same
formatter); the PDF renders and its pages hold the figures; the workbook holds them as numbers;
out of scope is 404; storing registers a document of the unit, audited, among the meeting's
materials; an error keeps what the user typed; the background task renders the files."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from noichinh.cases.tests.test_resources import case_for
from noichinh.core import partydoc
from noichinh.core.models import AuditAction, AuditEntry
from noichinh.core.periods import Period
from noichinh.core.permissions import Role
from noichinh.core.testkit import SYSTEM, build_tree, make_user
from noichinh.core.text import format_number, format_percent
from noichinh.dashboards import briefing as service
from noichinh.dashboards import selectors
from noichinh.dashboards.briefing_views import BriefingForm, document_from
from noichinh.documents.models import Document
from noichinh.petitions.models import Petition
from noichinh.units.choices import UnitKind
from noichinh.units.services import unit_create
from noichinh.work.choices import MeetingKind
from noichinh.work.models import Meeting, Task

D = dt.date
PERIOD = "2024-Y"


def _petition(unit: Any, received: dt.date, **fields: Any) -> Petition:
    values = {
        "kind": "complaint",
        "channel": "post",
        "subject": "Bồi thường đất",
        "petitioner_name": "Nguyễn Văn A",
        "status": "received",
        **fields,
    }
    return Petition.objects.create(unit=unit, received_on=received, **values)


def _world() -> dict[str, Any]:
    tree = build_tree()
    na = unit_create(
        user=SYSTEM,
        parent=tree["root"],
        code="T-NA",
        name="Ban Nội chính Tỉnh ủy Nghệ An",
        kind=UnitKind.PROVINCIAL,
        valid_from=D(2020, 1, 1),
    )
    for day in (D(2024, 2, 1), D(2024, 5, 1), D(2024, 8, 1)):
        case_for(na, f"Vụ {day:%m}", detected_on=day, conduct="corruption")
    case_for(na, "Vụ 2023", detected_on=D(2023, 3, 1), conduct="corruption")
    _petition(
        na,
        D(2024, 2, 10),
        status="resolved",
        accepted_on=D(2024, 2, 12),
        resolve_due_on=D(2024, 3, 20),
        resolved_on=D(2024, 3, 1),
    )
    _petition(
        na, D(2024, 3, 10), status="accepted", accepted_on=D(2024, 3, 12), resolve_due_on=None
    )
    today = timezone.localdate()
    Task.objects.create(unit=na, title="Sơ kết chuyên đề", due_on=today - dt.timedelta(days=3))
    Task.objects.create(unit=na, title="Hội nghị giao ban quý", due_on=today + dt.timedelta(10))
    meeting = Meeting.objects.create(
        unit=na, kind=MeetingKind.BRIEFING, title="Giao ban quý IV", held_on=D(2024, 12, 20)
    )
    head = make_user("truongban.na", na, [Role.HEAD])
    outsider = make_user("truongban.b", tree["prov_b"], [Role.HEAD])
    return {**tree, "na": na, "meeting": meeting, "head": head, "outsider": outsider}


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    return _world()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _url(unit: Any) -> str:
    return f"{reverse('dashboards:briefing')}?don_vi={unit.pk}&ky={PERIOD}"


def _post_data(form: BriefingForm, **changes: Any) -> dict[str, str]:
    """What the browser sends back for the pre-filled form."""
    data: dict[str, str] = {}
    for name in form.fields:
        value = form.initial.get(name, "")
        if isinstance(value, dt.date):
            value = f"{value.day}/{value.month}/{value.year}"
        data[name] = "" if value is None else str(value)
    data.update({k: str(v) for k, v in changes.items()})
    return data


def _home(user: Any, unit: Any) -> selectors.Home:
    return selectors.home(
        user=user, unit=unit, period=Period.parse(PERIOD), today=timezone.localdate()
    )


def _expected_rows(data: selectors.Home) -> list[tuple[str, str, str]]:
    """(label, this period, same period last year) as the home page formats them."""
    rows = []
    for section in data.sections:
        for figure in section.figures:
            previous = figure.comparison.previous if figure.comparison else None
            if figure.percent:
                rows.append(
                    (
                        figure.label,
                        format_percent(figure.value) if figure.value is not None else "—",
                        format_percent(previous) if previous is not None else "—",
                    )
                )
            else:
                rows.append((figure.label, format_number(figure.value), format_number(previous)))
    return rows


def _page(client: Any, world: dict[str, Any]) -> tuple[BriefingForm, str]:
    client.force_login(world["head"])
    response = client.get(_url(world["na"]))
    assert response.status_code == 200
    return response.context["form"], response.content.decode()


def test_the_word_file_has_the_party_format_and_the_home_figures(world, client) -> None:
    from docx import Document as WordDocument

    form, _html = _page(client, world)
    response = client.post(_url(world["na"]), _post_data(form, action="docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    word = WordDocument(io.BytesIO(response.content))

    header = word.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert "TỈNH ỦY NGHỆ AN" in left and "BAN NỘI CHÍNH" in left
    assert "Số: ...-BC/BNCTU" in left
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in right
    today = timezone.localdate()
    assert f"Nghệ An, ngày {today.day} tháng {today.month} năm {today.year}" in right
    party = next(
        p for p in header.rows[0].cells[1].paragraphs if p.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    )
    assert party.runs[0].bold and party.runs[0].underline
    issuer = next(p for p in header.rows[0].cells[0].paragraphs if p.text == "BAN NỘI CHÍNH")
    assert issuer.runs[0].bold

    texts = [p.text for p in word.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kết quả công tác năm 2024 và nhiệm vụ trọng tâm thời gian tới" in texts
    for title in (service.RESULTS_TITLE, service.LIMITS_TITLE, service.TASKS_TITLE):
        assert title in texts

    # A4 and the Party's margins; Times New Roman 13-14.
    section = word.sections[0]

    def mm(length: Any) -> int:
        assert length is not None
        return round(length.mm)

    assert mm(section.page_width) == 210 and mm(section.page_height) == 297
    assert 20 <= mm(section.top_margin) <= 25
    assert 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35
    assert 15 <= mm(section.right_margin) <= 20
    normal = word.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14

    # The figures table: every row is the home page's figure, formatted the same way.
    data = _home(world["head"], world["na"])
    figures = word.tables[1]
    shown = [tuple(c.text for c in row.cells[1:4]) for row in figures.rows[1:]]
    assert shown == _expected_rows(data)
    by_key = {f.key: f for s in data.sections for f in s.figures}
    detected = by_key["cases.all"]
    assert detected.value == 3 and detected.comparison is not None
    assert detected.comparison.previous == 1
    # ...and in the prose, in the register of the source reports.
    results = next(t for t in texts if t.startswith("Trong năm 2024"))
    assert (
        f"đã phát hiện 3 vụ án, vụ việc, tăng 2 vụ ({format_percent(200)}) so với cùng kỳ"
        in results
    )
    assert "Sơ kết chuyên đề" in " ".join(texts)  # the overdue task under II
    assert "Hội nghị giao ban quý" in " ".join(texts)  # the task due soon under III

    # The overview's charts (when it draws them) under part I.
    assert len(word.inline_shapes) == len(getattr(data, "charts", []))

    # The export is audited.
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("id")
    assert entry.object_type == "dashboards.briefing" and entry.user_id == world["head"].pk
    assert entry.unit_id == world["na"].pk


def test_the_pdf_renders_a4_pages_holding_the_figures(world, client) -> None:
    form, _html = _page(client, world)
    response = client.post(_url(world["na"]), _post_data(form, action="pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    # The same document laid out by WeasyPrint: its pages' text holds the figures.
    built = service.briefing_build(
        user=world["head"],
        unit=world["na"],
        period=Period.parse(PERIOD),
        today=timezone.localdate(),
    )
    bound = BriefingForm(_post_data(form), meetings=Meeting.objects.none())
    assert bound.is_valid(), bound.errors
    pages = partydoc.pdf_pages(document_from(built, bound.cleaned_data))
    assert {(p.width_mm, p.height_mm) for p in pages} == {(210.0, 297.0)}  # A4
    text = " ".join(p.text for p in pages)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Số: ...-BC/BNCTU" in text
    for label, value, previous in _expected_rows(_home(world["head"], world["na"])):
        assert re.search(rf"{re.escape(label)} {re.escape(value)} {re.escape(previous)}", text)


def test_the_workbook_holds_the_figures_as_numbers(world, client) -> None:
    from openpyxl import load_workbook

    form, _html = _page(client, world)
    response = client.post(_url(world["na"]), _post_data(form, action="xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[1]: r[2:4] for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)}
    data = _home(world["head"], world["na"])
    for section in data.sections:
        for figure in section.figures:
            previous = figure.comparison.previous if figure.comparison else None
            value, before = rows[figure.label]
            assert _same(value, figure.value) and _same(before, previous), figure.key
    assert rows[str(data.sections[0].figures[0].label)][0] == 3


def _same(cell: Any, figure: Any) -> bool:
    if figure is None:
        return cell is None
    return cell is not None and abs(float(cell) - float(figure)) < 1e-9


def test_a_unit_outside_the_scope_is_not_found(world, client) -> None:
    client.force_login(world["outsider"])
    assert client.get(_url(world["na"])).status_code == 404
    assert client.post(_url(world["na"]), {"action": "docx"}).status_code == 404
    assert client.get(f"{reverse('dashboards:briefing')}?don_vi=x").status_code == 404
    # ...while their own unit opens
    assert client.get(_url(world["prov_b"])).status_code == 200


def test_storing_registers_a_document_of_the_unit_in_the_meeting(world, client) -> None:
    form, html = _page(client, world)
    meeting = world["meeting"]
    assert f'value="{meeting.pk}"' in html  # the unit's meetings are offered
    response = client.post(
        _url(world["na"]), _post_data(form, action="store", number="12", meeting=meeting.pk)
    )
    document = Document.objects.get(code="12-BC/BNCTU")
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:document_detail", args=[document.pk])
    assert document.unit_id == world["na"].pk
    assert document.type_code == "BC" and document.issue_date == timezone.localdate()
    assert document.title.startswith("Báo cáo kết quả công tác năm 2024")
    assert document.file.name.endswith(".docx")
    from docx import Document as WordDocument

    with document.file.open("rb") as handle:
        stored = WordDocument(io.BytesIO(handle.read()))
    assert "Số: 12-BC/BNCTU" in stored.tables[0].rows[0].cells[0].text
    created = AuditEntry.objects.get(
        action=AuditAction.CREATE, object_type="documents.document", object_id=str(document.pk)
    )
    assert created.user_id == world["head"].pk
    assert list(meeting.materials.all()) == [document]
    assert AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="work.meeting", object_id=str(meeting.pk)
    ).exists()


def test_an_error_keeps_what_the_user_typed(world, client) -> None:
    form, _html = _page(client, world)
    typed = "Đoạn văn lãnh đạo viết lại: kết quả nổi bật của năm."
    # storing without a number
    response = client.post(
        _url(world["na"]), _post_data(form, action="store", results=typed, signer_name="Lê Văn B")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhập số của báo cáo để lưu vào văn bản của đơn vị." in html
    assert typed in html and "Lê Văn B" in html
    assert not Document.objects.exists()
    # an empty subject and a malformed number
    response = client.post(
        _url(world["na"]),
        _post_data(form, action="docx", subject="", number="12a/b", tasks="- Việc mới của tôi"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "- Việc mới của tôi" in html
    assert "Số chỉ gồm chữ số, ví dụ 12." in html
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.django_db(transaction=True)
def test_the_background_task_renders_the_files_and_shows_its_progress(client) -> None:
    from docx import Document as WordDocument

    world = _world()
    form, _html = _page(client, world)
    response = client.post(_url(world["na"]), _post_data(form, action="background"))
    assert response.status_code == 302
    status_url = response["Location"]
    page = client.get(status_url).content.decode()
    assert 'data-state="queued"' in page and 'hx-trigger="every 2s"' in page
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    fragment = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="briefing-status" data-state="done"')
    assert "hx-trigger" not in fragment  # polling stops
    links = dict(re.findall(r'href="([^"]+/(docx|pdf)/)"', fragment))
    link = next(url for url, kind in links.items() if kind == "docx")
    word = WordDocument(io.BytesIO(client.get(link).content))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in word.tables[0].rows[0].cells[1].text
    pdf = client.get(next(url for url, kind in links.items() if kind == "pdf"))
    assert pdf.content.startswith(b"%PDF")
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.EXPORT, object_type="dashboards.briefing"
        ).count()
        == 2
    )
    # another user's task is not theirs to see
    client.force_login(world["outsider"])
    assert client.get(status_url).status_code == 404
    assert client.get(link).status_code == 404


def _png(width: int = 4, height: int = 2) -> bytes:
    """A tiny grey PNG, built by hand (no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_a_party_document_carries_its_charts_in_word_and_pdf() -> None:
    from docx import Document as WordDocument

    doc = partydoc.PartyDocument(
        issuer="Ban Nội chính",
        superior="Tỉnh ủy Nghệ An",
        number="7",
        number_suffix="BC/BNCTU",
        place="Nghệ An",
        date=D(2026, 5, 25),
        subject="Sơ kết 6 tháng",
        sections=[
            partydoc.Section(
                "I. KẾT QUẢ", ["Đoạn một."], images=[partydoc.Image(_png(), "Biểu đồ 1")]
            )
        ],
        signer_role="T/M BAN THƯỜNG VỤ",
        signer_title="Phó Bí thư",
        signer_name="Nguyễn Văn A",
    )
    word = WordDocument(io.BytesIO(partydoc.docx_bytes(doc)))
    assert len(word.inline_shapes) == 1
    assert "Số: 7-BC/BNCTU" in word.tables[0].rows[0].cells[0].text
    signature = word.tables[-1].rows[0].cells[1].text
    assert "T/M BAN THƯỜNG VỤ" in signature and "PHÓ BÍ THƯ" in signature
    assert "Nguyễn Văn A" in signature
    assert word.tables[-1].rows[0].cells[0].text.split("\n")[-1] == "- Lưu VP."
    assert 'src="data:image/png;base64,' in partydoc.html(doc)
    pages = partydoc.pdf_pages(doc)
    assert "Biểu đồ 1" in pages[0].text and "ngày 25 tháng 5 năm 2026" in pages[0].text
    assert partydoc.pdf_bytes(doc).startswith(b"%PDF")


def test_the_page_reads_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
) -> None:
    client.force_login(world["head"])
    url = _url(world["na"])
    client.get(url)
    with django_assert_max_num_queries(100):
        assert client.get(url).status_code == 200


def test_the_home_page_links_to_the_briefing_of_its_unit_and_period(world, client) -> None:
    client.force_login(world["head"])
    response = client.get(f"/?don_vi={world['na'].pk}&ky={PERIOD}")
    assert response.status_code == 200
    link = re.search(r'id="briefing-link" href="([^"]+)"', response.content.decode())
    assert link is not None
    target = link.group(1).replace("&amp;", "&")
    assert target == _url(world["na"])
    form, _html = _page(client, world)
    assert client.get(target).context["form"].initial == form.initial
