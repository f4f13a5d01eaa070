"""The demo reproduces the source reports of ../shared/domain.md ("The source reports, fact by
fact"), read as a user reads them: signed in as a demo account, through the list and detail
pages, in Vietnamese, dates as the pages write them (13/7/2023). One test per report for the
meetings, conclusions, key tasks and projects (reports 2, 4 and 5), one for the legal
documents, and the registry's flag on a document cited with two issue dates."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from noichinh.accounts.models import User
from noichinh.core.audit import snapshot
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_update
from noichinh.documents.models import Citation, Document
from noichinh.work.models import Meeting

pytestmark = pytest.mark.django_db

DATE_CONFLICT = "Ngày ban hành được trích dẫn khác nhau: 29/5/2023 và 9/5/2023"


@pytest.fixture
def demo():
    load_demo()


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _text(response) -> str:
    """The page's visible text, tags dropped and spaces collapsed (the words as read)."""
    assert response.status_code == 200, response.status_code
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def _open_row(client: Client, url: str, filters: dict[str, str], *needles: str) -> str:
    """Find the row of a list page that reads all `needles`, and open the record it links to
    (the first link of the row) as a user would."""
    listing = client.get(url, filters)
    assert listing.status_code == 200
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", listing.content.decode(), flags=re.S):
        text = html.unescape(re.sub(r"<[^>]+>", " ", row))
        link = re.search(r'href="(/[^"?]+/\d+/)"', row)
        if link and all(needle in text for needle in needles):
            return _text(client.get(link.group(1)))
    raise AssertionError(f"no row of {url} reads {needles!r}")


def _open_meeting(client: Client, filters: dict[str, str], title: str) -> str:
    return _open_row(client, reverse("work:meeting_list"), filters, title)


def _open_document(client: Client, code: str, unit_name: str = "") -> str:
    return _open_row(client, reverse("documents:document_list"), {"q": code}, code, unit_name)


def test_report_2_six_month_review_of_the_central_commission(demo):
    client = _client("trunguong")
    page = _open_meeting(
        client,
        {"period": "six_months", "year": "2023"},
        "Hội nghị sơ kết công tác 6 tháng đầu năm 2023 của Ban Nội chính Trung ương",
    )
    for fact in [
        "13/7/2023",
        "Sáng 13/7/2023",
        "Phó Trưởng Ban Thường trực Ban Nội chính Trung ương trình bày báo cáo",
        "Trưởng Ban Nội chính Trung ương phát biểu kết luận",
        "Phiên họp thứ 23 của Ban Chỉ đạo Trung ương về phòng, chống tham nhũng, tiêu cực và 01 "
        "cuộc họp Thường trực Ban Chỉ đạo",
        "sơ kết 01 năm hoạt động của Ban Chỉ đạo cấp tỉnh",
        "Trình dự thảo Quy định của Bộ Chính trị về kiểm soát quyền lực trong công tác điều "
        "tra, truy tố, xét xử, thi hành án",
        "Triển khai 05 đề án lớn",
        "Cơ chế bảo vệ các cơ quan, tổ chức, cá nhân thực thi công vụ trong hoạt động điều tra, "
        "truy tố, xét xử, thi hành án",
        "Nghiên cứu, đề xuất mô hình cơ quan, đơn vị chuyên trách chống tham nhũng, tiêu cực",
        "Giải pháp chỉ đạo chấn chỉnh, khắc phục những biểu hiện đùn đẩy, né tránh, làm việc "
        "cầm chừng, sợ sai, không dám làm ...",
        "cuốn sách của đồng chí Tổng Bí thư về phòng, chống tham nhũng, tiêu cực",
        "Việt Á, Học viện Quân y, Vạn Thịnh Phát",
        "đăng kiểm",
        # the second half's key tasks, as conclusions and tasks
        "Chuẩn bị nội dung Phiên họp thứ 24",
        "Hoàn thiện Quy định của Bộ Chính trị về kiểm soát quyền lực",
        "Đẩy nhanh tiến độ 02 đề án",
        "thuộc diện Ban Chỉ đạo Trung ương theo dõi, chỉ đạo, các vụ án tách giai đoạn II, các "
        "kiến nghị của Ban Chỉ đạo cấp tỉnh và các vụ án, vụ việc cấp độ 3",
        "tập trung đông người",
    ]:
        assert fact in page, fact
    assert "14/7/2023" not in page
    assert "Conclusions 5" in page or "Kết luận 5" in page

    # The projects of 2023 are the ones the review names, and only those.
    projects = _text(client.get(reverse("work:project_list"), {"year": "2023"}))
    named = [
        "Cơ chế bảo vệ các cơ quan, tổ chức, cá nhân thực thi công vụ",
        "Nghiên cứu, đề xuất mô hình cơ quan, đơn vị chuyên trách chống tham nhũng, tiêu cực",
        "Giải pháp chỉ đạo chấn chỉnh, khắc phục những biểu hiện đùn đẩy",
    ]
    for title in named:
        assert title in projects, title
    assert projects.count("(2023)") <= len(named)
    assert "Đề án xây dựng mô hình cơ quan chuyên trách" not in projects

    # A province reads the central review too (central meetings flow down).
    assert "Phiên họp thứ 24" in _open_meeting(
        _client("nghean"),
        {"period": "six_months"},
        "Hội nghị sơ kết công tác 6 tháng đầu năm 2023",
    )


