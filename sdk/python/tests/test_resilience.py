"""Whatever the collector does, the application's calls succeed, memory stays bounded and
nothing is raised into the application."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from typing import Any, Callable

import pytest
from openai import OpenAI

from llmlens import ExporterStats, Llmlens
from support.fixed import capturing_lens
from support.processes import RunningProcess
from support.server_api import get_trace
from support.stub_collector import HANG, Answer, StubAnswer, StubCollector, dead_url


def setup(provider: RunningProcess, **options: Any) -> tuple[Llmlens, OpenAI]:
    # Batches leave on `flush()` or when full, never on a timer: a slow machine cannot split
    # them differently from run to run.
    lens = Llmlens(flush_on_exit=False, flush_interval_ms=3_600_000, **options)
    client = lens.observe(OpenAI(base_url=f"{provider.url}/v1", api_key="test", max_retries=0))
    return lens, client


def calls(client: OpenAI, count: int) -> None:
    for index in range(count):
        reply = client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": f"call {index}"}]
        )
        assert reply.choices[0].message.content == f"Fake reply: call {index}"


@pytest.fixture
def stub() -> Iterator[Callable[[Callable[[int], StubAnswer]], StubCollector]]:
    made: list[StubCollector] = []

    def start(answer: Callable[[int], StubAnswer]) -> StubCollector:
        made.append(StubCollector(answer))
        return made[-1]

    yield start
    for collector in made:
        collector.stop()


def wait_for_worker(lens: Llmlens) -> None:
    """Lets a shut-down exporter's thread finish, so that nothing it logs lands in a later
    test."""
    thread = lens.recorder.exporter._thread
    if thread is not None:
        thread.join(30)
        assert not thread.is_alive()


def test_down_calls_succeed_and_the_batch_fails_after_its_retries(
    provider: RunningProcess, warnings: Any
) -> None:
    lens, client = setup(provider, url=dead_url(), export_timeout_ms=1500)
    calls(client, 5)
    assert lens.flush(10_000)
    assert lens.stats() == ExporterStats(
        queued=0, dropped=0, exported=0, failed=5, rejected=0, sampled_out=0
    )
    said = warnings()
    assert len(said) == 1
    assert said[0].startswith("llmlens: 5 item(s) not delivered: collector unreachable")
    assert lens.shutdown(1000)
    wait_for_worker(lens)


def test_hanging_the_queue_stays_at_its_bound_and_counts_what_it_dropped(
    provider: RunningProcess, stub: Any
) -> None:
    collector = stub(lambda index: HANG)
    lens, client = setup(
        provider, url=collector.url, queue_size_max=16, batch_size_max=8, export_timeout_ms=60_000
    )
    calls(client, 100)
    # Eight spans left in a request that never returns; of the 92 after them the queue keeps
    # the newest 16.
    assert lens.flush(200) is False, "gave up waiting, without raising"
    assert lens.stats() == ExporterStats(
        queued=16, dropped=76, exported=0, failed=0, rejected=0, sampled_out=0
    )
    assert len(collector.bodies) == 1
    assert len(collector.bodies[0]["spans"]) == 8
    assert lens.shutdown(50) is False
    assert lens.stats().dropped == 92, "the queue was discarded on shutdown, and counted"
    collector.stop()
    wait_for_worker(lens)


def test_a_full_queue_drops_the_oldest() -> None:
    entered = threading.Event()
    gate = threading.Event()
    lens, transport = capturing_lens(
        queue_size_max=16, batch_size_max=8, flush_interval_ms=3_600_000
    )
    post = transport.post

    def gated(body: bytes, headers: Any, timeout_s: float) -> Any:
        entered.set()
        gate.wait(30)
        return post(body, headers, timeout_s)

    transport.post = gated  # type: ignore[method-assign]
    for index in range(8):
        with lens.span(f"s{index}"):
            pass
    assert entered.wait(30), "the first batch is on its way"
    for index in range(8, 100):
        with lens.span(f"s{index}"):
            pass
    assert lens.stats().queued == 16
    gate.set()
    assert lens.flush(5000)
    names = [span["name"] for span in transport.spans()]
    assert names == [f"s{index}" for index in [*range(8), *range(84, 100)]]
    assert lens.stats().dropped == 76
    lens.shutdown(1000)


def test_hanging_past_the_export_deadline_the_attempt_is_abandoned_not_retried(
    provider: RunningProcess, stub: Any, warnings: Any
) -> None:
    collector = stub(lambda index: HANG)
    lens, client = setup(provider, url=collector.url, export_timeout_ms=200)
    calls(client, 3)
    assert lens.flush(10_000)
    assert len(collector.bodies) == 1
    assert lens.stats().failed == 3
    assert "did not answer within 200 ms" in warnings()[0]
    lens.shutdown(1000)
    collector.stop()
    wait_for_worker(lens)


def test_500_is_not_retried_and_the_batch_counts_as_failed(
    provider: RunningProcess, stub: Any, warnings: Any
) -> None:
    collector = stub(lambda index: Answer(500))
    lens, client = setup(provider, url=collector.url)
    calls(client, 4)
    assert lens.flush(10_000)
    assert len(collector.bodies) == 1, "one attempt"
    assert lens.stats().failed == 4
    assert "collector answered 500" in warnings()[0]
    lens.shutdown(1000)


def test_429_with_retry_after_waits_as_told_then_delivers(
    provider: RunningProcess, stub: Any, warnings: Any
) -> None:
    collector = stub(lambda index: Answer(429, {"retry-after": "0"}) if index == 0 else Answer(200))
    lens, client = setup(provider, url=collector.url)
    calls(client, 4)
    assert lens.flush(10_000)
    assert len(collector.bodies) == 2, "the same batch twice"
    assert collector.bodies[0] == collector.bodies[1]
    assert lens.stats().exported == 4
    assert warnings() == []
    lens.shutdown(1000)


def test_429_with_a_retry_after_past_the_deadline_gives_up_at_once(
    provider: RunningProcess, stub: Any, warnings: Any
) -> None:
    collector = stub(lambda index: Answer(429, {"retry-after": "3600"}))
    lens, client = setup(provider, url=collector.url, export_timeout_ms=5000)
    calls(client, 2)
    assert lens.flush(10_000)
    assert len(collector.bodies) == 1
    assert lens.stats().failed == 2
    assert "would pass the 5000 ms deadline" in warnings()[0]
    lens.shutdown(1000)


def test_503_then_success_is_retried_with_backoff(provider: RunningProcess, stub: Any) -> None:
    collector = stub(lambda index: Answer(503) if index < 2 else Answer(200))
    lens, client = setup(provider, url=collector.url)
    calls(client, 1)
    assert lens.flush(10_000)
    assert len(collector.bodies) == 3
    assert lens.stats().exported == 1
    lens.shutdown(1000)


def test_shutdown_cuts_a_retry_short(stub: Any, warnings: Any) -> None:
    collector = stub(lambda index: Answer(503))
    lens = Llmlens(url=collector.url, flush_on_exit=False, export_timeout_ms=60_000)
    with lens.span("work"):
        pass
    assert lens.flush(300) is False, "still retrying"
    lens.shutdown(100)
    wait_for_worker(lens)
    assert lens.stats().failed == 1
    assert "not retried: the exporter was shut down" in warnings()[0]


def test_the_exporter_never_records_its_own_requests(server: RunningProcess) -> None:
    lens = Llmlens(url=server.url, flush_on_exit=False)
    original = urllib.request.urlopen
    urllib.request.urlopen = lens.observe(original, name="urlopen", kind="tool")
    try:
        with lens.trace("work") as root:
            pass
        assert lens.flush(10_000)
        assert lens.flush(10_000)
    finally:
        urllib.request.urlopen = original
    assert [span["name"] for span in get_trace(server.url, root.trace_id)["spans"]] == ["work"]
    assert lens.stats().exported == 1
    lens.shutdown(1000)


def test_spans_the_collector_refuses_are_counted_and_logged(
    server: RunningProcess, warnings: Any
) -> None:
    def break_it(span: dict[str, Any]) -> dict[str, Any]:
        return {**span, "kind": "banana"} if span["name"] == "bad" else span

    lens = Llmlens(url=server.url, flush_on_exit=False, redact=break_it)
    for name in ("good", "bad"):
        with lens.span(name):
            pass
    assert lens.flush(10_000)
    stats = lens.stats()
    assert (stats.exported, stats.rejected) == (1, 1)
    said = warnings()
    assert len(said) == 1
    assert said[0].startswith("llmlens: collector refused 1 item(s): spans[1].kind")
    lens.shutdown(1000)


def test_after_shutdown_spans_are_dropped_and_counted() -> None:
    lens, transport = capturing_lens()
    assert lens.shutdown(1000)
    with lens.span("late"):
        pass
    lens.score("late", 1, trace_id="a" * 32)
    assert lens.flush(100)
    assert transport.bodies == []
    assert lens.stats().dropped == 2
    assert lens.recorder.exporter._thread is None, "no thread was started for them"


def test_enabled_false_records_and_sends_nothing(provider: RunningProcess, stub: Any) -> None:
    collector = stub(lambda index: Answer(200))
    lens, client = setup(provider, url=collector.url, enabled=False)
    calls(client, 2)
    with lens.span("work") as span:
        span.update(model="x")
    assert lens.flush(1000)
    assert collector.bodies == []
    assert lens.stats().queued == 0
