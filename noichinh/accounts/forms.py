from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from noichinh.core.forms import DateInput

from .models import RoleAssignment, User


def check_password_pair(form: forms.BaseForm, data: dict[str, Any], user: Any) -> None:
    """password1/password2 must match and pass the password validators (errors on the field)."""
    first, second = data.get("password1"), data.get("password2")
    if first and second and first != second:
        form.add_error("password2", _("The two passwords differ."))
    elif first:
        try:
            password_validation.validate_password(first, user)
        except forms.ValidationError as error:
            form.add_error("password1", error)


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label=_("One-time code"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_(
            "Only if two-factor sign-in is on for your account: the 6 digits from your app."
        ),
    )


class TokenRequestForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(strip=False)
    otp_token = forms.CharField(required=False, max_length=8)


def new_password_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class UserCreateForm(forms.ModelForm):
    password1 = new_password_field(_("Password"))
    password2 = new_password_field(_("Repeat the password"))

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "title", "home_unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_password_pair(self, data, self.instance)
        return data

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class UserEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "title", "home_unit", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].required = True


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "unit", "role", "valid_from", "valid_to", "note"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}


class RolePolicyForm(forms.Form):
    def __init__(self, *args: Any, policies: dict[str, bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from noichinh.core.permissions import Role

        from .models import roles_required_by_settings

        fixed = roles_required_by_settings()
        for value, label in Role.choices:
            self.fields[value] = forms.BooleanField(
                label=label,
                required=False,
                initial=policies.get(value, False) or value in fixed,
                disabled=value in fixed,
                help_text=_("Required by the server's settings.") if value in fixed else "",
            )


class TwoFactorConfirmForm(forms.Form):
    otp_token = forms.CharField(
        label=_("One-time code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)


class AdminPasswordForm(forms.Form):
    password1 = new_password_field(_("New password"))
    password2 = new_password_field(_("Repeat the password"))

    def __init__(self, *args: Any, target: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target = target

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_password_pair(self, data, self.target)
        return data
