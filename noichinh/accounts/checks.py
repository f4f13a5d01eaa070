"""`manage.py check --deploy` warnings of our own: the audit key must not be the development
default, nor short."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

DEVELOPMENT_AUDIT_KEY = "noichinh-development-audit-key"
MIN_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def audit_key_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    key = str(getattr(settings, "NOICHINH_AUDIT_KEY", ""))
    if key == DEVELOPMENT_AUDIT_KEY or len(key) < MIN_KEY_LENGTH:
        return [
            Warning(
                "NOICHINH_AUDIT_KEY is the development default or shorter than "
                f"{MIN_KEY_LENGTH} characters: whoever can write the database could recompute "
                "the audit chain.",
                hint="Set NOICHINH_AUDIT_KEY to a long random value kept outside the database "
                "(docs/security.md); run `manage.py audit_rekey` once for an existing log.",
                id="noichinh.W001",
            )
        ]
    return []
