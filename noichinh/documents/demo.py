"""Demo documents: the catalogue of types and issuers, the Party congress terms, and the
documents named in the domain: Plan 15-KH/BNCTW (25/5/2021), implemented by Nghệ An's
06-KH/BNCTU (2/6/2021); Regulation 67-QĐ/TW (2/6/2022); guidance 01-HD/BNCTU; directive
19-CT/TU; official letter 6615-V/TU; Decree 47/2021/NĐ-CP on the Law on Anti-corruption."""

from __future__ import annotations

import datetime as dt
from typing import Any

from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create
from noichinh.units.models import Unit

from .models import Document, DocumentType, Issuer, Term

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
        "NA-BNCTU",
        "19-CT/TU",
        D(2023, 3, 10),
        "Chỉ thị về tăng cường sự lãnh đạo của cấp ủy đối với công tác phát hiện, xử lý vụ việc, "
        "vụ án tham nhũng, tiêu cực",
        "67-QĐ/TW",
    ),
    (
        "NA-BNCTU",
        "6615-V/TU",
        D(2024, 10, 8),
        "Công văn về việc báo cáo kết quả công tác nội chính, phòng, chống tham nhũng, tiêu cực "
        "9 tháng đầu năm 2024",
        "",
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
        parent = Document.objects.filter(code=implements).first() if implements else None
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
