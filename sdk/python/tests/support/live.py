"""Comparing stored spans: what a run cannot fix is checked for consistency and set apart."""

from __future__ import annotations

import re
from typing import Any

# The stored span's fields every test repeats: no attributes, nothing unusual.
PLAIN: dict[str, Any] = {
    "parentSpanId": None,
    "endpoint": None,
    "status": "ok",
    "error": None,
    "userId": None,
    "sessionId": None,
    "environment": None,
    "release": None,
    "tags": [],
    "metadata": {},
    "timeToFirstTokenMs": None,
}


def stable(span: dict[str, Any]) -> dict[str, Any]:
    """The span without ids, times and the server's cost, which are checked here instead; a
    time to first token becomes `"measured"`."""
    rest = dict(span)
    trace_id = rest.pop("traceId")
    span_id = rest.pop("spanId")
    start = rest.pop("startTime")
    end = rest.pop("endTime")
    duration = rest.pop("durationMs")
    ttft = rest.pop("timeToFirstTokenMs")
    cost = rest.pop("costUsd")
    assert re.fullmatch(r"[0-9a-f]{32}", trace_id)
    assert re.fullmatch(r"[0-9a-f]{16}", span_id)
    assert isinstance(start, (int, float))
    assert end >= start, "ends after it starts"
    assert abs(duration - (end - start)) < 1e-3
    if ttft is not None:
        assert 0 <= ttft <= duration, "the first token comes inside the call"
    assert cost is None or (isinstance(cost, (int, float)) and cost >= 0)
    rest["timeToFirstTokenMs"] = None if ttft is None else "measured"
    return rest
