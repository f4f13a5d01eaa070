"""Sign-in, sign-out, profile, password, two-factor, and the administration pages."""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from noichinh.core.audit import audit_record
from noichinh.core.models import AuditAction
from noichinh.core.permissions import Role
from noichinh.core.scoping import can

from . import services
from .forms import (
    AdminPasswordForm,
    LoginForm,
    PasswordConfirmForm,
    RolePolicyForm,
    TwoFactorConfirmForm,
)
from .models import RoleAssignment, RolePolicy, User
from .reauth import mark_password_entered, require_recent_password
from .services import is_whole_tree_admin, role_policy_set, user_requires_two_factor


def _safe_next(request: HttpRequest, default: str = "core:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    from django.urls import reverse

    return reverse(default)


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = authenticate(request, username=data["username"], password=data["password"])
        if user is None:
            form.add_error(None, _("Wrong username or password."))
            status = 400
        else:
            device = confirmed_device(user)
            if device is not None:
                matched = match_token(user, data["otp_token"]) if data["otp_token"] else None
                if matched is None:
                    user_login_failed.send(
                        sender=__name__, credentials={"username": data["username"]}, request=request
                    )
                    form.add_error("otp_token", _("Enter the current 6-digit code from your app."))
                    status = 400
                else:
                    login(request, user)
                    otp_login(request, matched)
                    return redirect(_safe_next(request))
            else:
                login(request, user)
                return redirect(_safe_next(request))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    assignments = (
        RoleAssignment.objects.filter(user=user).select_related("unit").order_by("unit__path")
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "assignments": assignments,
            "has_device": confirmed_device(user) is not None,
            "requires_two_factor": user_requires_two_factor(user),
        },
    )


@sensitive_post_parameters()
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit_record(
            action=AuditAction.UPDATE,
            user=user,
            instance=user,
            changes={"password": ["***", "***"]},
            message=_("Password changed"),
        )
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up, verify or turn off TOTP two-factor sign-in."""
    user: Any = request.user
    device = confirmed_device(user)
    required = user_requires_two_factor(user)
    if device is not None and not user.is_verified():
        form = TwoFactorConfirmForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            matched = match_token(user, form.cleaned_data["otp_token"])
            if matched is not None:
                otp_login(request, matched)
                return redirect(_safe_next(request))
            form.add_error("otp_token", _("The code is wrong or has expired."))
        return render(
            request, "accounts/two_factor_verify.html", {"form": form, "required": required}
        )
    if device is not None:
        off_form = PasswordConfirmForm(request.POST or None)
        if request.method == "POST" and off_form.is_valid():
            if required:
                raise PermissionDenied(
                    _("Your role requires two-factor sign-in; it cannot be turned off.")
                )
            if not user.check_password(off_form.cleaned_data["password"]):
                off_form.add_error("password", _("Wrong password."))
            else:
                TOTPDevice.objects.filter(user=user).delete()
                audit_record(
                    action=AuditAction.UPDATE,
                    user=user,
                    instance=user,
                    changes={"two_factor": [True, False]},
                    message=_("Two-factor turned off"),
                )
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("accounts:profile")
        return render(
            request, "accounts/two_factor_on.html", {"form": off_form, "required": required}
        )
    pending, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Noichinh"}
    )
    form = TwoFactorConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pending.verify_token(form.cleaned_data["otp_token"]):
            pending.confirmed = True
            pending.save()
            otp_login(request, pending)
            audit_record(
                action=AuditAction.UPDATE,
                user=user,
                instance=user,
                changes={"two_factor": [False, True]},
                message=_("Two-factor turned on"),
            )
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(_safe_next(request, "accounts:profile"))
        form.add_error("otp_token", _("The code is wrong or has expired."))
    secret = base64.b32encode(pending.bin_key).decode("ascii")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(pending.config_url),
            "secret": secret,
            "required": required,
        },
    )


@login_required
def admin_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    allowed = {
        "can_users": can(user, "administer", User),
        "can_roles": can(user, "view", RoleAssignment),
        "can_audit": can(user, "audit"),
        "can_policy": is_whole_tree_admin(user),
        "can_units": can(user, "manage_units"),
    }
    if not any(allowed.values()):
        raise PermissionDenied(_("Only administrators may open this page."))
    return render(request, "accounts/admin_home.html", allowed)


@login_required
@require_recent_password()
def role_policy(request: HttpRequest) -> HttpResponse:
    if not is_whole_tree_admin(request.user):
        raise PermissionDenied(_("Only a system administrator may change the sign-in policy."))
    current = dict(RolePolicy.objects.values_list("role", "require_two_factor"))
    form = RolePolicyForm(request.POST or None, policies=current)
    if request.method == "POST" and form.is_valid():
        for role in Role.values:
            role_policy_set(
                user=request.user, role=role, require_two_factor=form.cleaned_data[role]
            )
        messages.success(request, _("The sign-in policy has been saved."))
        return redirect("accounts:role_policy")
    return render(request, "accounts/role_policy.html", {"form": form})


SECURITY_ACTIONS: dict[str, tuple[Any, Any]] = {
    "two_factor": (
        services.user_two_factor_reset,
        gettext_lazy("Two-factor sign-in is off for this account."),
    ),
    "unlock": (services.user_unlock, gettext_lazy("The account can sign in again.")),
    "token": (services.user_token_revoke, gettext_lazy("The API token is revoked.")),
}


@login_required
@require_recent_password()
def user_security(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator's security actions on an account: new password, two-factor off,
    lift a lockout, revoke the API token. Each is a service that writes its audit entry."""
    from django.shortcuts import get_object_or_404
    from rest_framework.authtoken.models import Token

    target = get_object_or_404(User.objects.restrict(request.user, "change"), pk=pk)
    password_form = AdminPasswordForm(None, target=target)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    try:
        if action == "password":
            password_form = AdminPasswordForm(request.POST, target=target)
            if password_form.is_valid():
                services.user_set_password(
                    actor=request.user,
                    target=target,
                    password=password_form.cleaned_data["password1"],
                )
                messages.success(request, _("The new password is set."))
                return redirect("accounts:user_security", pk=pk)
        elif action in SECURITY_ACTIONS:
            service, done = SECURITY_ACTIONS[action]
            service(actor=request.user, target=target)
            messages.success(request, str(done))
            return redirect("accounts:user_security", pk=pk)
    except PermissionDenied as error:
        messages.error(request, str(error))
    from axes.models import AccessAttempt
    from django.conf import settings

    attempts = AccessAttempt.objects.filter(username=target.username)
    context = {
        "target": target,
        "form": password_form,
        "has_device": TOTPDevice.objects.filter(user=target, confirmed=True).exists(),
        "has_token": Token.objects.filter(user=target).exists(),
        "locked": any(a.failures_since_start >= settings.AXES_FAILURE_LIMIT for a in attempts),
    }
    return render(
        request, "accounts/user_security.html", context, status=400 if action == "password" else 200
    )


@sensitive_post_parameters("password")
@never_cache
@login_required
def reauth(request: HttpRequest) -> HttpResponse:
    """Enter the password again before a sensitive action (accounts.reauth). Wrong passwords
    count towards the sign-in lockout (authenticate goes through django-axes)."""
    form = PasswordConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        user: Any = request.user
        checked = authenticate(
            request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        if checked is not None and checked.pk == user.pk:
            mark_password_entered(request)
            messages.success(request, _("Password confirmed: repeat the action."))
            return redirect(_safe_next(request))
        form.add_error("password", _("Wrong password."))
        status = 400
    return render(
        request,
        "accounts/reauth.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=status,
    )
