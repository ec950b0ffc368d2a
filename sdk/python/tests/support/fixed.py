"""Test seams: a clock that moves only when told, ids from a list, and a transport that keeps
every body, so that payloads are exact."""

from __future__ import annotations

import gzip
import json
import os
import threading
from collections.abc import Mapping
from typing import Any

from llmlens import Llmlens
from llmlens._clock import SYSTEM_CLOCK
from llmlens._config import resolve_config
from llmlens._export._transport import Reply
from llmlens._ids import RANDOM_IDS
from llmlens._recorder import Recorder


class ManualClock:
    def __init__(self, start_ms: float) -> None:
        self._start_ms = start_ms
        self._elapsed_ms = 0.0

    def wall_ms(self) -> float:
        return self._start_ms + self._elapsed_ms

    def monotonic_ms(self) -> float:
        return self._elapsed_ms

    def advance(self, ms: float) -> None:
        self._elapsed_ms += ms


class FixedIds:
    """Ids from fixed lists, in order; the last one repeats."""

    def __init__(self, trace_ids: list[str], span_ids: list[str]) -> None:
        self._trace_ids = trace_ids
        self._span_ids = span_ids
        self._traces = 0
        self._spans = 0

    def trace_id(self) -> str:
        index = min(self._traces, len(self._trace_ids) - 1)
        self._traces += 1
        return self._trace_ids[index]

    def span_id(self) -> str:
        index = min(self._spans, len(self._span_ids) - 1)
        self._spans += 1
        return self._span_ids[index]


class CapturingTransport:
    """Answers like a collector that accepts everything, and keeps each body it was given."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.raw: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        self.threads: list[str] = []
        self._lock = threading.Lock()

    def post(self, body: bytes, headers: Mapping[str, str], timeout_s: float) -> Reply:
        text = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
        parsed = json.loads(text.decode("utf-8"))
        with self._lock:
            self.raw.append(text)
            self.bodies.append(parsed)
            self.headers.append(dict(headers))
            self.threads.append(threading.current_thread().name)
        accepted = len(parsed.get("spans", [])) + len(parsed.get("scores", []))
        reply = {"accepted": accepted, "rejected": [], "warnings": []}
        return Reply(200, None, json.dumps(reply))

    def spans(self) -> list[dict[str, Any]]:
        return [span for body in self.bodies for span in body.get("spans", [])]

    def scores(self) -> list[dict[str, Any]]:
        return [score for body in self.bodies for score in body.get("scores", [])]


def capturing_lens(
    *,
    clock: ManualClock | None = None,
    ids: FixedIds | None = None,
    transport: CapturingTransport | None = None,
    env: Mapping[str, str] | None = None,
    **options: Any,
) -> tuple[Llmlens, CapturingTransport]:
    """An SDK instance whose clock, ids and transport the test controls. The environment is
    empty unless given, so that a developer's `LLMLENS_*` variables cannot change a result."""
    transport = transport or CapturingTransport()
    config = resolve_config({"flush_on_exit": False, **options}, env or {})
    recorder = Recorder(
        config, clock=clock or SYSTEM_CLOCK, ids=ids or RANDOM_IDS, transport=transport
    )
    return Llmlens(_recorder=recorder), transport


def environ_without_llmlens() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("LLMLENS_")}
