"""Password rules beyond Django's: a password must not be the user's own name, username or
e-mail, written with or without diacritics, spaces or case (Django's similarity check compares
the raw strings, so "Trần Thị Hà" vs "tranthiha" slips through it)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from noichinh.core.text import fold

MIN_PART = 4


def _squash(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(value).lower())


class PersonalDataPasswordValidator:
    """Refuses a password that contains, or is contained in, the user's full name, username or
    e-mail local part (compared without diacritics, case, spaces or punctuation)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        squashed = _squash(password)
        email = (getattr(user, "email", "") or "").split("@")[0]
        for value in (getattr(user, "full_name", ""), getattr(user, "username", ""), email):
            part = _squash(value or "")
            if len(part) < MIN_PART:
                continue
            if part in squashed or (len(squashed) >= MIN_PART and squashed in part):
                raise ValidationError(
                    _("The password must not contain your name, username or e-mail."),
                    code="password_personal_data",
                )

    def get_help_text(self) -> str:
        return _("Your password must not contain your name, username or e-mail.")
