"""The category of an error raised by a provider's client, the network or the runtime."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from ._types import ErrorCategory

_CONTEXT_LENGTH = re.compile(
    r"context.length|context window|prompt is too long|maximum context|too many tokens", re.I
)
_CONTENT_FILTER = re.compile(r"content.filter|content.policy|content management policy", re.I)


def _record(value: object) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _provider_message(error: BaseException) -> str | None:
    """The provider's own message: both official clients keep the parsed body as `body`, with
    the message at `error.message`; the exception text prefixes the status code."""
    body = _record(getattr(error, "body", None))
    if body is not None:
        nested = _record(body.get("error"))
        found = _text(nested.get("message")) if nested else None
        found = found or _text(body.get("message"))
        if found:
            return found
    return _text(getattr(error, "message", None)) or _text(str(error))


def _provider_code(error: BaseException) -> str:
    body = _record(getattr(error, "body", None)) or {}
    nested = _record(body.get("error")) or {}
    clues = (
        getattr(error, "code", None),
        body.get("code"),
        body.get("type"),
        nested.get("code"),
        nested.get("type"),
    )
    return " ".join(clue for clue in clues if isinstance(clue, str))


def http_status(error: BaseException) -> int | None:
    """The HTTP status the client saw: `status_code` in both official clients."""
    status = getattr(error, "status_code", None)
    if status is None:
        status = getattr(error, "status", None)
    if isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599:
        return status
    return None


def _class_names(error: BaseException) -> str:
    # The whole hierarchy, so a subclass the SDK has never seen still reads as its family:
    # anthropic's `DeadlineExceededError` is an `APITimeoutError` underneath.
    return " ".join(cls.__name__ for cls in type(error).__mro__)


def error_category(error: BaseException) -> ErrorCategory:
    """The category of an exception: from its class (the official clients name them
    `RateLimitError`, `APITimeoutError`, …), its HTTP status, and its code or message for what
    a status cannot tell (a 400 that is about the context length).

    >>> error_category(TimeoutError("read timed out"))
    'timeout'
    """
    if isinstance(error, (asyncio.CancelledError, KeyboardInterrupt, GeneratorExit)):
        return "cancelled"
    names = _class_names(error)
    if "Timeout" in names:
        return "timeout"
    if "ConnectionError" in names or isinstance(error, ConnectionError):
        return "network"
    clues = f"{_provider_code(error)} {_provider_message(error) or ''}"
    if _CONTEXT_LENGTH.search(clues):
        return "context_length"
    if _CONTENT_FILTER.search(clues):
        return "content_filter"
    status = http_status(error)
    if status is None:
        return "network" if isinstance(error, OSError) else "unknown"
    if status == 429:
        return "rate_limit"
    if status in (401, 403):
        return "auth"
    if status in (408, 504):
        return "timeout"
    if status >= 500:
        return "server_error"
    return "invalid_request" if status >= 400 else "unknown"


def span_error_from(error: BaseException) -> dict[str, Any]:
    """A wire error from an exception: its category, the provider's message and the status."""
    return {
        "type": error_category(error),
        "message": _provider_message(error) or type(error).__name__,
        "httpStatus": http_status(error),
    }
