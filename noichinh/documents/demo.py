"""Demo documents: the catalogue of types and issuers, the Party congress terms, and the
documents the source reports name (../shared/domain.md): Plan 15-KH/BNCTW (25/5/2021),
implemented by Nghệ An's 06-KH/BNCTU (2/6/2021) and its guidance 01-HD/BNCTU to the
departments; Regulations 67-QĐ/TW (2/6/2022) and 11-QĐi/TW (citizen reception and dialogue);
Quảng Bình's Standing Board directive 19-CT/TU (26/5/2021) on administrative judgment
enforcement and official letter 6615-V/TU (28/8/2023) on reducing administrative cases, and its
own guidance 01-HD/BNCTU on the district groups' briefings and reports (registered on 29/5/2023;
the nine-month briefing also cites it as of 9/5/2023, which the registry flags); the merger's
basis, Resolution 60-NQ/TW (12/4/2025) and Resolution 202/2025/QH15 (12/6/2025); Decree
47/2021/NĐ-CP on the Law on Anti-corruption."""

from __future__ import annotations

import datetime as dt
from typing import Any

from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create
from noichinh.units.models import Unit

from .models import Document, DocumentType, Issuer, Term
from .services import document_for_code

D = dt.date

TYPES = [
    ("KH", "Kế hoạch"),
    ("HD", "Hướng dẫn"),
    ("QĐ", "Quyết định"),
    ("QĐi", "Quy định"),
    ("CT", "Chỉ thị"),
    ("NQ", "Nghị quyết"),
    ("KL", "Kết luận"),
    ("TB", "Thông báo"),
    ("BC", "Báo cáo"),
    ("CV", "Công văn"),
    ("V", "Công văn (Đảng)"),
    ("CTr", "Chương trình"),
    ("ĐA", "Đề án"),
    ("NĐ", "Nghị định"),
    ("TT", "Thông tư"),
]
ISSUERS = [
    ("TW", "Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư"),
    ("BCĐTW", "Ban Chỉ đạo Trung ương về phòng, chống tham nhũng, tiêu cực"),
    ("BNCTW", "Ban Nội chính Trung ương"),
    ("TU", "Tỉnh ủy, Thành ủy"),
    ("BNCTU", "Ban Nội chính Tỉnh ủy, Thành ủy"),
    ("BCĐ", "Ban Chỉ đạo cấp tỉnh về phòng, chống tham nhũng, tiêu cực"),
    ("HU", "Huyện ủy"),
    ("CP", "Chính phủ"),
    ("TTg", "Thủ tướng Chính phủ"),
    ("UBND", "Ủy ban nhân dân"),
    ("QH15", "Quốc hội khóa XV"),
]
# Party congress terms (opening of each National Congress); administrators add provincial ones.
TERMS = [
    ("Khóa XI", D(2011, 1, 12)),
    ("Khóa XII", D(2016, 1, 20)),
    ("Khóa XIII", D(2021, 1, 25)),
    ("Khóa XIV", D(2026, 1, 19)),
]