def test_report_4_nine_month_briefing_of_quang_binh_district_groups(demo):
    client = _client("trunguong")
    page = _open_meeting(
        client,
        {"period": "nine_months", "year": "2024"},
        "Hội nghị giao ban công tác nội chính 9 tháng đầu năm 2024 với các Tổ công tác huyện",
    )
    for fact in [
        "11/10/2024",
        "Phó Trưởng Ban Nội chính Tỉnh ủy Quảng Bình",
        "8/8",
        # limitations
        "Thành viên Tổ công tác hoạt động kiêm nhiệm",
        "phối hợp giữa các cơ quan tư pháp có lúc chưa kịp thời",
        "thi hành án dân sự về tiền ở một số đơn vị còn thấp",
        "Tai nạn giao thông tăng 2 tiêu chí (số vụ, số người bị thương) so với cùng kỳ năm 2023",
        "Nhiều đơn thư giải quyết còn chậm",
        # the six key tasks of the source, in order
        "không để xảy ra điểm nóng, nhất là trong các dịp lễ, Tết",
        "100 % bản án được ban hành sớm hơn thời hạn quy định; giảm số hồ sơ trả điều tra bổ "
        "sung; tổ chức thi hành các bản án",
        "Chỉ thị số 19-CT/TU ngày 26/5/2021 của Ban Thường vụ Tỉnh ủy về công tác thi hành án "
        "hành chính và Công văn số 6615-V/TU ngày 28/8/2023",
        "các vụ việc có nguy cơ phát sinh tập trung đông người",
        "trật tự, an toàn giao thông",
        "Duy trì chế độ giao ban, báo cáo theo Hướng dẫn số 01-HD/BNCTU ngày 29/5/2023",
        # the guidance cited as of 9/5/2023 in the same report: flagged on the citing record
        "01-HD/BNCTU ngày 9/5/2023",
        f"01-HD/BNCTU: {DATE_CONFLICT}",
    ]:
        assert fact in page, fact
    assert "10/10/2024" not in page
    assert "Trưởng Ban Nội chính Tỉnh ủy Quảng Bình" not in page.replace(
        "Phó Trưởng Ban Nội chính Tỉnh ủy Quảng Bình", ""
    )
    first = page.index("không để xảy ra điểm nóng")
    sixth = page.index("Duy trì chế độ giao ban")
    assert first < page.index("Chỉ thị số 19-CT/TU") < sixth
    assert "Kết luận 6" in page and "Nhiệm vụ trọng tâm 6" in page


