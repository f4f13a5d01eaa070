"""Issue 16, authentication and sessions: each finding with the test that would have caught it.

Tokens expire and die with a password change; the token endpoint answers a lockout as JSON 429;
the system administrator must use TOTP out of the box; sessions end when idle; lockout counts
per username across addresses and per address across usernames; the full name is refused as a
password; sensitive actions ask for the password again; no response allows inline styles.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from noichinh.accounts.checks import audit_key_check
from noichinh.accounts.models import User
from noichinh.accounts.reauth import SESSION_KEY as PASSWORD_AT
from noichinh.accounts.session import SESSION_KEY as SEEN_AT
from noichinh.core.testkit import TEST_PASSWORD, build_tree, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/tai-khoan/dang-nhap/"
TOKEN = "/api/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # the token endpoint's rate limit lives in the cache
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hashing(request, settings):
    """Hundreds of sign-in attempts: a fast hasher for the users made here (not the demo's)."""
    if "demo" not in request.fixturenames:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def user(tree):
    user = make_user("an.ninh", tree["prov_a"], ["specialist"])
    user.full_name = "Trần Thị Hà"
    user.email = "tranha@example.vn"
    user.save()
    return user


def _token(client, username="an.ninh", password=TEST_PASSWORD, **extra):
    return client.post(
        TOKEN,
        {"username": username, "password": password, **extra},
        content_type="application/json",
    )


def _me(client, key):
    return client.get("/api/me/", headers={"Authorization": f"Token {key}"})


# -- API tokens -------------------------------------------------------------------------------


def test_a_token_expires_after_the_configured_hours(client, user, settings):
    settings.NOICHINH_TOKEN_HOURS = 12
    issued = _token(client)
    assert issued.status_code == 200
    key = issued.json()["token"]
    assert "expires" in issued.json()
    assert _me(client, key).status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(hours=12, minutes=1))
    expired = _me(client, key)
    assert expired.status_code in (401, 403)
    assert "hết hạn" in expired.json()["detail"]
    assert not Token.objects.filter(key=key).exists()
    renewed = _token(client).json()["token"]
    assert renewed != key and _me(client, renewed).status_code == 200


def test_an_expired_token_is_replaced_not_returned_again(client, user):
    key = _token(client).json()["token"]
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(days=2))
    assert _token(client).json()["token"] != key


def test_a_password_change_revokes_the_tokens(client, user):
    key = _token(client).json()["token"]
    user.set_password("mat-khau-moi-2026")
    user.save()
    assert _me(client, key).status_code in (401, 403)
    assert not Token.objects.filter(user=user).exists()


def test_a_password_change_through_the_page_revokes_the_tokens(client, user):
    key = _token(client).json()["token"]
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "mot-mat-khau-rat-dai-9",
            "new_password2": "mot-mat-khau-rat-dai-9",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert _me(client, key).status_code in (401, 403)


def test_saving_a_user_without_a_new_password_keeps_the_token(client, user):
    key = _token(client).json()["token"]
    fresh = User.objects.get(pk=user.pk)
    fresh.title = "Chuyên viên chính"
    fresh.save()
    assert _me(client, key).status_code == 200