# (owner unit code, code, issue date, title, implements code)
DOCUMENTS: list[tuple[str, str, dt.date, str, str]] = [
    (
        "BNCTW",
        "15-KH/BNCTW",
        D(2021, 5, 25),
        "Kế hoạch tổ chức phong trào thi đua chuyên đề giai đoạn 2021-2025: phát hiện các vụ "
        "án, vụ việc tham nhũng, tiêu cực và tham mưu cấp ủy chỉ đạo xử lý; chủ động tham mưu "
        "xử lý các vấn đề phức tạp, nổi cộm về an ninh, trật tự",
        "",
    ),
    (
        "NA-BNCTU",
        "06-KH/BNCTU",
        D(2021, 6, 2),
        "Kế hoạch thực hiện phong trào thi đua chuyên đề giai đoạn 2021-2025 của Ban Nội chính "
        "Tỉnh ủy Nghệ An",
        "15-KH/BNCTW",
    ),
    (
        "NA-BNCTU",
        "01-HD/BNCTU",
        D(2021, 6, 15),
        "Hướng dẫn các phòng đăng ký chỉ tiêu thi đua chuyên đề giai đoạn 2021-2025",
        "06-KH/BNCTU",
    ),
    (
        "BNCTW",
        "67-QĐ/TW",
        D(2022, 6, 2),
        "Quy định về chức năng, nhiệm vụ, quyền hạn, tổ chức bộ máy, chế độ làm việc, quan hệ công "
        "tác của Ban Chỉ đạo cấp tỉnh về phòng, chống tham nhũng, tiêu cực",
        "",
    ),
    (
        "BNCTW",
        "11-QĐi/TW",
        D(2019, 2, 18),
        "Quy định của Bộ Chính trị về trách nhiệm của người đứng đầu cấp ủy trong việc tiếp "
        "dân, đối thoại trực tiếp với dân và xử lý những phản ánh, kiến nghị của dân",
        "",
    ),
    (
        "QB-BNCTU",
        "19-CT/TU",
        D(2021, 5, 26),
        "Chỉ thị của Ban Thường vụ Tỉnh ủy Quảng Bình về tăng cường sự lãnh đạo của các cấp ủy "
        "đảng đối với công tác thi hành án hành chính",
        "",
    ),
    (
        "QB-BNCTU",
        "6615-V/TU",
        D(2023, 8, 28),
        "Công văn của Ban Thường vụ Tỉnh ủy Quảng Bình về việc tăng cường các giải pháp nhằm "
        "giảm số vụ án hành chính",
        "",
    ),
    (
        "QB-BNCTU",
        "01-HD/BNCTU",
        D(2023, 5, 29),
        "Hướng dẫn chế độ giao ban, thông tin, báo cáo của các Tổ công tác huyện, thị xã, thành "
        "phố về công tác nội chính, phòng, chống tham nhũng, tiêu cực",
        "",
    ),
    (
        "BNCTW",
        "60-NQ/TW",
        D(2025, 4, 12),
        "Nghị quyết Hội nghị lần thứ mười một Ban Chấp hành Trung ương Đảng khóa XIII về sắp "
        "xếp, tinh gọn tổ chức bộ máy của hệ thống chính trị, sắp xếp đơn vị hành chính",
        "",
    ),
    (
        "BNCTW",
        "202/2025/QH15",
        D(2025, 6, 12),
        "Nghị quyết của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh (hiệu lực từ "
        "1/7/2025: 63 tỉnh, thành phố còn 34)",
        "60-NQ/TW",
    ),
    (
        "BNCTW",
        "47/2021/NĐ-CP",
        D(2021, 4, 1),
        "Nghị định quy định chi tiết một số điều của Luật Phòng, chống tham nhũng",
        "",
    ),
]


def load(out: Any) -> None:
    root = Unit.objects.get(code="BNCTW")
    for code, name in TYPES:
        if not DocumentType.objects.filter(code=code).exists():
            object_create(user=SYSTEM, instance=DocumentType(unit=root, code=code, name=name))
    for code, name in ISSUERS:
        if not Issuer.objects.filter(code=code).exists():
            object_create(user=SYSTEM, instance=Issuer(unit=root, code=code, name=name))
    for name, starts in TERMS:
        if not Term.objects.filter(unit=root, starts_on=starts).exists():
            object_create(user=SYSTEM, instance=Term(unit=root, name=name, starts_on=starts))
    new = 0
    for unit_code, code, issued, title, implements in DOCUMENTS:
        unit = Unit.objects.get(code=unit_code)
        if Document.objects.filter(unit=unit, code=code).exists():
            continue
        parent = document_for_code(implements, unit) if implements else None
        object_create(
            user=SYSTEM,
            instance=Document(
                unit=unit, code=code, issue_date=issued, title=title, implements=parent
            ),
        )
        new += 1
    out.write(
        f"documents: {Document.objects.count()} ({new} new), "
        f"{DocumentType.objects.count()} types, {Issuer.objects.count()} issuers"
    )
