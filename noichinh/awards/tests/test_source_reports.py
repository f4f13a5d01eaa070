"""The demo reproduces source reports 1 and 3 of ../shared/domain.md ("The source reports, fact
by fact"), read as a user reads them: signed in as a demo account, opening the pages one
reaches by following links (the awards list, the review, the campaigns dashboard, the cluster
table, the registrations), checking the Vietnamese text the pages show, not the models.

1. Cluster III's review and award vote of 07/11/2023 in Đà Nẵng (midterm of Plan 15-KH/BNCTW
   of 25/5/2021): 115,4 % and 216,7 % of the registered targets; the difficulties and key
   tasks; 100 % of the delegates for the Prime Minister's Certificate of Merit for Quảng Bình
   and the Head's Certificate for Đà Nẵng, Phú Yên and Kon Tum.
3. Nghệ An's Plan 06-KH/BNCTU of 02/6/2021: targets 10 (5 self-detected) and 5; each
   department 3 and 2, by the midterm 2 and 1; midterm in November 2023, final in November
   2025."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from noichinh.accounts.models import User
from noichinh.core.demo_snapshot import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _get(client: Client, url: str, params: dict[str, str] | None = None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _text(body: str) -> str:
    """The visible words, tags dropped and spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def _link(body: str, label: str, path_part: str = "") -> str:
    """The href of the first link whose text starts with `label`."""
    for href, inner in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>(.*?)</a>', body, flags=re.S):
        if _text(inner).startswith(label) and path_part in href:
            return html.unescape(href)
    raise AssertionError(f"no link {label!r}")


