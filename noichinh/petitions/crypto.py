"""Petitioners' identities encrypted at rest (Decree 13/2023/ND-CP; docs/security.md).

The name, address and identity number of a petition are stored as Fernet ciphertext
(AES-128-CBC with HMAC-SHA256, `cryptography`), prefixed `fernet:`, in a text column, and read
back as plain text (`EncryptedCharField`). Keys come from the environment:
`NOICHINH_IDENTITY_KEYS`, comma-separated Fernet keys, the first encrypting and every one
decrypting (MultiFernet), so a new key is put first, `manage.py rotate_identity_keys`
re-encrypts every row under it, and the old key is then removed. Without the setting a
development key derived from SECRET_KEY is used, which `check --deploy` flags (W002); it stays
the last key for decrypting, so setting keys later and running `rotate_identity_keys` moves
every value to them (after that, changing SECRET_KEY is harmless).

Ciphertext cannot be compared, so `petitioner_key` (what duplicates are matched on) is a blind
index: an HMAC of the folded name under a key derived from the first identity key; equal names
still give equal keys, and the database alone does not reveal a name. Rotation recomputes it.
A value without the prefix (written before encryption) is read as it is, and rewritten
encrypted by `rotate_identity_keys`."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models, transaction

from noichinh.core.text import fold

PREFIX = "fernet:"


def development_key() -> str:
    digest = hashlib.sha256(b"noichinh-identity:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def configured_keys() -> tuple[str, ...]:
    return tuple(k for k in getattr(settings, "NOICHINH_IDENTITY_KEYS", ()) or () if k)


def keys() -> tuple[str, ...]:
    """The first encrypts; all decrypt. The development key always comes last, for decrypting
    only, so a site that ran without keys moves to its own with one `rotate_identity_keys`."""
    configured = configured_keys()
    development = development_key()
    return (*configured, development) if development not in configured else configured


@lru_cache(maxsize=8)
def _fernet(key_list: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in key_list])


@lru_cache(maxsize=8)
def _index_key(first: str) -> bytes:
    return hashlib.sha256(b"noichinh-identity-index:" + first.encode()).digest()


def encrypt(value: str) -> str:
    if not value:
        return value
    return PREFIX + _fernet(keys()).encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    if not value or not value.startswith(PREFIX):
        return value  # empty, or written before encryption
    try:
        return _fernet(keys()).decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise InvalidToken(
            "An identity was encrypted under a key not in NOICHINH_IDENTITY_KEYS."
        ) from error


def is_current(value: str) -> bool:
    """Encrypted under the first key (what rotation leaves behind)."""
    if not value:
        return True
    if not value.startswith(PREFIX):
        return False
    try:
        Fernet(keys()[0].encode()).decrypt(value[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


def reencrypt(model: Any, *, batch: int = 500) -> int:
    """Rewrite every identity of `model` (Petition, or its historical version in a migration)
    under the first key, and its blind index; returns the rows rewritten. Reading decrypts
    under any key (or passes plain text written before encryption), writing encrypts."""
    names = ("petitioner_name", "petitioner_address", "petitioner_id_number")
    done = 0
    last = 0
    while True:
        rows = list(
            model._base_manager.filter(pk__gt=last).order_by("pk").values("pk", *names)[:batch]
        )
        if not rows:
            return done
        with transaction.atomic():  # one commit per batch
            for row in rows:
                model._base_manager.filter(pk=row["pk"]).update(
                    **{name: row[name] for name in names},
                    petitioner_key=blind_index(row["petitioner_name"]),
                )
        done += len(rows)
        last = rows[-1]["pk"]


def blind_index(name: str) -> str:
    """What duplicates are matched on: equal for equal folded names, not the name."""
    folded = fold(name or "")
    if not folded:
        return ""
    return hmac.new(_index_key(keys()[0]), folded.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.CharField):
    """A CharField for forms and validation (max_length counts the plain text), stored as
    ciphertext in a text column. Only the empty value can be looked up."""

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return decrypt(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if isinstance(value, str) else value


__all__ = [
    "EncryptedCharField",
    "blind_index",
    "decrypt",
    "encrypt",
    "is_current",
    "keys",
    "reencrypt",
]
