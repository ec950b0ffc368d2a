"""What leaves the process: batches, gzip, headers, sampling, redaction, content capture and
the contract's limits."""

from __future__ import annotations

import json
import math
import threading
from typing import Any

from llmlens import _limits as limits
from llmlens._wire import content_json
from support.contract import assert_valid_ingest_body
from support.fixed import FixedIds, ManualClock, capturing_lens


def test_bodies_are_gzipped_and_carry_the_api_key() -> None:
    lens, transport = capturing_lens(api_key="k-0123456789abcdef")
    with lens.span("work"):
        pass
    assert lens.flush(5000)
    headers = transport.headers[0]
    assert headers["content-encoding"] == "gzip"
    assert headers["content-type"] == "application/json"
    assert headers["authorization"] == "Bearer k-0123456789abcdef"
    assert transport.threads == ["llmlens-exporter"], "sent from the SDK's thread"

    plain, plain_transport = capturing_lens(gzip=False)
    with plain.span("work"):
        pass
    assert plain.flush(5000)
    assert "content-encoding" not in plain_transport.headers[0]
    assert "authorization" not in plain_transport.headers[0]
    lens.shutdown(1000)
    plain.shutdown(1000)


def test_the_body_is_compact_json_as_javascript_writes_it() -> None:
    clock = ManualClock(1764756000000)
    lens, transport = capturing_lens(clock=clock, ids=FixedIds(["a" * 32], ["b" * 16]))
    with lens.span("s", input={"k": [1, 2]}):
        clock.advance(840)
    assert lens.flush(5000)
    text = transport.raw[0].decode("utf-8")
    assert ", " not in text
    assert '": ' not in text
    assert '"startTime":1764756000000,"endTime":1764756000840,' in text
    assert text.endswith(',"input":{"k":[1,2]},"output":null}]}')
    lens.shutdown(1000)


def test_batches_hold_at_most_batch_size_max_items_and_all_arrive() -> None:
    lens, transport = capturing_lens(batch_size_max=100, queue_size_max=2000)
    for index in range(1000):
        with lens.span(f"s{index}"):
            pass
    for index in range(10):
        lens.score("n", index, trace_id="c" * 32)
    assert lens.flush(10_000)
    assert all(
        len(body.get("spans", [])) + len(body.get("scores", [])) <= 100 for body in transport.bodies
    )
    assert sorted(span["name"] for span in transport.spans()) == sorted(
        f"s{i}" for i in range(1000)
    )
    assert len(transport.scores()) == 10
    for body in transport.bodies:
        assert_valid_ingest_body(body)
    assert lens.stats().exported == 1010
    lens.shutdown(1000)


def test_a_batch_never_carries_more_json_than_a_request_may() -> None:
    lens, transport = capturing_lens()
    large = "x" * (limits.CONTENT_LENGTH_MAX - 100)
    for index in range(8):
        with lens.span(f"big{index}", input=large):
            pass
    assert lens.flush(10_000)
    assert len(transport.bodies) > 1
    assert all(len(raw) <= limits.BATCH_LENGTH_MAX + 16 for raw in transport.raw)
    assert sorted(span["name"] for span in transport.spans()) == [f"big{i}" for i in range(8)]
    lens.shutdown(1000)


def test_sample_rate_0_sends_nothing_and_counts_the_spans_it_skipped() -> None:
    lens, transport = capturing_lens(sample_rate=0)
    with lens.trace("skipped"), lens.span("child too"):
        pass
    assert lens.flush(1000)
    assert transport.bodies == []
    assert lens.stats().sampled_out == 2
    lens.shutdown(1000)


def test_sampling_is_decided_once_per_trace_so_a_kept_trace_is_whole() -> None:
    lens, transport = capturing_lens(sample_rate=0.5)
    for index in range(200):
        with lens.trace(f"t{index}"), lens.span(f"t{index}-a"), lens.span(f"t{index}-b"):
            pass
    assert lens.flush(5000)
    by_trace: dict[str, int] = {}
    for span in transport.spans():
        by_trace[span["traceId"]] = by_trace.get(span["traceId"], 0) + 1
    assert set(by_trace.values()) == {3}, "every kept trace is complete"
    kept = len(by_trace)
    assert 0 < kept < 200
    assert lens.stats().sampled_out == 3 * (200 - kept)
    lens.shutdown(1000)


def test_redact_changes_what_is_sent_never_the_application_objects() -> None:
    def scrub(span: dict[str, Any]) -> dict[str, Any]:
        for message in span["input"]:
            message["content"] = message["content"].replace("1234", "####")
        return {**span, "userId": None}

    lens, transport = capturing_lens(redact=scrub)
    messages = [{"role": "user", "content": "card 1234"}]
    with lens.span("chat", input=messages, user_id="u-9"):
        pass
    assert lens.flush(5000)
    [span] = transport.spans()
    assert span["input"] == [{"role": "user", "content": "card ####"}]
    assert span["userId"] is None
    assert messages[0]["content"] == "card 1234"
    lens.shutdown(1000)


