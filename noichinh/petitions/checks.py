"""`manage.py check --deploy` warning of the petitions app: identities must be encrypted under
keys of the environment, not the development key derived from SECRET_KEY."""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def identity_keys_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    from cryptography.fernet import Fernet

    from .crypto import configured_keys

    keys = configured_keys()
    problem = ""
    if not keys:
        problem = "NOICHINH_IDENTITY_KEYS is not set: identities are encrypted under a key "
        problem += "derived from SECRET_KEY."
    else:
        for key in keys:
            try:
                Fernet(key.encode())
            except ValueError:
                problem = "A key in NOICHINH_IDENTITY_KEYS is not a Fernet key."
                break
    if not problem:
        return []
    return [
        Warning(
            problem,
            hint='Set NOICHINH_IDENTITY_KEYS to keys from `python -c "from cryptography.fernet '
            'import Fernet; print(Fernet.generate_key().decode())"` (docs/security.md).',
            id="noichinh.W002",
        )
    ]