def test_report_5_q1_2023_national_online_briefing(demo):
    for username in ("trunguong", "nghean"):  # the centre chairs, the provinces attend
        page = _open_meeting(
            _client(username),
            {"period": "quarter", "year": "2023"},
            "Hội nghị giao ban trực tuyến toàn quốc quý I/2023",
        )
        for fact in [
            "31/3/2023",
            "Sáng 31/3/2023",
            "Trưởng Ban Nội chính Trung ương",
            "điểm cầu Bắc Kạn",
            "Quy định số 67-QĐ/TW ngày 02/6/2022",
            "đều đã thành lập Ban Chỉ đạo cấp tỉnh",
            "Một số Ban Chỉ đạo cấp tỉnh ban hành chương trình công tác năm 2023 chậm",
            "Việc chỉ đạo xử lý các vụ án, vụ việc còn chậm",
            "Ban Chỉ đạo cấp tỉnh thực sự mạnh, đoàn kết, thống nhất",
            "công tâm, khách quan; thay thế những thành viên là mắt xích yếu",
            "tháo gỡ những điểm nghẽn",
        ]:
            assert fact in page, (username, fact)
        assert "12/4/2023" not in page
        assert "Ngày ban hành được trích dẫn khác nhau" not in page  # 02/6/2022 is right


def test_legal_documents_of_the_sources(demo):
    client = _client("trunguong")
    directive = _open_document(client, "19-CT/TU")
    assert "26/5/2021" in directive
    assert "Ban Thường vụ Tỉnh ủy Quảng Bình" in directive and "thi hành án hành chính" in directive
    assert "Ban Nội chính Tỉnh ủy Quảng Bình" in directive  # the owner unit
    letter = _open_document(client, "6615-V/TU")
    assert "28/8/2023" in letter
    assert "Ban Thường vụ Tỉnh ủy Quảng Bình" in letter and "giảm số vụ án hành chính" in letter
    regulation = _open_document(client, "11-QĐi/TW")
    assert "tiếp dân, đối thoại trực tiếp với dân" in regulation
    assert "2/6/2022" in _open_document(client, "67-QĐ/TW")
    assert "12/4/2025" in _open_document(client, "60-NQ/TW")
    merger = _open_document(client, "202/2025/QH15")
    assert "12/6/2025" in merger and "sắp xếp đơn vị hành chính cấp tỉnh" in merger
    assert "60-NQ/TW" in merger  # implements the Party's resolution
    # Each is registered once (the same code of two provinces is two documents).
    for code in ["19-CT/TU", "6615-V/TU", "11-QĐi/TW", "67-QĐ/TW", "60-NQ/TW", "202/2025/QH15"]:
        assert Document.objects.filter(code=code).count() == 1, code


def test_the_registry_flags_a_document_cited_with_two_dates(demo):
    client = _client("trunguong")
    page = _open_document(client, "01-HD/BNCTU", "Quảng Bình")
    assert "29/5/2023" in page
    assert DATE_CONFLICT in page
    assert "“01-HD/BNCTU ngày 9/5/2023”" in page  # the words that cite the other date
    assert "Hội nghị giao ban công tác nội chính 9 tháng đầu năm 2024" in page
    # Nghệ An's guidance of the same number is another document, cited with no other date.
    assert DATE_CONFLICT not in _open_document(client, "01-HD/BNCTU", "Nghệ An")

    # Correcting the briefing's text to the registered date clears the flag on both pages.
    meeting = Meeting.objects.get(unit__code="QB-BNCTU", held_on__year=2024, period="nine_months")
    before = snapshot(meeting)
    meeting.agenda = meeting.agenda.replace("ngày 9/5/2023", "ngày 29/5/2023")
    object_update(user=SYSTEM, instance=meeting, before=before)
    assert DATE_CONFLICT not in _open_document(client, "01-HD/BNCTU", "Quảng Bình")
    detail = _text(client.get(reverse("work:meeting_detail", args=[meeting.pk])))
    assert "Ngày ban hành được trích dẫn khác nhau" not in detail
    assert not Citation.objects.filter(cited_date__day=9, cited_date__month=5).exists()


def test_loading_twice_creates_no_citation(demo):
    counts = (Citation.objects.count(), Document.objects.count(), Meeting.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Citation.objects.count(), Document.objects.count(), Meeting.objects.count()) == counts
