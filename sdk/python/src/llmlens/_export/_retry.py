"""When to try an export again, and how long to wait before it."""

from __future__ import annotations

import random
import re
from email.utils import parsedate_to_datetime
from typing import Callable

# The first retry waits about 500 ms and each next one twice as long, capped at 5 s; ±20%
# jitter keeps many processes that lost the collector together from retrying in lockstep.
BACKOFF_INITIAL_MS = 500
BACKOFF_MAX_MS = 5_000
JITTER = 0.2

# Statuses that say "later" rather than "never": rate limited, or a gateway in trouble.
RETRYABLE_STATUSES = frozenset((429, 502, 503, 504))

_SECONDS = re.compile(r"^\d+(\.\d+)?$")


def backoff_ms(attempt: int, draw: Callable[[], float] = random.random) -> float:
    """The wait before retry number `attempt + 1`.

    >>> backoff_ms(0, draw=lambda: 0.5), backoff_ms(10, draw=lambda: 0.5)
    (500.0, 5000.0)
    """
    base = min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2**attempt)
    return float(base * (1 - JITTER + 2 * JITTER * draw()))


def retry_after_ms(header: str | None, now_ms: float) -> float | None:
    """`Retry-After` in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3), or
    None when absent or unreadable.

    >>> retry_after_ms("2", now_ms=0), retry_after_ms("soon", now_ms=0)
    (2000.0, None)
    """
    if header is None or header.strip() == "":
        return None
    value = header.strip()
    if _SECONDS.match(value):
        return float(value) * 1000
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() * 1000 - now_ms)
