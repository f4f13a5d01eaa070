"""The request being served, for the audit log (who, from where, which request id)."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str
    ip: str | None


_current: ContextVar[RequestInfo | None] = ContextVar("noichinh_request", default=None)


def current() -> RequestInfo | None:
    return _current.get()


def set_current(info: RequestInfo | None):
    return _current.set(info)


def reset(token) -> None:
    _current.reset(token)