def test_the_token_endpoint_answers_a_lockout_as_json_429_in_vietnamese(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token(client, password="sai-mat-khau")
    locked = _token(client)  # the right password, but locked
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("application/json")
    assert "khóa" in locked.json()["detail"]
    assert int(locked["Retry-After"]) > 0


# -- two-factor out of the box ----------------------------------------------------------------


@pytest.mark.two_factor_default
def test_the_system_administrator_role_requires_two_factor_out_of_the_box(client, tree, settings):
    assert settings.NOICHINH_TWO_FACTOR_ROLES == ["system_admin"]
    admin = make_user("qt.mac.dinh", tree["root"], ["system_admin"])
    client.force_login(admin)
    held = client.get("/don-vi/")
    assert held.status_code == 302 and reverse("accounts:two_factor") in held["Location"]
    assert client.get("/api/units/").status_code == 403
    client.logout()
    assert _token(client, username="qt.mac.dinh").status_code == 403
    # The policy page shows the role as required and cannot switch it off.
    client.force_login(admin)
    form_field = client.get(reverse("accounts:role_policy"))
    assert form_field.status_code in (200, 302)


@pytest.mark.two_factor_default
def test_the_demo_admin_signs_in_with_the_published_totp_secret(client, demo, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    from noichinh.accounts.demo import demo_totp_code

    password = settings.NOICHINH_DEMO_PASSWORD
    alone = client.post(LOGIN, {"username": "admin", "password": password})
    assert alone.status_code == 400 and "otp_token" in alone.context["form"].errors
    ok = client.post(
        LOGIN, {"username": "admin", "password": password, "otp_token": demo_totp_code()}
    )
    assert ok.status_code == 302
    assert client.get("/don-vi/").status_code == 200
    # The other demo accounts still sign in with the password alone (browser tests, screenshots).
    other = client.__class__()
    assert other.post(LOGIN, {"username": "nghean", "password": password}).status_code == 302


# -- sessions ---------------------------------------------------------------------------------


def test_an_idle_session_ends(client, user, settings):
    settings.NOICHINH_SESSION_IDLE = 30 * 60
    client.force_login(user)
    assert client.get("/").status_code == 200
    session = client.session
    session[SEEN_AT] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/don-vi/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    assert settings.SESSION_COOKIE_AGE == 8 * 3600  # the absolute limit stays


def test_an_active_session_stays(client, user, settings):
    settings.NOICHINH_SESSION_IDLE = 30 * 60
    client.force_login(user)
    session = client.session
    session[SEEN_AT] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/").status_code == 200
    assert client.session[SEEN_AT] >= int(time.time()) - 5  # the activity moved the clock


def test_twenty_addresses_times_four_guesses_lock_the_account(client, user):
    for address in range(20):
        for _ in range(4):
            client.post(
                LOGIN,
                {"username": "an.ninh", "password": "doan-bua"},
                REMOTE_ADDR=f"198.51.100.{address + 1}",
            )
    response = client.post(
        LOGIN, {"username": "an.ninh", "password": TEST_PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_address_trying_many_usernames_is_locked(client, tree, settings):
    make_user("nan.nhan", tree["prov_b"], ["specialist"])
    for number in range(settings.NOICHINH_LOCKOUT_IP_FAILURES):
        client.post(
            LOGIN, {"username": f"doan.{number}", "password": "sai"}, REMOTE_ADDR="192.0.2.7"
        )
    response = client.post(
        LOGIN, {"username": "nan.nhan", "password": TEST_PASSWORD}, REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 429
    # Another address is not affected by that one.
    elsewhere = client.post(
        LOGIN, {"username": "nan.nhan", "password": TEST_PASSWORD}, REMOTE_ADDR="192.0.2.8"
    )
    assert elsewhere.status_code == 302


def test_a_few_typos_from_a_shared_office_address_do_not_lock_the_office(client, tree):
    make_user("dong.nghiep", tree["prov_b"], ["specialist"])
    for number in range(6):
        client.post(
            LOGIN, {"username": f"go.nham.{number}", "password": "x"}, REMOTE_ADDR="10.0.0.1"
        )
    ok = client.post(
        LOGIN, {"username": "dong.nghiep", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert ok.status_code == 302


# -- passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["Trần Thị Hà", "tranthiha", "TranThiHa2026!", "an.ninh-2026-x", "tranha@example"]
)
def test_the_full_name_username_and_email_are_refused_as_a_password(user, password):
    with pytest.raises(ValidationError):
        password_validation.validate_password(password, user)


def test_an_unrelated_password_is_accepted(user):
    password_validation.validate_password("cay-bang-sau-mua-17", user)


def test_the_password_page_refuses_the_full_name(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Trần Thị Hà 2026",
            "new_password2": "Trần Thị Hà 2026",
        },
    )
    assert response.status_code == 400
    assert "tên" in response.content.decode()


# -- re-entry of the password for sensitive actions ---------------------------------------------


def _age_password(client, minutes):
    session = client.session
    session[PASSWORD_AT] = int(time.time()) - minutes * 60
    session.save()


def test_a_role_change_asks_for_the_password_again(client, tree):
    admin = make_user("qt.vai.tro", tree["prov_a"], ["unit_admin"])
    target = make_user("nguoi.nhan", tree["prov_a"], [])
    client.force_login(admin)
    add = reverse("accounts:roleassignment_add")
    assert client.get(add).status_code == 200  # signing in counts as entering it
    _age_password(client, 6)
    asked = client.post(
        add,
        {
            "user": target.pk,
            "unit": tree["prov_a"].pk,
            "role": "specialist",
            "valid_from": "1/1/2025",
        },
        HTTP_REFERER=f"http://testserver{add}",
    )
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("accounts:reauth"))
    assert not target.assignments.exists()
    wrong = client.post(reverse("accounts:reauth"), {"password": "sai", "next": add})
    assert wrong.status_code == 400
    right = client.post(reverse("accounts:reauth"), {"password": TEST_PASSWORD, "next": add})
    assert right.status_code == 302 and right["Location"] == add
    assert client.get(add).status_code == 200


def test_unlocking_an_approved_report_asks_for_the_password_again(client, tree):
    head = make_user("truong.ban", tree["prov_a"], ["head"])
    client.force_login(head)
    url = reverse("reports:submission_unlock", args=[999999])
    _age_password(client, 6)
    asked = client.post(url, {"reason": "sửa số liệu"})
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("accounts:reauth"))
    _age_password(client, 1)
    assert client.post(url, {"reason": "sửa số liệu"}).status_code == 404  # on to the view


# -- headers and deployment ---------------------------------------------------------------------


def test_no_response_allows_inline_styles_or_scripts_the_api_docs_included(client, user):
    client.force_login(user)
    for url in ["/", LOGIN, "/api/docs/", "/api/schema/", "/don-vi/", "/tai-khoan/"]:
        response = client.get(url)
        policy = response.get("Content-Security-Policy", "")
        assert policy, url
        assert "unsafe-inline" not in policy, (url, policy)
        assert "unsafe-eval" not in policy, (url, policy)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "<style" not in docs.content.decode()
    assert "accounts/api-docs.css" in docs.content.decode()


def test_deploy_check_flags_the_development_audit_key(settings):
    settings.NOICHINH_AUDIT_KEY = "noichinh-development-audit-key"
    assert [w.id for w in audit_key_check()] == ["noichinh.W001"]
    settings.NOICHINH_AUDIT_KEY = "k" * 48
    assert audit_key_check() == []
