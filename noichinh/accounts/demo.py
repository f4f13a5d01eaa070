"""Demo accounts (password from NOICHINH_DEMO_PASSWORD, default `noichinh-demo`; demo data only).
The system administrator's role requires two-factor sign-in (NOICHINH_TWO_FACTOR_ROLES), so the
demo `admin` gets a TOTP device with a published secret (NOICHINH_DEMO_TOTP_SECRET, printed by
`load_demo` and in the README); the other accounts work with the password alone."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from noichinh.core.audit import audit_change
from noichinh.core.permissions import Role
from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create
from noichinh.units.models import Unit

from .models import RoleAssignment, User

# Demo data only: the published TOTP secret of the demo `admin` (32 base32 letters, 20 bytes).
DEMO_TOTP_SECRET = "NOICHINHDEMOADMINTOTPSECRETKEYAB"

# username, full name, position, unit code, role
DEMO_ACCOUNTS: list[tuple[str, str, str, str, str]] = [
    ("admin", "Quản trị hệ thống", "Quản trị viên", "BNCTW", Role.SYSTEM_ADMIN),
    ("trunguong", "Nguyễn Văn Trung", "Vụ trưởng", "BNCTW", Role.HEAD),
    ("nghean", "Trần Thị Hà", "Chuyên viên", "NA-BNCTU", Role.SPECIALIST),
    ("quangbinh", "Lê Văn Bình", "Phó Trưởng ban", "QT-BNCTU", Role.HEAD),
    ("quantri.nghean", "Phạm Văn Nam", "Chánh Văn phòng", "NA-BNCTU", Role.UNIT_ADMIN),
    ("quangtri", "Hoàng Thị Trị", "Phó Trưởng ban", "QT-BNCTU", Role.HEAD),
]

# Dated assignments: username -> (unit code, role, from, until). The head of Quảng Bình held
# the role until the merger (30/6/2025, the last day of Quảng Bình); from 1/7/2025 he is a
# deputy head of the merged Quảng Trị committee (a head role there). Others from 1/1/2021.
DATED: dict[str, list[tuple[str, str, dt.date, dt.date | None]]] = {
    "quangbinh": [
        ("QB-BNCTU", Role.HEAD, dt.date(2021, 1, 1), dt.date(2025, 6, 30)),
        ("QT-BNCTU", Role.HEAD, dt.date(2025, 7, 1), None),
    ],
}

DESCRIPTIONS = {
    "admin": "system administrator, whole tree",
    "trunguong": "head, Central Internal Affairs Commission (sees everything)",
    "nghean": "specialist, Nghệ An provincial committee",
    "quangbinh": (
        "head, Quảng Bình provincial committee until 30/6/2025; "
        "from 1/7/2025 deputy head (head role) of the merged Quảng Trị committee"
    ),
    "quantri.nghean": "unit administrator, Nghệ An provincial committee",
    "quangtri": "head, Quảng Trị provincial committee (includes former Quảng Bình)",
}


def load(out: Any) -> None:
    new = 0
    for username, full_name, title, unit_code, role in DEMO_ACCOUNTS:
        unit = Unit.objects.get(code=unit_code)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, title=title, home_unit=unit)
            user.set_password(settings.NOICHINH_DEMO_PASSWORD)
            user.save()
            audit_change(user=SYSTEM, instance=user, before=None, message="demo account")
            new += 1
        dated = DATED.get(username, [(unit_code, role, dt.date(2021, 1, 1), None)])
        for code, dated_role, start, end in dated:
            held = Unit.objects.get(code=code)
            if not RoleAssignment.objects.filter(user=user, unit=held, role=dated_role).exists():
                object_create(
                    user=SYSTEM,
                    instance=RoleAssignment(
                        user=user, unit=held, role=dated_role, valid_from=start, valid_to=end
                    ),
                )
    admin = User.objects.get(username="admin")
    if not TOTPDevice.objects.filter(user=admin, confirmed=True).exists():
        TOTPDevice.objects.create(
            user=admin, name="Noichinh demo", confirmed=True, key=demo_totp_key()
        )
    out.write(f"accounts: {len(DEMO_ACCOUNTS)} demo accounts ({new} new)")


def demo_totp_secret() -> str:
    """The demo admin's TOTP secret (base32, as an authenticator app takes it)."""
    return str(getattr(settings, "NOICHINH_DEMO_TOTP_SECRET", DEMO_TOTP_SECRET)).upper()


def demo_totp_key() -> str:
    return base64.b32decode(demo_totp_secret()).hex()


def demo_totp_code() -> str:
    """The demo admin's current one-time code (tests, the screenshot tool, `load_demo`)."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(demo_totp_key())):06d}"


def print_accounts(out: Any) -> None:
    out.write("")
    out.write(f"Demo accounts (password: {settings.NOICHINH_DEMO_PASSWORD}):")
    for username, *_rest in DEMO_ACCOUNTS:
        out.write(f"  {username:<16} {DESCRIPTIONS[username]}")
    secret = demo_totp_secret()
    out.write(
        f"  admin signs in with a one-time code too: TOTP secret {secret} "
        f"(otpauth://totp/Noichinh:admin?secret={secret}&issuer=Noichinh)"
    )
