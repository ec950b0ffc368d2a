"""The SDK builds, for the calls the spec/vectors/ingest cases describe, exactly the bodies in
those files, as the TypeScript SDK's tests check for it; the real server then stores them
exactly as the vectors say. Bodies are also checked against spec/schemas/ with jsonschema."""

from __future__ import annotations

import json
import math
import random
from typing import Any, cast

import pytest

from llmlens import Llmlens, SpanError, Usage
from llmlens._observe._openai_chat import OPENAI_CHAT
from support.contract import assert_valid_ingest_body, ingest_vector
from support.fixed import FixedIds, ManualClock, capturing_lens
from support.processes import RunningProcess
from support.server_api import get_trace, post_ingest

USAGE_NAMES = {
    "inputTokens": "input_tokens",
    "outputTokens": "output_tokens",
    "cacheReadTokens": "cache_read_tokens",
    "cacheWriteTokens": "cache_write_tokens",
    "reasoningTokens": "reasoning_tokens",
}
ERROR_NAMES = {"type": "type", "message": "message", "httpStatus": "http_status"}


def same_json(actual: Any, expected: Any, where: str = "body") -> None:
    """Equal as JSON values: a number equals a number of the same value whether int or float
    (JSON has one number type), but never a boolean; objects compare key by key."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        assert actual is expected, f"{where}: {actual!r} != {expected!r}"
    elif isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        assert math.isclose(actual, expected, rel_tol=0, abs_tol=0), (
            f"{where}: {actual} != {expected}"
        )
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} is not an object"
        assert sorted(actual) == sorted(expected), f"{where}: keys {sorted(actual)}"
        for key, value in expected.items():
            same_json(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: {actual!r} is not an array"
        assert len(actual) == len(expected), f"{where}: {len(actual)} items"
        for index, (got, want) in enumerate(zip(actual, expected)):
            same_json(got, want, f"{where}[{index}]")
    else:
        assert type(actual) is type(expected), f"{where}: {actual!r}"
        assert actual == expected, f"{where}: {actual!r}"


def sdk_for(start_ms: float, trace_id: str, span_id: str) -> tuple[Llmlens, ManualClock, Any]:
    clock = ManualClock(start_ms)
    lens, transport = capturing_lens(
        clock=clock,
        ids=FixedIds([trace_id], [span_id]),
        environment="production",
        release="2026.12.1",
    )
    return lens, clock, transport


def replay(wire: dict[str, Any]) -> dict[str, Any]:
    """Makes the span a vector describes through the public API: `span()` and `update()`."""
    lens, clock, transport = sdk_for(wire["startTime"], wire["traceId"], wire["spanId"])
    usage = wire["usage"]
    error = wire["error"]
    with lens.span(
        wire["name"],
        kind=wire["kind"],
        endpoint=wire["endpoint"],
        user_id=wire["userId"],
        session_id=wire["sessionId"],
        tags=wire["tags"],
        metadata=wire["metadata"],
        input=wire["input"],
    ) as span:
        span.update(
            provider=wire["provider"],
            model=wire["model"],
            usage=None
            if usage is None
            else cast(Usage, {USAGE_NAMES[k]: v for k, v in usage.items()}),
            cost_usd=wire["costUsd"],
            time_to_first_token_ms=wire["timeToFirstTokenMs"],
            finish_reason=wire["finishReason"],
            output=wire["output"],
            error=None
            if error is None
            else cast(SpanError, {ERROR_NAMES[k]: v for k, v in error.items()}),
        )
        clock.advance(wire["endTime"] - wire["startTime"])
    assert lens.flush(5000)
    assert len(transport.bodies) == 1
    lens.shutdown(1000)
    body: dict[str, Any] = transport.bodies[0]
    return body


def stored_by(server: RunningProcess, body: dict[str, Any], trace_id: str) -> dict[str, Any]:
    """Sends a body to the real server under a fresh trace id and reads back what it stored."""
    fresh = trace_id[:24] + f"{random.getrandbits(32):08x}"
    post_ingest(server.url, json.dumps(body).replace(trace_id, fresh).encode("utf-8"))
    trace = get_trace(server.url, fresh)
    restored: dict[str, Any] = json.loads(json.dumps(trace).replace(fresh, trace_id))
    return restored


def assert_stored_as_vector(stored: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    assert len(stored) == len(expected)
    for actual, wanted in zip(stored, expected):
        actual_cost = actual.pop("costUsd")
        wanted_cost = wanted.pop("costUsd")
        same_json(actual, wanted, "stored")
        if wanted_cost is None:
            assert actual_cost is None
        else:
            assert abs(actual_cost - wanted_cost) <= 1e-9 * wanted_cost


REPLAYED = [
    "design-example",
    "caller-cost-wins",
    "cached-and-reasoning-tokens",
    "error-category-from-status",
    "provider-inferred",
    "unpriced-model",
]


@pytest.mark.parametrize("name", REPLAYED)
def test_the_body_is_the_vectors_and_is_stored_as_the_vector_says(
    server: RunningProcess, name: str
) -> None:
    vector = ingest_vector(name)
    wire = vector["request"]["body"]["spans"][0]
    body = replay(wire)
    assert_valid_ingest_body(body)
    same_json(body, vector["request"]["body"])
    assert_stored_as_vector(
        stored_by(server, body, wire["traceId"])["spans"], vector["stored"]["spans"]
    )


def test_error_category_from_message_the_sdk_states_the_status(server: RunningProcess) -> None:
    vector = ingest_vector("error-category-from-message")
    wire = vector["request"]["body"]["spans"][0]
    body = replay(wire)
    assert_valid_ingest_body(body)
    same_json(body, {"spans": [{**wire, "status": "error"}]})
    assert_stored_as_vector(
        stored_by(server, body, wire["traceId"])["spans"], vector["stored"]["spans"]
    )


def test_design_example_from_a_streamed_chat_completion_chunk_by_chunk() -> None:
    vector = ingest_vector("design-example")
    wire = vector["request"]["body"]["spans"][0]
    lens, clock, transport = sdk_for(wire["startTime"], wire["traceId"], wire["spanId"])
    span = lens.recorder.start_span(
        "chat",
        "llm",
        {
            "endpoint": "/api/chat",
            "user_id": "u-17",
            "session_id": "s-3",
            "tags": ["beta"],
            "metadata": {"feature": "summaries"},
        },
    )
    assert span is not None
    span.provider = "openai"
    OPENAI_CHAT.request(
        span,
        {
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": "Summarise this."}],
            "stream": True,
            "stream_options": {"include_usage": True},
        },
    )
    assert OPENAI_CHAT.stream is not None
    reader = OPENAI_CHAT.stream(span)

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    reader.event(chunk({"role": "assistant", "content": ""}))
    clock.advance(210)
    reader.event(chunk({"content": "A "}))
    clock.advance(300)
    reader.event(chunk({"content": "summary."}))
    reader.event(chunk({}, "stop"))
    reader.event(
        {
            "model": "gpt-4o-mini",
            "choices": [],
            "usage": {
                "prompt_tokens": 120,
                "completion_tokens": 80,
                "prompt_tokens_details": {"cached_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0},
            },
        }
    )
    clock.advance(330)
    reader.end()
    span.end()
    assert lens.flush(5000)
    assert len(transport.bodies) == 1
    same_json(transport.bodies[0], vector["request"]["body"])
    lens.shutdown(1000)


def test_scores_the_valid_ones_are_sent_as_the_vector_has_them(
    server: RunningProcess, warnings: Any
) -> None:
    vector = ingest_vector("scores")
    scores = vector["request"]["body"]["scores"]
    clock = ManualClock(0)
    lens, transport = capturing_lens(clock=clock)
    for score in scores:
        clock.advance(score.get("time", 0) - clock.wall_ms())
        lens.score(
            score["name"],
            score.get("value"),
            label=score.get("label"),
            comment=score.get("comment"),
            source=score.get("source"),
            trace_id=score["traceId"],
            span_id=score.get("spanId"),
        )
    assert lens.flush(5000)
    expected = [
        {"spanId": None, "value": None, "label": None, "comment": None, **score}
        for score in scores[:2]
    ]
    same_json(transport.bodies, [{"scores": expected}])
    assert_valid_ingest_body(transport.bodies[0])
    assert warnings() == [
        "llmlens: score empty needs a value (a finite number) or a label "
        "(actual: value None, label None); the score was not sent"
    ]
    trace = stored_by(server, transport.bodies[0], expected[0]["traceId"])
    same_json(trace["scores"], vector["stored"]["scores"], "stored scores")
    lens.shutdown(1000)


def test_oversized_field_where_the_vector_is_refused_the_sdk_cuts_the_label() -> None:
    vector = ingest_vector("oversized-field")
    wire = vector["request"]["body"]["spans"][0]
    body = replay(wire)
    assert_valid_ingest_body(body)
    assert body["spans"][0]["model"] == "m" * 256