def _rows(fragment: str) -> list[list[str]]:
    return [
        [_text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", fragment, flags=re.S)
    ]


def _row_link(body: str, words: str) -> str:
    """The first link of the list row that shows `words` (lists link their first column)."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        if words in _text(row):
            found = re.search(r'href="([^"]+)"', row)
            if found:
                return html.unescape(found.group(1))
    raise AssertionError(f"no row {words!r}")


def cluster_page_url(dashboard: str) -> str:
    return _link(dashboard, "Cụm thi đua số III", "/thi-dua/cum/")


def _section(body: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(table|section)>', body, flags=re.S)
    assert found, element_id
    return found.group(1)


def test_report_1_cluster_iii_review_and_award_vote_of_7_11_2023(demo) -> None:
    client = _client("trunguong")
    title = "Hội nghị bình xét thi đua, khen thưởng Cụm thi đua số III (sơ kết 3 năm)"
    listing = _get(client, "/khen-thuong/binh-xet/")
    page = _get(client, _row_link(listing, title))
    text = _text(page)
    # when, where, which cluster, who attended
    assert f"{title} (7/11/2023)" in text
    assert "Ngày 7/11/2023" in text and "Địa điểm Thành phố Đà Nẵng" in text
    assert "Cụm thi đua Cụm thi đua số III" in text
    assert (
        "Thành phần tham dự Lãnh đạo cấp vụ, đơn vị của Ban Nội chính Trung ương; lãnh đạo Ban "
        "Nội chính 13 tỉnh ủy, thành ủy thuộc Cụm thi đua số III (khu vực miền Trung và Tây "
        "Nguyên)"
    ) in text
    assert len(_rows(_section(page, "delegates").split("<table")[1])) == 1 + 13
    assert "Đại biểu 13/13" in text
    # the midterm of the 2021-2025 campaign of Plan 15-KH/BNCTW of 25/5/2021
    assert "Đợt đánh giá thi đua Sơ kết 3 năm (2021-2023)" in text
    assert (
        "Sơ kết 3 năm thực hiện phong trào thi đua chuyên đề theo Kế hoạch số 15-KH/BNCTW ngày "
        "25/5/2021 của Ban Nội chính Trung ương, giai đoạn 2021-2025."
    ) in text
    # difficulties and key tasks
    for words in [
        "tạm đình chỉ kéo dài do chờ kết quả giám định, định giá tài sản hoặc chờ ý kiến hướng "
        "dẫn của cơ quan trung ương",
        "việc xác minh các đơn thư phức tạp kéo dài",
        "liên quan đến nhiều cấp, nhiều ngành",
        "thanh tra, tiếp công dân, giải quyết kịp thời đơn thư khiếu nại, tố cáo, nhất là về "
        "bồi thường, giải phóng mặt bằng các dự án lớn",
        "không để xảy ra tập trung đông người, khiếu kiện kéo dài, vượt cấp",
        "giám sát trách nhiệm người đứng đầu",
        "đẩy nhanh tiến độ thanh tra, điều tra, truy tố, xét xử các vụ án, vụ việc dư luận xã "
        "hội quan tâm",
        "thực hiện Quy định số 11-QĐi/TW của Bộ Chính trị về trách nhiệm của người đứng đầu cấp "
        "ủy trong việc tiếp dân, đối thoại trực tiếp với dân",
        "phấn đấu 100 % các ban đạt và vượt chỉ tiêu thi đua",
    ]:
        assert words in text, words
    # the vote: 100 % of the delegates, one proposal each
    proposals = re.findall(r"<li>(.*?)</li>", page.split("Danh sách đề nghị cấp trên")[1])
    assert [_text(p) for p in proposals] == [
        "100 % số đại biểu có mặt đồng ý đề nghị tặng Bằng khen của Thủ tướng Chính phủ cho "
        "Quảng Bình.",
        *[
            "100 % số đại biểu có mặt đồng ý đề nghị tặng Bằng khen của Trưởng Ban Nội chính "
            f"Trung ương cho {name}."
            for name in ("Đà Nẵng", "Phú Yên", "Kon Tum")
        ],
    ]
    ballots = _get(client, "/khen-thuong/phieu-bau/")
    assert "Đã đóng" in _text(ballots) and "Đã giải thể" not in _text(ballots)
    # the results against the targets, in the cluster's table of the midterm
    dashboard = _get(client, "/thi-dua/")
    cluster_page = _get(client, cluster_page_url(dashboard))
    midterm_link = _link(
        cluster_page,
        "Thi đua chuyên đề phát hiện vụ việc tham nhũng, tiêu cực giai đoạn 2021-2025: "
        "Sơ kết 3 năm",
    )
    table_page = _get(client, cluster_page_url(dashboard).split("?")[0] + midterm_link)
    rows = _rows(_section(table_page, "cluster-table"))
    assert len(rows) == 2 + 13 + 1  # two heading rows, 13 committees, the cluster total
    total = rows[-1]
    assert total[0] == "Toàn cụm"
    assert (total[1], total[2], total[3]) == ("39", "45", "115,4 %")  # cases and matters
    assert (total[7], total[8], total[9]) == ("18", "39", "216,7 %")  # security issues
    # the campaign: Plan 15-KH/BNCTW of 25/5/2021, 2021-2025
    campaign = _text(_get(client, _link(dashboard, "Thi đua chuyên đề", "/phong-trao/")))
    assert "Kế hoạch 15-KH/BNCTW (25/5/2021)" in campaign
    assert "Từ ngày 25/5/2021 Đến ngày 31/12/2025" in campaign
    # the cluster: 13 committees of the Central and Central Highlands region
    cluster = _text(_get(client, _link(_get(client, "/don-vi/cum-thi-dua/"), "Cụm thi đua số III")))
    assert "Miền Trung và Tây Nguyên" in cluster
    for name in ("Quảng Bình", "Đà Nẵng", "Phú Yên", "Kon Tum"):
        assert name in cluster


def test_report_3_nghe_an_plan_06_kh_bnctu_of_2_6_2021(demo) -> None:
    client = _client("nghean")
    dashboard = _get(client, "/thi-dua/")
    registration = _get(client, _link(dashboard, "Ban Nội chính Tỉnh ủy Nghệ An"))
    text = _text(registration)
    assert "Kế hoạch thực hiện 06-KH/BNCTU (2/6/2021)" in text
    grid = {r[0].split(". ")[0]: r[1:] for r in _rows(_section(registration, "targets"))[1:]}
    # whole period: at least 10 cases and matters, of which 5 self-detected; 5 security issues
    assert (grid["1"][0], grid["1.1"][0], grid["2"][0]) == ("10", "5", "5")
    # the plan implements 15-KH/BNCTW; two rounds, November 2023 and November 2025
    campaign_page = _get(client, _link(registration, "Thi đua chuyên đề", "/phong-trao/"))
    assert "Kế hoạch 15-KH/BNCTW (25/5/2021)" in _text(campaign_page)
    midterm = _text(_get(client, _link(campaign_page, "Sơ kết 3 năm (2021-2023)")))
    final = _text(_get(client, _link(campaign_page, "Tổng kết 5 năm (2021-2025)")))
    assert "Sơ kết" in midterm and re.search(r"Ngày tổ chức \d{1,2}/11/2023", midterm)
    assert "Tổng kết" in final and re.search(r"Ngày tổ chức \d{1,2}/11/2025", final)
    plan = _text(_get(client, _link(_get(client, "/van-ban/", {"q": "06-KH/BNCTU"}), "06-KH")))
    assert "15-KH/BNCTW" in plan and "2/6/2021" in plan
    # each department: 3 cases of public concern and 2 security issues, by the midterm 2 and 1
    departments = re.findall(r'href="(/thi-dua/dang-ky/\d+/)"', _section(registration, "children"))
    assert len(set(departments)) == 3
    for href in sorted(set(departments)):
        page = _get(client, href)
        rows = {r[0].split(". ")[0]: r[1:] for r in _rows(_section(page, "targets"))[1:]}
        assert (rows["3"][0], rows["3"][1]) == ("3", "2"), href
        assert (rows["4"][0], rows["4"][1]) == ("2", "1"), href
