"""The real `openai` client against the fake provider, exporting to a real llmlens server; every
assertion reads the spans back from the server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Iterator
from typing import Any, Callable

import openai
import pytest
from openai import AsyncOpenAI, OpenAI

from conftest import Live
from llmlens import Llmlens
from support.live import PLAIN
from support.server_api import get_spans
from support.stub_collector import dead_url

WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture
def client(live: Live) -> Iterator[OpenAI]:
    plain = OpenAI(base_url=f"{live.provider_url}/v1", api_key="test", max_retries=0)
    yield live.lens.observe(plain)
    plain.close()


def async_client(live: Live) -> AsyncOpenAI:
    plain = AsyncOpenAI(base_url=f"{live.provider_url}/v1", api_key="test", max_retries=0)
    return live.lens.observe(plain)


def async_child_of(live: Live, call: Callable[[AsyncOpenAI], Awaitable[object]]) -> dict[str, Any]:
    """Runs `call` with a fresh observed `AsyncOpenAI` inside an async trace."""

    async def run() -> tuple[str, str]:
        async with async_client(live) as client, live.lens.trace("test") as root:
            await call(client)
        return root.trace_id, root.span_id

    trace_id, root_span_id = asyncio.run(run())
    return live.stored_child(trace_id, root_span_id)


def chat_span(usage: Any, content: str, **fields: Any) -> dict[str, Any]:
    """The stored span of one plain `gpt-4o-mini` chat completion."""
    return {
        **PLAIN,
        "name": "chat gpt-4o-mini",
        "kind": "llm",
        "provider": "openai",
        "model": "gpt-4o-mini-2024-07-18",
        "modelFamily": "gpt-4o-mini",
        "requestModel": "gpt-4o-mini",
        "usage": {
            "inputTokens": usage.prompt_tokens,
            "outputTokens": usage.completion_tokens,
            "cacheReadTokens": 0,
            "cacheWriteTokens": None,
            "reasoningTokens": 0,
        },
        "costEstimated": True,
        "finishReason": "stop",
        "input": [{"role": "user", "content": content}],
        "output": {"role": "assistant", "content": f"Fake reply: {content}"},
        **fields,
    }


def test_the_observed_client_keeps_its_class_and_members(live: Live, client: OpenAI) -> None:
    assert isinstance(client, OpenAI)
    assert str(client.base_url) == f"{live.provider_url}/v1/"
    assert client.api_key == "test"
    assert callable(client.models.list)
    assert [model.id for model in client.models.list()][:1] != []


def test_chat_completion_records_model_usage_finish_reason_and_content(
    live: Live, client: OpenAI
) -> None:
    messages: Any = [{"role": "user", "content": "Summarise the weekly report"}]
    replies: list[Any] = []
    span = live.child_of(
        lambda: replies.append(
            client.chat.completions.create(model="gpt-4o-mini", messages=messages)
        )
    )
    assert span == chat_span(replies[0].usage, "Summarise the weekly report")


def test_async_chat_completion_is_recorded_the_same(live: Live) -> None:
    replies: list[Any] = []

    async def call(client: AsyncOpenAI) -> None:
        messages: Any = [{"role": "user", "content": "async hello"}]
        replies.append(await client.chat.completions.create(model="gpt-4o-mini", messages=messages))

    span = async_child_of(live, call)
    assert span == chat_span(replies[0].usage, "async hello")


def reasoning_stream_span(usage: dict[str, Any]) -> dict[str, Any]:
    return {
        **PLAIN,
        "name": "chat o3-mini",
        "kind": "llm",
        "provider": "openai",
        "model": "o3-mini-2025-01-31",
        "modelFamily": "o3-mini",
        "requestModel": "o3-mini",
        "usage": {**usage, "inputTokens": 14, "cacheReadTokens": 0, "cacheWriteTokens": None},
        "timeToFirstTokenMs": "measured",
        "costEstimated": True,
        "finishReason": "stop",
        "input": [{"role": "user", "content": "Think about prime numbers"}],
        "output": {"role": "assistant", "content": "Fake reply: Think about prime numbers"},
    }


def assert_reasoning_usage(usage: dict[str, Any]) -> None:
    assert usage["reasoningTokens"] > 0, "o3-mini reasons"
    assert usage["outputTokens"] > usage["reasoningTokens"], "output includes reasoning"


PRIMES: Any = [{"role": "user", "content": "Think about prime numbers"}]


def test_streamed_chat_records_first_token_usage_from_the_last_chunk_and_the_text(
    live: Live, client: OpenAI
) -> None:
    pieces: list[str] = []

    def call() -> None:
        stream = client.chat.completions.create(
            model="o3-mini",
            messages=PRIMES,
            stream=True,
            stream_options={"include_usage": True},
            extra_headers={"x-fake-ttft-ms": "30"},
        )
        pieces.extend(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)

    span = live.child_of(call)
    assert "".join(pieces) == "Fake reply: Think about prime numbers"
    assert_reasoning_usage(span["usage"])
    assert span == reasoning_stream_span(span["usage"])


def test_async_streamed_chat_is_recorded_the_same(live: Live) -> None:
    pieces: list[str] = []

    async def call(client: AsyncOpenAI) -> None:
        stream = await client.chat.completions.create(
            model="o3-mini",
            messages=PRIMES,
            stream=True,
            stream_options={"include_usage": True},
            extra_headers={"x-fake-ttft-ms": "30"},
        )
        async for chunk in stream:
            if chunk.choices:
                pieces.append(chunk.choices[0].delta.content or "")

    span = async_child_of(live, call)
    assert "".join(pieces) == "Fake reply: Think about prime numbers"
    assert_reasoning_usage(span["usage"])
    assert span == reasoning_stream_span(span["usage"])


def test_a_stream_left_early_by_its_with_block_ends_the_span_with_what_arrived(
    live: Live, client: OpenAI
) -> None:
    received: list[str] = []

    def call() -> None:
        stream = client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": "one two three four five six"}],
            stream=True,
        )
        with stream:
            for chunk in stream:
                piece = chunk.choices[0].delta.content if chunk.choices else None
                if piece:
                    received.append(piece)
                    break

    span = live.child_of(call)
    assert len(received) == 1
    assert span["status"] == "ok"
    assert span["output"] == {"role": "assistant", "content": received[0]}
    assert span["finishReason"] is None, "the stream never reached its end"
    assert span["timeToFirstTokenMs"] == "measured"


def test_an_async_stream_broken_out_of_and_closed_ends_the_span(live: Live) -> None:
    async def call(client: AsyncOpenAI) -> None:
        stream = await client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": "alpha beta gamma delta"}],
            stream=True,
        )
        async with stream:
            async for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    break

    span = async_child_of(live, call)
    assert span["status"] == "ok"
    assert span["output"]["content"] != ""
    assert span["finishReason"] is None


def test_a_stream_without_include_usage_records_no_usage_rather_than_zeros(
    live: Live, client: OpenAI
) -> None:
    def call() -> None:
        stream = client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}], stream=True
        )
        for _ in stream:
            pass

    span = live.child_of(call)
    assert span["usage"] == dict.fromkeys(
        ("inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "reasoningTokens")
    )
    assert span["finishReason"] == "stop"


def assert_tool_call(span: dict[str, Any]) -> None:
    assert span["finishReason"] == "tool_calls"
    output = span["output"]
    assert output["content"] is None
    assert len(output["tool_calls"]) == 1
    call = output["tool_calls"][0]
    assert call["id"].startswith("call_")
    assert call["type"] == "function"
    assert call["function"]["name"] == "get_weather"
    assert isinstance(json.loads(call["function"]["arguments"])["city"], str)


WEATHER_QUESTION: Any = [{"role": "user", "content": "Use a tool for the weather in Paris"}]


def test_tool_calls_whole_and_streamed_are_recorded_with_their_arguments(
    live: Live, client: OpenAI
) -> None:
    whole = live.child_of(
        lambda: client.chat.completions.create(
            model="gpt-4o-mini", messages=WEATHER_QUESTION, tools=[WEATHER_TOOL]
        )
    )

    def streamed_call() -> None:
        stream = client.chat.completions.create(
            model="gpt-4o-mini", messages=WEATHER_QUESTION, tools=[WEATHER_TOOL], stream=True
        )
        for _ in stream:
            pass

    streamed = live.child_of(streamed_call)
    for span in (whole, streamed):
        assert_tool_call(span)
    assert streamed["timeToFirstTokenMs"] == "measured"


def test_async_streamed_tool_calls_are_assembled(live: Live) -> None:
    async def call(client: AsyncOpenAI) -> None:
        stream = await client.chat.completions.create(
            model="gpt-4o-mini", messages=WEATHER_QUESTION, tools=[WEATHER_TOOL], stream=True
        )
        async for _ in stream:
            pass

    assert_tool_call(async_child_of(live, call))


def test_responses_whole_and_streamed(live: Live, client: OpenAI) -> None:
    whole = live.child_of(
        lambda: client.responses.create(
            model="o3-mini", instructions="Be brief.", input="Plan a trip"
        )
    )
    assert whole["name"] == "chat o3-mini"
    assert whole["model"] == "o3-mini-2025-01-31"
    assert whole["finishReason"] == "stop"
    assert whole["input"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Plan a trip"},
    ]
    assert [item["type"] for item in whole["output"]] == ["reasoning", "message"]
    assert whole["usage"]["reasoningTokens"] > 0
    assert whole["timeToFirstTokenMs"] is None, "a whole response has no first token"

    events: list[str] = []

    def streamed_call() -> None:
        stream = client.responses.create(model="gpt-4o-mini", input="Plan a trip", stream=True)
        events.extend(event.type for event in stream)

    streamed = live.child_of(streamed_call)
    assert events[-1] == "response.completed"
    assert streamed["finishReason"] == "stop"
    assert streamed["usage"]["reasoningTokens"] == 0
    assert streamed["usage"]["inputTokens"] > 0
    assert streamed["usage"]["outputTokens"] > 0
    assert streamed["timeToFirstTokenMs"] == "measured"
    assert streamed["input"] == "Plan a trip"


def test_async_responses_stream(live: Live) -> None:
    async def call(client: AsyncOpenAI) -> None:
        stream = await client.responses.create(model="gpt-4o-mini", input="Go", stream=True)
        async for _ in stream:
            pass

    span = async_child_of(live, call)
    assert span["finishReason"] == "stop"
    assert span["timeToFirstTokenMs"] == "measured"
    assert span["output"][-1]["type"] == "message"


def test_the_stream_helpers_are_recorded_once_through_create(live: Live, client: OpenAI) -> None:
    finals: list[Any] = []

    def chat_helper() -> None:
        with client.chat.completions.stream(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "helper"}]
        ) as stream:
            for _ in stream:
                pass
            finals.append(stream.get_final_completion())

    chat = live.child_of(chat_helper)
    assert finals[0].choices[0].message.content == "Fake reply: helper"
    assert chat["output"] == {"role": "assistant", "content": "Fake reply: helper"}
    assert chat["timeToFirstTokenMs"] == "measured"

    def responses_helper() -> None:
        with client.responses.stream(model="gpt-4o-mini", input="helper") as stream:
            for _ in stream:
                pass
            finals.append(stream.get_final_response())

    responses = live.child_of(responses_helper)
    assert finals[1].output_text == "Fake reply: helper"
    assert responses["finishReason"] == "stop"
    assert responses["timeToFirstTokenMs"] == "measured"


def test_async_stream_helper(live: Live) -> None:
    async def call(client: AsyncOpenAI) -> None:
        async with client.chat.completions.stream(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "async helper"}]
        ) as stream:
            async for _ in stream:
                pass

    span = async_child_of(live, call)
    assert span["output"] == {"role": "assistant", "content": "Fake reply: async helper"}


def test_parse_is_recorded_once(live: Live, client: OpenAI) -> None:
    parsed: list[Any] = []
    span = live.child_of(
        lambda: parsed.append(
            client.chat.completions.parse(
                model="gpt-4o-mini", messages=[{"role": "user", "content": "parse me"}]
            )
        )
    )
    assert parsed[0].choices[0].message.content == "Fake reply: parse me"
    assert span["output"]["content"] == "Fake reply: parse me"
    assert span["finishReason"] == "stop"


def test_with_raw_response_is_recorded_and_still_raw(live: Live, client: OpenAI) -> None:
    seen: list[Any] = []

    def call() -> None:
        raw = client.chat.completions.with_raw_response.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "raw"}]
        )
        seen.append(raw.headers.get("x-request-id"))
        seen.append(raw.parse().choices[0].message.content)

    span = live.child_of(call)
    assert seen[0]
    assert seen[1] == "Fake reply: raw"
    assert span["finishReason"] == "stop"
    assert span["output"] == {"role": "assistant", "content": "Fake reply: raw"}


def test_with_raw_response_of_a_stream_and_from_the_client_root(live: Live, client: OpenAI) -> None:
    pieces: list[str] = []

    def call() -> None:
        raw = client.with_raw_response.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "raw stream"}], stream=True
        )
        for chunk in raw.parse():
            pieces.append(chunk.choices[0].delta.content or "" if chunk.choices else "")

    span = live.child_of(call)
    assert "".join(pieces) == "Fake reply: raw stream"
    assert span["output"] == {"role": "assistant", "content": "Fake reply: raw stream"}
    assert span["timeToFirstTokenMs"] == "measured"


def test_with_streaming_response_is_recorded(live: Live, client: OpenAI) -> None:
    def call() -> None:
        with client.embeddings.with_streaming_response.create(
            model="text-embedding-3-small", input="streamed body"
        ) as response:
            assert response.http_response.status_code == 200
            assert len(response.parse().data) == 1

    span = live.child_of(call)
    assert span["kind"] == "embedding"
    assert span["output"]["embeddings"] == 1


def test_async_with_raw_response(live: Live) -> None:
    async def call(client: AsyncOpenAI) -> None:
        raw = await client.chat.completions.with_raw_response.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "async raw"}]
        )
        assert raw.parse().choices[0].message.content == "Fake reply: async raw"

    span = async_child_of(live, call)
    assert span["output"] == {"role": "assistant", "content": "Fake reply: async raw"}


def test_embeddings_record_input_tokens_and_the_vector_count_and_size(
    live: Live, client: OpenAI
) -> None:
    dimensions: list[int] = []

    def call() -> None:
        result = client.embeddings.create(model="text-embedding-3-small", input=["one", "two"])
        dimensions.append(len(result.data[0].embedding))

    span = live.child_of(call)
    assert dimensions[0] > 0
    assert span["kind"] == "embedding"
    assert span["name"] == "embeddings text-embedding-3-small"
    assert span["input"] == ["one", "two"]
    assert span["output"] == {"embeddings": 2, "dimensions": dimensions[0]}
    assert isinstance(span["usage"]["inputTokens"], int)
    assert span["usage"]["outputTokens"] is None


def test_async_embeddings(live: Live) -> None:
    async def call(client: AsyncOpenAI) -> None:
        await client.embeddings.create(model="text-embedding-3-small", input="one")

    span = async_child_of(live, call)
    assert span["kind"] == "embedding"
    assert span["output"]["embeddings"] == 1


ERROR_CASES = [
    ("429", "rate_limit", 429, openai.RateLimitError),
    ("401", "auth", 401, openai.AuthenticationError),
    ("500", "server_error", 500, openai.InternalServerError),
    ("context_length", "context_length", 400, openai.BadRequestError),
]


def assert_error(span: dict[str, Any], category: str, status: int) -> None:
    assert span["status"] == "error"
    error = span["error"]
    assert error["type"] == category
    assert error["httpStatus"] == status
    assert error["message"]
    assert not error["message"].startswith(str(status))
    assert "{" not in error["message"], "the provider's message, not the body"
    assert span["output"] is None


@pytest.mark.parametrize(("header", "category", "status", "error_class"), ERROR_CASES)
def test_errors_keep_their_class_for_the_application_and_get_a_category(
    live: Live,
    client: OpenAI,
    header: str,
    category: str,
    status: int,
    error_class: type[Exception],
) -> None:
    def call() -> None:
        with pytest.raises(error_class):
            client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "hi"}],
                extra_headers={"x-fake-error": header},
            )

    assert_error(live.child_of(call), category, status)


@pytest.mark.parametrize(("header", "category", "status", "error_class"), ERROR_CASES)
def test_async_errors_are_categorised_the_same(
    live: Live, header: str, category: str, status: int, error_class: type[Exception]
) -> None:
    async def call(client: AsyncOpenAI) -> None:
        with pytest.raises(error_class):
            await client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "hi"}],
                extra_headers={"x-fake-error": header},
            )

    assert_error(async_child_of(live, call), category, status)


def test_a_streamed_call_that_fails_before_its_first_event(live: Live, client: OpenAI) -> None:
    def call() -> None:
        with pytest.raises(openai.RateLimitError):
            client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "hi"}],
                stream=True,
                extra_headers={"x-fake-error": "429"},
            )

    assert_error(live.child_of(call), "rate_limit", 429)


def test_a_client_timeout_is_a_timeout(live: Live, client: OpenAI) -> None:
    def call() -> None:
        with pytest.raises(openai.APITimeoutError):
            client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "slow"}],
                timeout=0.2,
                extra_headers={"x-fake-latency-ms": "3000"},
            )

    span = live.child_of(call)
    assert span["error"]["type"] == "timeout"
    assert span["error"]["httpStatus"] is None


def test_an_unreachable_provider_is_a_network_error(live: Live) -> None:
    unreachable = live.lens.observe(OpenAI(base_url=f"{dead_url()}/v1", api_key="t", max_retries=0))

    def call() -> None:
        with pytest.raises(openai.APIConnectionError):
            unreachable.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
            )

    assert live.child_of(call)["error"]["type"] == "network"


def test_a_cancelled_async_call_is_recorded_as_cancelled(live: Live) -> None:
    async def call(client: AsyncOpenAI) -> None:
        task = asyncio.ensure_future(
            client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "slow"}],
                extra_headers={"x-fake-latency-ms": "5000"},
            )
        )
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    span = async_child_of(live, call)
    assert span["error"]["type"] == "cancelled"


def test_attributes_per_client_layer_over_the_trace_and_the_global_ones(
    live: Live, client: OpenAI
) -> None:
    per_user = live.lens.observe(client, user_id="u-17", tags=["beta"], metadata={"a": 1})
    with live.lens.trace(
        "request", session_id="s-3", endpoint="/api/chat", tags=["web"], metadata={"b": "x"}
    ) as root:
        per_user.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
        )
    trace = live.stored(root.trace_id)
    call = next(span for span in trace["spans"] if span["kind"] == "llm")
    assert call["userId"] == "u-17"
    assert call["sessionId"] == "s-3"
    assert call["endpoint"] == "/api/chat"
    assert call["tags"] == ["web", "beta"]
    assert call["metadata"] == {"b": "x", "a": 1}

    again = live.lens.observe(per_user, user_id="u-18", tags=["gamma"], provider="azure")
    with live.lens.trace("again") as second:
        again.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
        )
    layered = next(s for s in live.stored(second.trace_id)["spans"] if s["kind"] == "llm")
    assert layered["userId"] == "u-18"
    assert layered["tags"] == ["beta", "gamma"]
    assert layered["metadata"] == {"a": 1}
    assert layered["provider"] == "azure"


def test_with_options_returns_an_observed_client(live: Live, client: OpenAI) -> None:
    tuned = client.with_options(timeout=30)
    assert isinstance(tuned, OpenAI)
    span = live.child_of(
        lambda: tuned.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "tuned"}]
        )
    )
    assert span["output"] == {"role": "assistant", "content": "Fake reply: tuned"}


def test_capture_content_false_keeps_timing_and_usage_but_no_prompt_or_completion(
    live: Live, client: OpenAI
) -> None:
    quiet = live.lens.observe(client, capture_content=False)
    span = live.child_of(
        lambda: quiet.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "secret"}]
        )
    )
    assert span["input"] is None
    assert span["output"] is None
    assert isinstance(span["usage"]["inputTokens"], int)


def test_a_call_outside_any_trace_is_the_root_of_its_own_trace(live: Live, client: OpenAI) -> None:
    lone = live.lens.observe(client, user_id="lone-caller")
    lone.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    assert live.lens.flush(15_000)
    spans = get_spans(live.server_url, userId="lone-caller")
    assert len(spans) == 1
    assert spans[0]["parentSpanId"] is None
    assert spans[0]["kind"] == "llm"


def test_a_provider_timeout_answered_504_is_a_timeout(live: Live, client: OpenAI) -> None:
    def call() -> None:
        with pytest.raises(openai.APIStatusError):
            client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "hi"}],
                extra_headers={"x-fake-error": "timeout", "x-fake-delay-ms": "10"},
            )

    span = live.child_of(call)
    assert span["error"]["type"] == "timeout"
    assert span["error"]["httpStatus"] == 504


def test_an_unsampled_call_is_made_but_not_recorded(live: Live) -> None:
    lens = Llmlens(url=live.server_url, flush_on_exit=False, sample_rate=0)
    client = lens.observe(OpenAI(base_url=f"{live.provider_url}/v1", api_key="t", max_retries=0))
    reply = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "skipped"}]
    )
    assert reply.choices[0].message.content == "Fake reply: skipped"
    assert lens.flush(5000)
    assert (lens.stats().sampled_out, lens.stats().exported) == (1, 0)
    lens.shutdown(1000)


def test_observe_returns_what_it_does_not_know_unchanged(warnings: Any) -> None:
    lens = Llmlens(url="http://127.0.0.1:9", flush_on_exit=False)
    thing = object()
    assert lens.observe(thing) is thing
    assert warnings() == [
        "llmlens: observe() takes an OpenAI or Anthropic client or a function "
        "(actual: object); returned it unobserved"
    ]


def test_cached_prompt_tokens_are_recorded_within_the_input(live: Live, client: OpenAI) -> None:
    replies: list[Any] = []
    prompt = "Policy. " * 700
    span = live.child_of(
        lambda: replies.append(
            client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": prompt}],
                extra_headers={"x-fake-cached-tokens": "1024"},
            )
        )
    )
    usage = replies[0].usage
    assert usage.prompt_tokens_details.cached_tokens == 1024
    assert span["usage"]["cacheReadTokens"] == 1024
    assert span["usage"]["inputTokens"] == usage.prompt_tokens, "cached tokens are part of it"
    assert usage.prompt_tokens > 1024
