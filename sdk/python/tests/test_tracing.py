"""`trace`, `span` and `@observe` on functions: the span tree, its context across threads and
asyncio tasks, attributes, and errors passed on unchanged."""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import threading
from collections.abc import AsyncGenerator, Generator, Iterator
from typing import Any

import pytest

from llmlens import Llmlens, current_span
from support.fixed import CapturingTransport, capturing_lens


@pytest.fixture
def capture() -> Iterator[tuple[Llmlens, CapturingTransport]]:
    lens, transport = capturing_lens()
    yield lens, transport
    lens.shutdown(1000)


def sent(lens: Llmlens, transport: CapturingTransport) -> dict[str, dict[str, Any]]:
    """Every span sent so far, by name."""
    assert lens.flush(5000)
    spans = transport.spans()
    by_name = {span["name"]: span for span in spans}
    assert len(by_name) == len(spans), "span names are unique in these tests"
    return by_name


def test_nested_spans_land_under_their_parents_in_one_trace(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture

    @lens.observe(name="get_weather", kind="tool")
    def lookup(city: str) -> dict[str, Any]:
        return {"city": city, "celsius": 21}

    with lens.trace("agent run", kind="agent", user_id="u-1") as root:
        with lens.span("search", kind="retrieval") as search:
            search.update(output=["doc-1"])
        weather = lookup("Oslo")
    assert weather == {"city": "Oslo", "celsius": 21}

    spans = sent(lens, transport)
    agent = spans["agent run"]
    assert agent["kind"] == "agent"
    assert agent["parentSpanId"] is None
    assert agent["spanId"] == root.span_id
    for name in ("search", "get_weather"):
        child = spans[name]
        assert child["traceId"] == agent["traceId"]
        assert child["parentSpanId"] == agent["spanId"]
        assert child["userId"] == "u-1", "trace attributes reach every span"
    assert spans["search"]["kind"] == "retrieval"
    assert spans["search"]["output"] == ["doc-1"]
    assert spans["get_weather"]["kind"] == "tool"
    assert spans["get_weather"]["input"] == {"city": "Oslo"}
    assert spans["get_weather"]["output"] == {"city": "Oslo", "celsius": 21}


def test_kinds_default_to_chain_for_a_trace_and_span_otherwise(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture

    @lens.observe
    def helper() -> int:
        return 1

    with lens.trace("root"), lens.span("child"):
        helper()
    spans = sent(lens, transport)
    assert [spans[name]["kind"] for name in ("root", "child", "helper")] == [
        "chain",
        "span",
        "span",
    ]
    assert spans["helper"]["parentSpanId"] == spans["child"]["spanId"]


def test_a_span_outside_any_trace_is_a_root_and_a_trace_inside_one_starts_anew(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture
    with lens.span("alone"):
        pass
    with lens.trace("outer"), lens.trace("inner"):
        pass
    spans = sent(lens, transport)
    assert spans["alone"]["parentSpanId"] is None
    assert spans["inner"]["parentSpanId"] is None
    assert spans["inner"]["traceId"] != spans["outer"]["traceId"]


def test_current_span_is_the_innermost_running_span(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, _ = capture
    assert current_span() is None
    with lens.trace("outer") as outer:
        assert current_span() is outer
        with lens.span("inner") as inner:
            assert current_span() is inner
        assert current_span() is outer
    assert current_span() is None


def test_errors_are_recorded_and_passed_on_unchanged(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture
    failure = ValueError("bad input")

    @lens.observe
    def named() -> None:
        raise failure

    @lens.observe
    async def named_async() -> None:
        raise failure

    with pytest.raises(ValueError, match="bad input") as raised, lens.span("block"):
        raise failure
    assert raised.value is failure
    with pytest.raises(ValueError, match="bad input") as raised:
        named()
    assert raised.value is failure
    with pytest.raises(ValueError, match="bad input") as raised:
        asyncio.run(named_async())
    assert raised.value is failure

    spans = sent(lens, transport)
    for name in ("block", "named", "named_async"):
        assert spans[name]["status"] == "error"
        assert spans[name]["error"] == {
            "type": "unknown",
            "message": "bad input",
            "httpStatus": None,
        }


def test_the_decorator_keeps_the_function_its_name_and_its_kind_of_callable(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture

    class Greeter:
        prefix = "hi "

        @lens.observe(name="greet", metadata={"v": 2})
        def greet(self, who: str, *, loud: bool = False) -> str:
            """Says hello."""
            text = self.prefix + who
            return text.upper() if loud else text

    @lens.observe
    async def fetch(n: int) -> int:
        await asyncio.sleep(0)
        return n * 2

    assert Greeter().greet("there", loud=True) == "HI THERE"
    assert Greeter.greet.__name__ == "greet"
    assert Greeter.greet.__doc__ == "Says hello."
    assert inspect.iscoroutinefunction(fetch)
    assert asyncio.run(fetch(21)) == 42

    spans = sent(lens, transport)
    assert spans["greet"]["input"] == {"who": "there", "loud": True}, "no `self`"
    assert spans["greet"]["output"] == "HI THERE"
    assert spans["greet"]["metadata"] == {"v": 2}
    assert spans["fetch"]["input"] == {"n": 21}
    assert spans["fetch"]["output"] == 42


def test_a_decorated_generator_records_its_items_and_is_active_only_inside(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture
    seen_by_consumer: list[Any] = []

    @lens.observe(kind="chain")
    def tokens(words: list[str]) -> Iterator[str]:
        for word in words:
            with lens.span(f"make {word}"):
                pass
            yield word + " "

    with lens.trace("consumer") as root:
        for token in tokens(["a", "b", "c"]):
            seen_by_consumer.append((token, current_span()))
    assert [token for token, _ in seen_by_consumer] == ["a ", "b ", "c "]
    assert all(active is root for _, active in seen_by_consumer), "no leak into the consumer"

    spans = sent(lens, transport)
    generator = spans["tokens"]
    assert generator["output"] == "a b c "
    assert generator["input"] == {"words": ["a", "b", "c"]}
    assert generator["parentSpanId"] == root.span_id
    for word in "abc":
        assert spans[f"make {word}"]["parentSpanId"] == generator["spanId"]


def test_a_generator_left_early_ends_its_span_with_what_it_yielded(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture
    closed: list[bool] = []

    @lens.observe
    def numbers() -> Iterator[int]:
        try:
            yield from range(100)
        finally:
            closed.append(True)

    for number in numbers():
        if number == 2:
            break
    assert closed == [True], "the generator itself was closed"
    span = sent(lens, transport)["numbers"]
    assert span["output"] == [0, 1, 2]
    assert span["status"] == "ok"


def test_a_generator_keeps_send_throw_and_its_return_value(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture

    @lens.observe
    def echo() -> Generator[Any, Any, str]:
        received = yield "ready"
        while received != "stop":
            try:
                received = yield f"got {received}"
            except KeyError:
                received = yield "caught"
        return "done"

    def drive() -> Generator[Any, Any, None]:
        result = yield from echo()
        yield result

    generator = drive()
    assert next(generator) == "ready"
    assert generator.send("x") == "got x"
    assert generator.throw(KeyError("k")) == "caught"
    assert generator.send("stop") == "done"
    span = sent(lens, transport)["echo"]
    assert span["output"] == "readygot xcaught", "text items read as one text"


def test_a_failing_generator_records_its_error(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture

    @lens.observe
    def broken() -> Iterator[int]:
        yield 1
        raise RuntimeError("mid-stream")

    with pytest.raises(RuntimeError, match="mid-stream"):
        list(broken())
    span = sent(lens, transport)["broken"]
    assert span["status"] == "error"
    assert span["error"]["message"] == "mid-stream"


def test_a_decorated_async_generator(capture: tuple[Llmlens, CapturingTransport]) -> None:
    lens, transport = capture

    @lens.observe(name="stream tokens")
    async def stream(n: int) -> AsyncGenerator[str, None]:
        for index in range(n):
            await asyncio.sleep(0)
            with lens.span(f"step {index}"):
                pass
            yield str(index)

    async def consume() -> list[str]:
        async with lens.trace("consumer"):
            items = [item async for item in stream(3)]
            partial = stream(10)
            async for item in partial:
                if item == "1":
                    break
            await partial.aclose()
        return items

    assert asyncio.run(consume()) == ["0", "1", "2"]
    assert lens.flush(5000)
    spans = transport.spans()
    whole, partial = (span for span in spans if span["name"] == "stream tokens")
    assert whole["output"] == "012"
    assert whole["input"] == {"n": 3}
    assert partial["output"] == "01"
    steps = [span for span in spans if span["name"].startswith("step")]
    assert {step["parentSpanId"] for step in steps} == {whole["spanId"], partial["spanId"]}


def test_asyncio_tasks_nest_under_the_span_that_made_them_and_traces_never_mix(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture

    async def request(name: str) -> None:
        async with lens.trace(name):
            await asyncio.sleep(0.01)

            async def child() -> None:
                await asyncio.sleep(0)
                with lens.span(f"{name}-child"):
                    await asyncio.sleep(0.01)

            await asyncio.gather(asyncio.create_task(child()))

    async def main() -> None:
        await asyncio.gather(*(request(name) for name in ("a", "b", "c")))

    asyncio.run(main())
    spans = sent(lens, transport)
    for name in ("a", "b", "c"):
        assert spans[f"{name}-child"]["parentSpanId"] == spans[name]["spanId"]
        assert spans[f"{name}-child"]["traceId"] == spans[name]["traceId"]


def test_threads_start_outside_any_span_unless_given_the_context(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture

    def work(name: str) -> None:
        with lens.span(name):
            pass

    async def in_thread() -> None:
        await asyncio.to_thread(work, "to_thread")

    with lens.trace("root"):
        plain = threading.Thread(target=work, args=("plain thread",))
        plain.start()
        plain.join()
        context = contextvars.copy_context()
        carried = threading.Thread(target=context.run, args=(work, "carried thread"))
        carried.start()
        carried.join()
        asyncio.run(in_thread())

    spans = sent(lens, transport)
    root = spans["root"]
    assert spans["plain thread"]["parentSpanId"] is None, "a root, never a wrong parent"
    assert spans["plain thread"]["traceId"] != root["traceId"]
    for name in ("carried thread", "to_thread"):
        assert spans[name]["parentSpanId"] == root["spanId"], name


def test_concurrent_threads_each_keep_their_own_trace(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture
    barrier = threading.Barrier(4)

    def worker(index: int) -> None:
        with lens.trace(f"t{index}"):
            barrier.wait()
            with lens.span(f"t{index}-child"):
                barrier.wait()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    spans = sent(lens, transport)
    for index in range(4):
        assert spans[f"t{index}-child"]["parentSpanId"] == spans[f"t{index}"]["spanId"]


def test_attributes_nearest_wins_tags_add_up_and_metadata_merges() -> None:
    lens, transport = capturing_lens(
        environment="production", release="2026.12.1", tags=["global"], metadata={"g": 1}
    )
    with (
        lens.trace(
            "root", user_id="u-1", session_id="s-1", tags=["trace"], metadata={"t": "x", "g": 2}
        ),
        lens.span("child", user_id="u-2", endpoint="/api/x", tags=["span", "trace"]) as child,
    ):
        child.update(tags=["late"], metadata={"late": True}, release="hotfix")
    assert lens.flush(5000)
    spans = {span["name"]: span for span in transport.spans()}
    root, leaf = spans["root"], spans["child"]
    assert root["environment"] == "production"
    assert root["tags"] == ["global", "trace"]
    assert root["metadata"] == {"g": 2, "t": "x"}
    assert leaf["userId"] == "u-2"
    assert leaf["sessionId"] == "s-1"
    assert leaf["endpoint"] == "/api/x"
    assert leaf["release"] == "hotfix"
    assert leaf["tags"] == ["global", "trace", "span", "late"]
    assert leaf["metadata"] == {"g": 2, "t": "x", "late": True}
    lens.shutdown(1000)


def test_update_sets_the_fields_of_a_model_call_made_by_hand(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture
    with lens.span("chat acme-1", kind="llm", input=[{"role": "user", "content": "q"}]) as span:
        span.update(
            provider="acme",
            model="acme-1-2026",
            request_model="acme-1",
            usage={"input_tokens": 10, "output_tokens": 5, "reasoning_tokens": 2},
            cost_usd=0.25,
            finish_reason="stop",
            time_to_first_token_ms=12.5,
            output={"role": "assistant", "content": "a"},
        )
        span.update(usage={"cache_read_tokens": 4})
    wire = sent(lens, transport)["chat acme-1"]
    assert {key: wire[key] for key in ("provider", "model", "requestModel", "costUsd")} == {
        "provider": "acme",
        "model": "acme-1-2026",
        "requestModel": "acme-1",
        "costUsd": 0.25,
    }
    assert wire["usage"] == {
        "inputTokens": 10,
        "outputTokens": 5,
        "cacheReadTokens": 4,
        "reasoningTokens": 2,
    }
    assert wire["finishReason"] == "stop"
    assert wire["timeToFirstTokenMs"] == 12.5
    assert wire["input"] == [{"role": "user", "content": "q"}]


def test_an_error_given_to_update_fails_the_span(
    capture: tuple[Llmlens, CapturingTransport],
) -> None:
    lens, transport = capture
    with lens.span("manual") as span:
        span.update(error={"type": "rate_limit", "message": "slow down", "http_status": 429})
    with lens.span("exception") as span:
        span.update(error=TimeoutError("late"))
    spans = sent(lens, transport)
    assert spans["manual"]["status"] == "error"
    assert spans["manual"]["error"] == {
        "type": "rate_limit",
        "message": "slow down",
        "httpStatus": 429,
    }
    assert spans["exception"]["error"] == {"type": "timeout", "message": "late", "httpStatus": None}


def test_an_unknown_kind_warns_and_falls_back(warnings: Any) -> None:
    lens, transport = capturing_lens()
    with lens.span("odd", kind="banana"):  # type: ignore[arg-type]
        pass
    assert lens.flush(5000)
    assert transport.spans()[0]["kind"] == "span"
    assert warnings() == [
        "llmlens: kind must be one of llm, embedding, tool, retrieval, agent, chain, span "
        "(actual: 'banana'); using 'span'"
    ]


def test_a_disabled_sdk_hands_out_inert_spans_and_records_nothing() -> None:
    lens, transport = capturing_lens(enabled=False)

    @lens.observe
    def work() -> str:
        return "done"

    with lens.trace("nothing") as root:
        root.update(output="x")
        root.score("s", 1)
        assert work() == "done"
    assert lens.flush(1000)
    assert transport.bodies == []
    assert lens.stats().queued == 0


def test_an_async_generator_keeps_asend_and_athrow_recorded_or_not() -> None:
    for enabled in (True, False):
        lens, transport = capturing_lens(enabled=enabled)

        @lens.observe
        async def echo() -> AsyncGenerator[str, str]:
            received = yield "ready"
            while True:
                try:
                    received = yield f"got {received}"
                except KeyError:
                    received = yield "caught"

        async def drive() -> list[str]:
            generator = echo()
            seen = [await generator.asend(None)]  # type: ignore[arg-type]
            seen.append(await generator.asend("x"))
            seen.append(await generator.athrow(KeyError("k")))
            seen.append(await generator.asend("y"))
            await generator.aclose()
            return seen

        assert asyncio.run(drive()) == ["ready", "got x", "caught", "got y"], enabled
        assert lens.flush(5000)
        outputs = [span["output"] for span in transport.spans()]
        assert outputs == (["readygot xcaughtgot y"] if enabled else [])
        lens.shutdown(1000)
