"""Readers of provider payloads, which arrive as the clients' typed objects (pydantic models)
or as plain JSON (dicts): each reads either, and returns None when the value is absent or of
another type. Request arguments may also hold the clients' "not given" sentinels."""

from __future__ import annotations

import math
from typing import Any

_SENTINELS = frozenset(("NotGiven", "Omit"))


def given(value: Any) -> bool:
    """False for None and the clients' `NOT_GIVEN` / `omit` markers."""
    return value is not None and type(value).__name__ not in _SENTINELS


def field(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        return value.get(name)
    return getattr(value, name, None)


def items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return int(value)


def plain_record(value: Any) -> dict[str, Any]:
    """A provider object as the dict of fields the API sent, or a copy of a dict."""
    if isinstance(value, dict):
        return dict(value)
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        dumped = dump(mode="json", exclude_unset=True)
        return dumped if isinstance(dumped, dict) else {}
    return {}


def snapshot(value: Any) -> Any:
    """Request content as it is at the call: applications append to their message list after
    the call, and the span must show the list as it was sent. A list is copied (its messages
    are not: they are not changed in place in practice); an iterator is never consumed."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, (str, dict, int, float, bool)) or value is None:
        return value
    return None if hasattr(value, "__next__") else value
