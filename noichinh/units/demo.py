"""Demo units: the central commission, the 63 provincial committees as they were before July
2025, Nghệ An's departments, Quảng Bình's 8 district working groups, emulation Cluster III, and
the 2025 reorganisation (Resolution 60-NQ/TW, in force 1/7/2025: 63 provinces -> 34, district
level closed) applied as real reorganisation events through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from noichinh.core.scoping import SYSTEM

from . import services
from .choices import UnitKind
from .clusters import cluster_members_set
from .models import Cluster, Unit

START = dt.date(2013, 1, 1)
REORG = dt.date(2025, 7, 1)
REORG_DOC = "60-NQ/TW"
# The State decision that merged the provinces, implementing 60-NQ/TW.
MERGER_DOC = "202/2025/QH15"

# (code, province name, centrally-run city?) as of 2024.
PROVINCES: list[tuple[str, str, bool]] = [
    ("HN", "Hà Nội", True),
    ("HCM", "Hồ Chí Minh", True),
    ("HP", "Hải Phòng", True),
    ("DNG", "Đà Nẵng", True),
    ("CT", "Cần Thơ", True),
    ("HG", "Hà Giang", False),
    ("CB", "Cao Bằng", False),
    ("LCA", "Lào Cai", False),
    ("BK", "Bắc Kạn", False),
    ("LS", "Lạng Sơn", False),
    ("TQ", "Tuyên Quang", False),
    ("YB", "Yên Bái", False),
    ("TN", "Thái Nguyên", False),
    ("PT", "Phú Thọ", False),
    ("BG", "Bắc Giang", False),
    ("QNI", "Quảng Ninh", False),
    ("LCH", "Lai Châu", False),
    ("DB", "Điện Biên", False),
    ("SL", "Sơn La", False),
    ("HB", "Hòa Bình", False),
    ("VP", "Vĩnh Phúc", False),
    ("BN", "Bắc Ninh", False),
    ("HD", "Hải Dương", False),
    ("HY", "Hưng Yên", False),
    ("TB", "Thái Bình", False),
    ("HNA", "Hà Nam", False),
    ("ND", "Nam Định", False),
    ("NB", "Ninh Bình", False),
    ("TH", "Thanh Hóa", False),
    ("NA", "Nghệ An", False),
    ("HT", "Hà Tĩnh", False),
    ("QB", "Quảng Bình", False),
    ("QT", "Quảng Trị", False),
    ("TTH", "Thừa Thiên Huế", False),
    ("QNA", "Quảng Nam", False),
    ("QNG", "Quảng Ngãi", False),
    ("BDI", "Bình Định", False),
    ("PY", "Phú Yên", False),
    ("KH", "Khánh Hòa", False),
    ("NT", "Ninh Thuận", False),
    ("BTH", "Bình Thuận", False),
    ("KT", "Kon Tum", False),
    ("GL", "Gia Lai", False),
    ("DL", "Đắk Lắk", False),
    ("DNO", "Đắk Nông", False),
    ("LD", "Lâm Đồng", False),
    ("BP", "Bình Phước", False),
    ("TNI", "Tây Ninh", False),
    ("BD", "Bình Dương", False),
    ("DNA", "Đồng Nai", False),
    ("BRVT", "Bà Rịa - Vũng Tàu", False),
    ("LA", "Long An", False),
    ("TG", "Tiền Giang", False),
    ("BTR", "Bến Tre", False),
    ("TV", "Trà Vinh", False),
    ("VL", "Vĩnh Long", False),
    ("DT", "Đồng Tháp", False),
    ("AG", "An Giang", False),
    ("KG", "Kiên Giang", False),
    ("HGI", "Hậu Giang", False),
    ("ST", "Sóc Trăng", False),
    ("BL", "Bạc Liêu", False),
    ("CM", "Cà Mau", False),
]

# Resolution 60-NQ/TW: (the province that continues, the provinces merged into it).
MERGERS: list[tuple[str, list[str]]] = [
    ("TQ", ["HG"]),
    ("LCA", ["YB"]),
    ("TN", ["BK"]),
    ("PT", ["VP", "HB"]),
    ("BN", ["BG"]),
    ("HY", ["TB"]),
    ("HP", ["HD"]),
    ("NB", ["HNA", "ND"]),
    ("QT", ["QB"]),
    ("DNG", ["QNA"]),
    ("QNG", ["KT"]),
    ("GL", ["BDI"]),
    ("KH", ["NT"]),
    ("LD", ["DNO", "BTH"]),
    ("DL", ["PY"]),
    ("HCM", ["BD", "BRVT"]),
    ("DNA", ["BP"]),
    ("TNI", ["LA"]),
    ("CT", ["ST", "HGI"]),
    ("VL", ["BTR", "TV"]),
    ("DT", ["TG"]),
    ("CM", ["BL"]),
    ("AG", ["KG"]),
]

NGHE_AN_DEPARTMENTS = [
    ("NA-VP", "Văn phòng Ban Nội chính Tỉnh ủy Nghệ An"),
    ("NA-P1", "Phòng Theo dõi công tác phòng, chống tham nhũng, tiêu cực"),
    ("NA-P2", "Phòng Nội chính - Tư pháp"),
    ("NA-P3", "Phòng Tiếp công dân, xử lý đơn thư và cải cách tư pháp"),
]

QUANG_BINH_DISTRICTS = [
    ("QB-DH", "Đồng Hới"),
    ("QB-BD", "Ba Đồn"),
    ("QB-MH", "Minh Hóa"),
    ("QB-TH", "Tuyên Hóa"),
    ("QB-QT", "Quảng Trạch"),
    ("QB-BT", "Bố Trạch"),
    ("QB-QN", "Quảng Ninh"),
    ("QB-LT", "Lệ Thủy"),
]

CLUSTER_III = ["QB", "QT", "TTH", "DNG", "QNA", "QNG", "BDI", "PY", "KH", "KT", "GL", "DL", "DNO"]


def committee_name(province: str, city: bool) -> str:
    return f"Ban Nội chính {'Thành ủy' if city else 'Tỉnh ủy'} {province}"


def _ensure(code: str, **kwargs: Any) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    return unit or services.unit_create(user=SYSTEM, code=code, **kwargs)


def load(out: Any) -> None:
    created_before = Unit.objects.count()
    root = _ensure(
        "BNCTW",
        parent=None,
        name="Ban Nội chính Trung ương",
        short_name="BNCTW",
        kind=UnitKind.CENTRAL,
        valid_from=START,
    )
    provinces: dict[str, Unit] = {}
    for code, province, city in PROVINCES:
        provinces[code] = _ensure(
            f"{code}-BNCTU",
            parent=root,
            name=committee_name(province, city),
            short_name=province,
            kind=UnitKind.PROVINCIAL,
            valid_from=START,
        )
    for code, name in NGHE_AN_DEPARTMENTS:
        _ensure(code, parent=provinces["NA"], name=name, kind=UnitKind.DEPARTMENT, valid_from=START)
    for code, district in QUANG_BINH_DISTRICTS:
        _ensure(
            code,
            parent=provinces["QB"],
            name=f"Tổ công tác huyện {district}",
            short_name=district,
            kind=UnitKind.DISTRICT_GROUP,
            valid_from=dt.date(2022, 7, 1),
        )

    cluster = Cluster.objects.filter(code="CUM-III").first()
    if cluster is None:
        from noichinh.core.services import object_create

        cluster = Cluster(
            unit=root, code="CUM-III", name="Cụm thi đua số III", region="Miền Trung và Tây Nguyên"
        )
        object_create(user=SYSTEM, instance=cluster)
        # Members since their beginning; a past review's table reads the members of its date.
        cluster_members_set(
            user=SYSTEM, cluster=cluster, units=[provinces[c] for c in CLUSTER_III], on=START
        )

    # 1/1/2025: Thừa Thiên Huế became the centrally-run city of Huế.
    hue = provinces["TTH"]
    if hue.name != "Ban Nội chính Thành ủy Huế":
        services.unit_rename(
            user=SYSTEM,
            unit=hue,
            name="Ban Nội chính Thành ủy Huế",
            short_name="Huế",
            on=dt.date(2025, 1, 1),
            document="175/2024/QH15",
            note="Thành lập thành phố Huế trực thuộc trung ương",
        )

    # 1/7/2025: district level closed, then provinces merged (Resolution 60-NQ/TW).
    for code, _name in QUANG_BINH_DISTRICTS:
        group = Unit.objects.get(code=code)
        if group.is_active:
            services.unit_close(
                user=SYSTEM,
                unit=group,
                on=REORG,
                document=REORG_DOC,
                note="Kết thúc hoạt động cấp huyện",
            )
    for keep, merged in MERGERS:
        target = Unit.objects.get(code=f"{keep}-BNCTU")
        sources = [Unit.objects.get(code=f"{c}-BNCTU") for c in merged]
        sources = [s for s in sources if s.is_active]
        if sources:
            services.unit_merge(
                user=SYSTEM,
                sources=sources,
                target=target,
                on=REORG,
                document=MERGER_DOC,
                note=(
                    "Sắp xếp, hợp nhất tỉnh theo Nghị quyết 60-NQ/TW ngày 12/4/2025 và "
                    "Nghị quyết 202/2025/QH15 ngày 12/6/2025"
                ),
            )
    active = Unit.objects.filter(kind=UnitKind.PROVINCIAL).active().count()
    out.write(
        f"units: {Unit.objects.count()} ({Unit.objects.count() - created_before} new); "
        f"{active} provincial committees in force"
    )
