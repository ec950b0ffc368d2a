"""One export request, retried while the collector says "later", within a deadline."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from http.client import HTTPException
from typing import Any, Callable, NamedTuple, Protocol

from ._retry import RETRYABLE_STATUSES, backoff_ms, retry_after_ms

# Five attempts span 0.5 + 1 + 2 + 4 s of backoff: 7.5 s, inside the default 10 s deadline.
ATTEMPTS_MAX = 5


class Reply(NamedTuple):
    status: int
    retry_after: str | None
    text: str


class Transport(Protocol):
    """Sends one body; returns the collector's reply, raises `OSError` when none came."""

    def post(self, body: bytes, headers: Mapping[str, str], timeout_s: float) -> Reply: ...


class UrllibTransport:
    """`urllib.request`, so the SDK needs nothing outside the standard library. Proxies come
    from the environment as for any urllib request (`HTTP_PROXY`, `NO_PROXY`)."""

    def __init__(self, url: str) -> None:
        self._url = url

    def post(self, body: bytes, headers: Mapping[str, str], timeout_s: float) -> Reply:
        request = urllib.request.Request(self._url, data=body, headers=dict(headers), method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                text = response.read().decode("utf-8", "replace")
                return Reply(response.status, response.headers.get("retry-after"), text)
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace") if error.fp is not None else ""
            return Reply(error.code, error.headers.get("retry-after"), text)
        except urllib.error.URLError as error:
            # URLError wraps refused connections, DNS failures and connect timeouts.
            if isinstance(error.reason, (socket.timeout, TimeoutError)):
                raise TimeoutError(str(error.reason)) from error
            raise OSError(str(error.reason)) from error
        except HTTPException as error:
            # A connection closed mid-reply: no answer came, as for a refused connection.
            raise OSError(f"{type(error).__name__}: {error}") from error


class Outcome(NamedTuple):
    ok: bool
    reply: Any
    message: str


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def send_with_retry(
    transport: Transport,
    body: bytes,
    headers: Mapping[str, str],
    deadline_ms: float,
    *,
    sleep: Callable[[float], object] = time.sleep,
    stopped: Callable[[], bool] = lambda: False,
    monotonic: Callable[[], float] = time.monotonic,
    wall_ms: Callable[[], float] = lambda: time.time() * 1000,
) -> Outcome:
    """Sends one body, retrying 429, 502, 503, 504 and network errors with exponential backoff
    and jitter, or after `Retry-After` when the collector names a time, all inside
    `deadline_ms`. A wait that would end past the deadline is not started: the batch fails now
    rather than later; nor is one once `stopped()` (the exporter was shut down). Never
    raises."""
    start = monotonic()

    def remaining_ms() -> float:
        return deadline_ms - (monotonic() - start) * 1000

    for attempt in range(ATTEMPTS_MAX):
        timeout_s = max(0.001, remaining_ms() / 1000)
        try:
            reply = transport.post(body, headers, timeout_s)
        except (socket.timeout, TimeoutError):
            # The attempt used the whole remaining deadline: no time is left to retry in.
            return Outcome(False, None, f"collector did not answer within {deadline_ms:.0f} ms")
        except OSError as error:
            message = f"collector unreachable: {error}"
            wait_ms = None
        else:
            if 200 <= reply.status < 300:
                return Outcome(True, _json(reply.text), "")
            message = f"collector answered {reply.status}: {reply.text[:300]}"
            if reply.status not in RETRYABLE_STATUSES:
                return Outcome(False, None, message)
            wait_ms = retry_after_ms(reply.retry_after, wall_ms())

        if attempt + 1 == ATTEMPTS_MAX:
            return Outcome(False, None, f"{message} (gave up after {ATTEMPTS_MAX} attempts)")
        wait_ms = backoff_ms(attempt) if wait_ms is None else wait_ms
        if wait_ms >= remaining_ms():
            return Outcome(
                False,
                None,
                f"{message} (next attempt in {wait_ms:.0f} ms would pass the "
                f"{deadline_ms:.0f} ms deadline)",
            )
        if stopped():
            return Outcome(False, None, f"{message} (not retried: the exporter was shut down)")
        sleep(wait_ms / 1000)
        if stopped():
            return Outcome(False, None, f"{message} (not retried: the exporter was shut down)")
    raise AssertionError("unreachable: the loop returns on its last attempt")
