"""The Python SDK's ingest bodies are the TypeScript SDK's for the same calls, byte for byte
but for how a number is spelled (Python writes `2e-06` where JavaScript writes `0.000002`, the
same JSON number): the spec/vectors/ingest cases, and cases that reach the contract's limits
and the content cut. The TypeScript SDK builds its bodies in a Bun process
(support/typescript_bodies.ts)."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal
from typing import Any, cast

import pytest

from llmlens import SpanError, Usage
from support.contract import assert_valid_ingest_body, ingest_vector
from support.fixed import FixedIds, ManualClock, capturing_lens
from support.processes import BUN, REPO_ROOT

SCRIPT = REPO_ROOT / "sdk" / "python" / "tests" / "support" / "typescript_bodies.ts"
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
SPAN_ID = "b7ad6b7169203331"


def snake(name: str) -> str:
    return re.sub(r"[A-Z]", lambda match: "_" + match.group(0).lower(), name)


def vector_case(name: str) -> dict[str, Any]:
    """The call a vector's span describes, as `span()` options and `update()` fields."""
    wire = ingest_vector(name)["request"]["body"]["spans"][0]
    span_keys = ("kind", "endpoint", "userId", "sessionId", "tags", "metadata", "input")
    update_keys = (
        "provider",
        "model",
        "usage",
        "costUsd",
        "timeToFirstTokenMs",
        "finishReason",
        "output",
        "error",
    )
    return {
        "options": {"environment": wire["environment"], "release": wire["release"]},
        "startTime": wire["startTime"],
        "durationMs": wire["endTime"] - wire["startTime"],
        "traceId": wire["traceId"],
        "spanId": wire["spanId"],
        "name": wire["name"],
        "span": {key: wire[key] for key in span_keys if wire[key] is not None},
        "update": {key: wire[key] for key in update_keys if wire[key] is not None},
    }


def case(name: str, span: dict[str, Any], update: dict[str, Any], **options: Any) -> dict[str, Any]:
    return {
        "options": options,
        "startTime": 1764756000000.25,
        "durationMs": 840.5,
        "traceId": TRACE_ID,
        "spanId": SPAN_ID,
        "name": name,
        "span": span,
        "update": update,
    }


CASES = {
    **{
        name: vector_case(name)
        for name in (
            "design-example",
            "caller-cost-wins",
            "cached-and-reasoning-tokens",
            "error-category-from-status",
            "error-category-from-message",
            "provider-inferred",
            "unpriced-model",
            "oversized-field",
        )
    },
    "limits": case(
        "n" * 300,
        {
            "kind": "tool",
            "tags": [f"t{index}".ljust(200, "!") for index in range(70)],
            "metadata": {
                "long": "v" * 5000,
                **{f"k{index}": index for index in range(70)},
                "x" * 200: "too long a key",
            },
            "input": "i" * 1000,
            "userId": "u" * 300,
        },
        {
            "model": "m" * 300,
            "usage": {"inputTokens": -3, "outputTokens": 1.6, "reasoningTokens": 1e12},
            "costUsd": 1e9,
            "timeToFirstTokenMs": 12.75,
            "error": {"message": "e" * 9000, "httpStatus": 999, "type": "t" * 300},
        },
        contentLengthMax=100,
    ),
    "content cut and kept": case(
        "chat",
        {
            "kind": "llm",
            "input": [
                {"role": "system", "content": "Réponds en français, s'il te plaît — «brièvement»."},
                {"role": "user", "content": "x" * 300, "extra": [1, 2.5, True, None, {"a": {}}]},
            ],
        },
        {"output": {"role": "assistant", "content": 'd\'accord\n\t"quoted" \\ \u2028 \u00e9'}},
        contentLengthMax=200,
    ),
    "scaled numbers": case(
        "embeddings text-embedding-3-small",
        {"kind": "embedding", "metadata": {"ratio": 0.1, "big": 12345678901234, "flag": False}},
        {"usage": {"inputTokens": 7}, "costUsd": 0.000002, "timeToFirstTokenMs": 0.001},
    ),
}


@pytest.fixture(scope="module")
def typescript_bodies() -> dict[str, str]:
    done = subprocess.run(
        [str(BUN), str(SCRIPT)],
        input=json.dumps(list(CASES.values())),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(zip(CASES, json.loads(done.stdout)))


def python_body(item: dict[str, Any]) -> str:
    clock = ManualClock(item["startTime"])
    options = {snake(key): value for key, value in item["options"].items()}
    lens, transport = capturing_lens(
        clock=clock, ids=FixedIds([item["traceId"]], [item["spanId"]]), gzip=False, **options
    )
    update = {snake(key): value for key, value in item["update"].items()}
    if "usage" in update:
        update["usage"] = cast(Usage, {snake(key): v for key, v in update["usage"].items()})
    if "error" in update:
        update["error"] = cast(SpanError, {snake(key): v for key, v in update["error"].items()})
    span_options = {snake(key): value for key, value in item["span"].items()}
    with lens.span(item["name"], **span_options) as span:
        span.update(**update)
        clock.advance(item["durationMs"])
    assert lens.flush(5000)
    assert len(transport.raw) == 1
    lens.shutdown(1000)
    return transport.raw[0].decode("utf-8")


def exact(text: str) -> Any:
    """JSON with its keys in order and its numbers as exact decimals, booleans apart."""
    return json.loads(text, parse_float=Decimal, object_pairs_hook=list)


def assert_same_tokens(actual: Any, expected: Any, where: str = "body") -> None:
    assert type(actual) is type(expected) or {type(actual), type(expected)} <= {int, Decimal}, (
        f"{where}: {actual!r} != {expected!r}"
    )
    if isinstance(expected, list):
        assert len(actual) == len(expected), f"{where}: {len(actual)} != {len(expected)} items"
        for index, (got, want) in enumerate(zip(actual, expected)):
            assert_same_tokens(got, want, f"{where}[{index}]")
    elif isinstance(expected, tuple):
        assert actual[0] == expected[0], f"{where}: key {actual[0]!r} != {expected[0]!r}"
        assert_same_tokens(actual[1], expected[1], f"{where}.{expected[0]}")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


@pytest.mark.parametrize("name", list(CASES))
def test_the_body_is_the_typescript_sdks(typescript_bodies: dict[str, str], name: str) -> None:
    body = python_body(CASES[name])
    assert_valid_ingest_body(json.loads(body))
    expected = typescript_bodies[name]
    if body != expected:
        assert_same_tokens(exact(body), exact(expected))
        spelled = re.compile(r"\d(?:\.\d+)?e-?\d+")
        assert spelled.search(body), "only the spelling of a number may differ"