def test_a_redact_hook_that_raises_fails_closed(warnings: Any) -> None:
    def broken(span: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("scrubber broke")

    lens, transport = capturing_lens(redact=broken)
    with lens.span("chat", input="secret") as span:
        span.update(output="also secret", model="m")
    assert lens.flush(5000)
    [sent] = transport.spans()
    assert sent["input"] is None
    assert sent["output"] is None
    assert sent["model"] == "m", "the rest of the span still arrives"
    assert warnings() == [
        "llmlens: redact raised, so spans are sent without input and output: "
        "RuntimeError('scrubber broke')"
    ]
    lens.shutdown(1000)


def test_redact_returning_none_drops_the_span_and_anything_else_fails_closed(
    warnings: Any,
) -> None:
    def choose(span: dict[str, Any]) -> Any:
        if span["name"] == "drop me":
            return None
        return "not a span" if span["name"] == "odd" else span

    lens, transport = capturing_lens(redact=choose)
    for name in ("drop me", "keep me", "odd"):
        with lens.span(name, input="secret"):
            pass
    assert lens.flush(5000)
    spans = transport.spans()
    assert [span["name"] for span in spans] == ["keep me", "odd"]
    assert spans[0]["input"] == "secret"
    assert spans[1]["input"] is None
    assert len(warnings()) == 1
    lens.shutdown(1000)


def test_a_redact_that_is_not_a_function_is_ignored_with_a_warning(warnings: Any) -> None:
    lens, _ = capturing_lens(redact="yes please")
    assert lens.recorder.config.redact is None
    assert warnings() == ["llmlens: redact must be a function (actual: str); ignored"]


def test_capture_content_false_records_no_input_or_output_anywhere() -> None:
    lens, transport = capturing_lens(capture_content=False)

    @lens.observe(name="shout")
    def shout(text: str) -> str:
        return text.upper()

    shout("quiet")
    with lens.span("block", input="in") as span:
        span.update(output="out")
    with lens.span("opted in", capture_content=True, input="visible"):
        pass
    assert lens.flush(5000)
    spans = {span["name"]: span for span in transport.spans()}
    for name in ("shout", "block"):
        assert spans[name]["input"] is None
        assert spans[name]["output"] is None
    assert spans["opted in"]["input"] == "visible"
    lens.shutdown(1000)


def test_long_content_is_cut_with_the_servers_marker_at_the_configured_length() -> None:
    long = "x" * 500
    marker = "…[truncated by llmlens: 502 characters, limit 200]"
    cut = json.loads(content_json(long, 200))
    assert cut == '"' + "x" * (200 - len(marker) - 1) + marker
    assert len(cut) == 200
    assert content_json({"a": 1}, 200) == '{"a":1}'

    lens, transport = capturing_lens(content_length_max=100)
    with lens.span("long", input="i" * 1000):
        pass
    assert lens.flush(5000)
    assert len(transport.spans()[0]["input"]) == 100
    lens.shutdown(1000)


def test_content_that_is_not_json_becomes_a_marker_instead_of_failing_the_batch() -> None:
    cycle: dict[str, Any] = {}
    cycle["self"] = cycle
    marker = "[llmlens: content could not be serialised as JSON]"
    assert json.loads(content_json(cycle, 100)) == marker
    assert json.loads(content_json({"n": math.nan}, 100)) == marker

    class Thing:
        def __str__(self) -> str:
            return "a thing"

    lens, transport = capturing_lens()
    with lens.span("odd", input={"thing": Thing(), "bytes": b"abc", "set": {1}}) as span:
        span.update(output=cycle)
    with lens.span("surrogate", input="bad \udcff byte"):
        pass
    assert lens.flush(5000)
    odd, surrogate = transport.spans()
    assert odd["input"] == {"thing": "a thing", "bytes": "<3 bytes>", "set": [1]}
    assert odd["output"] == marker
    assert surrogate["input"] == "bad \udcff byte", "sent as the JSON escape \\udcff"
    lens.shutdown(1000)


def test_every_field_is_cut_to_the_contracts_limits_before_it_is_sent() -> None:
    lens, transport = capturing_lens(
        content_length_max=100,
        clock=ManualClock(1764756000000),
        ids=FixedIds(["a" * 32], ["b" * 16]),
    )
    metadata: dict[str, Any] = {"long": "v" * 5000, "nan": math.nan, "obj": [1, 2]}
    metadata.update({f"k{index}": index for index in range(70)})
    metadata["x" * 200] = "too long a key"
    tags = [f"t{index}".ljust(200, "!") for index in range(70)]
    with lens.span("n" * 300, tags=tags, metadata=metadata) as span:
        span.update(
            model="m" * 300,
            usage={"input_tokens": -3, "output_tokens": 1.6},  # type: ignore[arg-type]
            cost_usd=math.inf,
            error={"message": "e" * 9000, "http_status": 999},
            input="i" * 1000,
        )
    assert lens.flush(5000)
    body = transport.bodies[0]
    assert_valid_ingest_body(body)
    sent = body["spans"][0]
    assert len(sent["name"]) == 256
    assert len(sent["model"]) == 256
    assert len(sent["tags"]) == 64
    assert len(sent["tags"][0]) == 128
    assert len(sent["metadata"]) == 64
    assert len(sent["metadata"]["long"]) == 4096
    assert sent["metadata"]["nan"] is None
    assert sent["metadata"]["obj"] == "[1,2]"
    assert sent["usage"] == {"inputTokens": None, "outputTokens": 2}
    assert sent["costUsd"] is None
    assert sent["error"] == {"message": "e" * 8192, "httpStatus": None}
    assert sent["status"] == "error"
    assert len(sent["input"]) == 100
    lens.shutdown(1000)


def test_spans_from_many_threads_all_arrive() -> None:
    lens, transport = capturing_lens(queue_size_max=10_000)

    def work(thread: int) -> None:
        for index in range(250):
            with lens.span(f"{thread}-{index}"):
                pass

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert lens.flush(10_000)
    assert len({span["name"] for span in transport.spans()}) == 2000
    stats = lens.stats()
    assert (stats.exported, stats.dropped, stats.queued) == (2000, 0, 0)
    lens.shutdown(1000)
