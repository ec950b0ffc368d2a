"""The official OpenTelemetry Python SDK, exporting OTLP/HTTP protobuf to a real llmlens server.

Spans carry the OTel GenAI attributes that Python instrumentations set; the test reads back what
the server stored through its own query API.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

REPO = Path(__file__).resolve().parents[2]
BUN = REPO / "node_modules" / ".bin" / "bun"
STARTED = re.compile(r'msg="llmlens started" url=(\S+)')
RESOURCE = Resource.create(
    {
        "service.name": "py-support-bot",
        "deployment.environment.name": "staging",
        "service.version": "2026.12.1",
    }
)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A real llmlens server on a free port with a fresh database; yields its URL."""
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "LLMLENS_DB": str(Path(data) / "llmlens.db")}
        child = subprocess.Popen(
            [str(BUN), "server/src/main.ts", "--port", "0"],
            cwd=REPO,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stderr is not None
        log = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = child.stderr.readline()
            if line == "" and child.poll() is not None:
                pytest.fail(f"llmlens exited before starting:\n{log}")
            log += line
            match = STARTED.search(line)
            if match:
                break
        else:
            child.kill()
            pytest.fail(f"llmlens did not start within 60 s:\n{log}")
        try:
            yield match.group(1)
        finally:
            child.terminate()
            child.wait(timeout=30)


def get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def tracer_provider(server: str, compression: Compression) -> TracerProvider:
    exporter = OTLPSpanExporter(endpoint=f"{server}/v1/traces", compression=compression)
    provider = TracerProvider(resource=RESOURCE)
    # Simple, not batch: each span is exported when it ends, so the test needs no waiting.
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


CHAT_ATTRIBUTES = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
    "gen_ai.usage.input_tokens": 120,
    "gen_ai.usage.output_tokens": 80,
    "gen_ai.usage.cache_read.input_tokens": 20,
    "gen_ai.response.finish_reasons": ("stop",),
    "gen_ai.input.messages": json.dumps(
        [{"role": "user", "parts": [{"type": "text", "content": "Where is my order?"}]}]
    ),
    "gen_ai.output.messages": json.dumps(
        [
            {
                "role": "assistant",
                "parts": [{"type": "text", "content": "It ships today."}],
                "finish_reason": "stop",
            }
        ]
    ),
}


@pytest.mark.parametrize("compression", [Compression.NoCompression, Compression.Gzip])
def test_a_chat_under_its_request_is_stored_with_usage_content_and_resource(
    server: str, compression: Compression
) -> None:
    provider = tracer_provider(server, compression)
    tracer = provider.get_tracer("support-bot")

    with tracer.start_as_current_span("POST /api/support") as root:
        with tracer.start_as_current_span(
            "chat gpt-4o-mini", kind=SpanKind.CLIENT, attributes=CHAT_ATTRIBUTES
        ) as chat:
            chat_ids = chat.get_span_context()
        root_ids = root.get_span_context()
    provider.shutdown()

    trace_id = format(root_ids.trace_id, "032x")
    trace = get(f"{server}/api/v1/traces/{trace_id}")
    spans = {span["spanId"]: span for span in trace["spans"]}
    stored_root = spans[format(root_ids.span_id, "016x")]
    stored_chat = spans[format(chat_ids.span_id, "016x")]

    assert trace["roots"] == [stored_root["spanId"]]
    assert stored_root["kind"] == "span"
    assert stored_chat["parentSpanId"] == stored_root["spanId"]
    assert {
        key: stored_chat[key]
        for key in ("kind", "provider", "model", "requestModel", "status", "finishReason")
    } == {
        "kind": "llm",
        "provider": "openai",
        "model": "gpt-4o-mini-2024-07-18",
        "requestModel": "gpt-4o-mini",
        "status": "ok",
        "finishReason": "stop",
    }
    assert stored_chat["usage"]["inputTokens"] == 120
    assert stored_chat["usage"]["outputTokens"] == 80
    assert stored_chat["usage"]["cacheReadTokens"] == 20
    assert stored_chat["costUsd"] > 0
    assert stored_chat["input"] == [{"role": "user", "content": "Where is my order?"}]
    assert stored_chat["output"] == {"role": "assistant", "content": "It ships today."}
    assert (stored_chat["environment"], stored_chat["release"]) == ("staging", "2026.12.1")
    assert stored_chat["durationMs"] >= 0


def test_a_failed_call_keeps_its_error_category_and_message(server: str) -> None:
    provider = tracer_provider(server, Compression.NoCompression)
    tracer = provider.get_tracer("support-bot")

    with tracer.start_as_current_span(
        "chat gpt-4o", kind=SpanKind.CLIENT, record_exception=False, set_status_on_exception=False
    ) as span:
        span.set_attributes(
            {
                "gen_ai.operation.name": "chat",
                "gen_ai.provider.name": "openai",
                "gen_ai.request.model": "gpt-4o",
                "error.type": "RateLimitError",
                "http.response.status_code": 429,
            }
        )
        span.record_exception(RuntimeError("Rate limit reached for gpt-4o"))
        span.set_status(Status(StatusCode.ERROR, "Rate limit reached for gpt-4o"))
        ids = span.get_span_context()
    provider.shutdown()

    [stored] = get(f"{server}/api/v1/traces/{format(ids.trace_id, '032x')}")["spans"]
    assert stored["status"] == "error"
    assert stored["error"]["type"] == "rate_limit"
    assert stored["error"]["message"] == "Rate limit reached for gpt-4o"


def test_token_usage_histograms_are_stored_per_model(server: str) -> None:
    start_ms = time.time() * 1000
    exporter = OTLPMetricExporter(endpoint=f"{server}/v1/metrics")
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=3_600_000)
    meters = MeterProvider(resource=RESOURCE, metric_readers=[reader])
    usage = meters.get_meter("support-bot").create_histogram(
        "gen_ai.client.token.usage", unit="{token}"
    )
    common = {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o-mini",
    }
    for input_tokens, output_tokens in [(120, 80), (300, 40)]:
        usage.record(input_tokens, {**common, "gen_ai.token.type": "input"})
        usage.record(output_tokens, {**common, "gen_ai.token.type": "output"})
    assert meters.force_flush(timeout_millis=10_000)
    meters.shutdown()

    until_ms = time.time() * 1000 + 60_000
    body = get(
        f"{server}/api/v1/metrics/genai?metric=gen_ai.client.token.usage"
        f"&from={int(start_ms) - 60_000}&to={int(until_ms)}&groupBy=model,tokenType"
    )
    totals = {
        (group["key"]["model"], group["key"]["tokenType"]): (group["count"], group["sum"])
        for group in body["groups"]
    }
    assert totals == {("gpt-4o-mini", "input"): (2, 420), ("gpt-4o-mini", "output"): (2, 120)}
