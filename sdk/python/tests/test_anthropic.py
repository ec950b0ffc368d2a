"""The real `anthropic` client against the fake provider, exporting to a real llmlens server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from typing import Any, Callable

import anthropic
import pytest
from anthropic import Anthropic, AsyncAnthropic

from conftest import Live
from support.live import PLAIN

WEATHER_TOOL: Any = {
    "name": "get_weather",
    "description": "Weather in a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}
TOOL_PARAMS: Any = {
    "model": "claude-sonnet-4",
    "max_tokens": 200,
    "tools": [WEATHER_TOOL],
    "messages": [{"role": "user", "content": "Use a tool for the weather in Oslo"}],
}


@pytest.fixture
def client(live: Live) -> Iterator[Anthropic]:
    plain = Anthropic(base_url=live.provider_url, api_key="test", max_retries=0)
    yield live.lens.observe(plain)
    plain.close()


def async_child_of(
    live: Live, call: Callable[[AsyncAnthropic], Awaitable[object]]
) -> dict[str, Any]:
    async def run() -> tuple[str, str]:
        plain = AsyncAnthropic(base_url=live.provider_url, api_key="test", max_retries=0)
        async with live.lens.observe(plain) as client, live.lens.trace("test") as root:
            await call(client)
        return root.trace_id, root.span_id

    trace_id, root_span_id = asyncio.run(run())
    return live.stored_child(trace_id, root_span_id)


def sea_span(usage: Any) -> dict[str, Any]:
    return {
        **PLAIN,
        "name": "chat claude-sonnet-4",
        "kind": "llm",
        "provider": "anthropic",
        "model": "claude-sonnet-4-20250514",
        "modelFamily": "claude-sonnet-4",
        "requestModel": "claude-sonnet-4",
        "usage": {
            "inputTokens": usage.input_tokens,
            "outputTokens": usage.output_tokens,
            "cacheReadTokens": 0,
            "cacheWriteTokens": 0,
            "reasoningTokens": None,
        },
        "costEstimated": True,
        "finishReason": "end_turn",
        "input": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": "Describe the sea"},
        ],
        "output": {
            "role": "assistant",
            "content": [{"type": "text", "text": "Fake reply: Describe the sea"}],
        },
    }


SEA: Any = {
    "model": "claude-sonnet-4",
    "max_tokens": 200,
    "system": "You are terse.",
    "messages": [{"role": "user", "content": "Describe the sea"}],
}


def test_the_observed_client_keeps_its_class(client: Anthropic) -> None:
    assert isinstance(client, Anthropic)
    assert client.api_key == "test"


def test_message_records_model_usage_stop_reason_content_and_system_prompt(
    live: Live, client: Anthropic
) -> None:
    replies: list[Any] = []
    span = live.child_of(lambda: replies.append(client.messages.create(**SEA)))
    assert span == sea_span(replies[0].usage)


def test_async_message_is_recorded_the_same(live: Live) -> None:
    replies: list[Any] = []

    async def call(client: AsyncAnthropic) -> None:
        replies.append(await client.messages.create(**SEA))

    assert async_child_of(live, call) == sea_span(replies[0].usage)


def test_prompt_caching_input_tokens_include_cache_reads_and_writes(
    live: Live, client: Anthropic
) -> None:
    system: Any = [
        {"type": "text", "text": "Policy. " * 700, "cache_control": {"type": "ephemeral"}}
    ]
    replies: list[Any] = []

    def ask() -> None:
        replies.append(
            client.messages.create(
                model="claude-sonnet-4",
                max_tokens=50,
                system=system,
                messages=[{"role": "user", "content": "Is this allowed?"}],
            )
        )

    first = live.child_of(ask)
    second = live.child_of(ask)
    written, read = (reply.usage for reply in replies)
    assert written.cache_creation_input_tokens > 0, "the first call writes the cache"
    assert read.cache_read_input_tokens > 0, "the second call reads it"

    def everything(usage: Any) -> int:
        return int(
            usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens
        )

    assert first["usage"] == {
        "inputTokens": everything(written),
        "outputTokens": written.output_tokens,
        "cacheReadTokens": 0,
        "cacheWriteTokens": written.cache_creation_input_tokens,
        "reasoningTokens": None,
    }
    assert second["usage"] == {
        "inputTokens": everything(read),
        "outputTokens": read.output_tokens,
        "cacheReadTokens": read.cache_read_input_tokens,
        "cacheWriteTokens": 0,
        "reasoningTokens": None,
    }
    assert everything(written) == everything(read), "the same prompt counts the same input"


def assert_streamed_line(span: dict[str, Any]) -> None:
    assert span["timeToFirstTokenMs"] == "measured"
    assert span["finishReason"] == "end_turn"
    assert span["output"] == {
        "role": "assistant",
        "content": [{"type": "text", "text": "Fake reply: Stream a line"}],
    }
    assert span["usage"]["outputTokens"] > 1, "the final count, not the opening 1"
    assert span["usage"]["inputTokens"] > 0


LINE: Any = {
    "model": "claude-sonnet-4",
    "max_tokens": 200,
    "messages": [{"role": "user", "content": "Stream a line"}],
}


def test_streamed_message_records_first_token_final_usage_and_rebuilt_text(
    live: Live, client: Anthropic
) -> None:
    def call() -> None:
        for _ in client.messages.create(**LINE, stream=True):
            pass

    assert_streamed_line(live.child_of(call))


def test_async_streamed_message(live: Live) -> None:
    async def call(client: AsyncAnthropic) -> None:
        stream = await client.messages.create(**LINE, stream=True)
        async for _ in stream:
            pass

    assert_streamed_line(async_child_of(live, call))


def test_messages_stream_context_manager_text_stream(live: Live, client: Anthropic) -> None:
    texts: list[str] = []

    def call() -> None:
        with client.messages.stream(**LINE) as stream:
            texts.extend(stream.text_stream)

    assert_streamed_line(live.child_of(call))
    assert "".join(texts) == "Fake reply: Stream a line"


def test_async_messages_stream_context_manager(live: Live) -> None:
    async def call(client: AsyncAnthropic) -> None:
        async with client.messages.stream(**LINE) as stream:
            async for _ in stream.text_stream:
                pass
            message = await stream.get_final_message()
            assert message.stop_reason == "end_turn"

    assert_streamed_line(async_child_of(live, call))


def assert_tool_use(span: dict[str, Any]) -> None:
    assert span["finishReason"] == "tool_use"
    blocks = span["output"]["content"]
    use = next(block for block in blocks if block["type"] == "tool_use")
    assert use["name"] == "get_weather"
    assert isinstance(use["input"]["city"], str)


def test_tool_use_whole_and_streamed_with_messages_stream(live: Live, client: Anthropic) -> None:
    whole = live.child_of(lambda: client.messages.create(**TOOL_PARAMS))
    finals: list[Any] = []

    def call() -> None:
        with client.messages.stream(**TOOL_PARAMS) as stream:
            finals.append(stream.get_final_message())

    streamed = live.child_of(call)
    for span in (whole, streamed):
        assert_tool_use(span)
    final_content = [
        block.model_dump(mode="json", exclude_unset=True) for block in finals[0].content
    ]
    assert streamed["output"]["content"] == final_content
    assert streamed["timeToFirstTokenMs"] == "measured"


def test_leaving_a_messages_stream_early_ends_its_span(live: Live, client: Anthropic) -> None:
    def call() -> None:
        with client.messages.stream(**LINE) as stream:
            for _ in stream.text_stream:
                break

    span = live.child_of(call)
    assert span["status"] == "ok"
    assert span["finishReason"] is None
    assert span["output"]["content"][0]["type"] == "text"


def test_a_failing_messages_stream_records_the_error_and_raises_it(
    live: Live, client: Anthropic
) -> None:
    def call() -> None:
        with pytest.raises(anthropic.RateLimitError):  # noqa: SIM117
            with client.messages.stream(**LINE, extra_headers={"x-fake-error": "429"}) as stream:
                stream.get_final_message()

    span = live.child_of(call)
    assert span["error"]["type"] == "rate_limit"


def test_with_raw_response(live: Live, client: Anthropic) -> None:
    def call() -> None:
        raw = client.messages.with_raw_response.create(**SEA)
        assert raw.http_response.status_code == 200
        assert raw.parse().stop_reason == "end_turn"

    span = live.child_of(call)
    assert span["output"]["content"] == [{"type": "text", "text": "Fake reply: Describe the sea"}]


def test_beta_messages_are_recorded(live: Live, client: Anthropic) -> None:
    span = live.child_of(lambda: client.beta.messages.create(**SEA))
    assert span["finishReason"] == "end_turn"
    assert span["provider"] == "anthropic"


ANTHROPIC_ERRORS = [
    ("529", "server_error", 529),
    ("429", "rate_limit", 429),
    ("401", "auth", 401),
    ("context_length", "context_length", 400),
]


@pytest.mark.parametrize(("header", "category", "status"), ANTHROPIC_ERRORS)
def test_errors_get_their_category_and_the_application_its_class(
    live: Live, client: Anthropic, header: str, category: str, status: int
) -> None:
    def call() -> None:
        with pytest.raises(anthropic.APIStatusError):
            client.messages.create(
                model="claude-sonnet-4",
                max_tokens=10,
                messages=[{"role": "user", "content": "hi"}],
                extra_headers={"x-fake-error": header},
            )

    span = live.child_of(call)
    error = span["error"]
    assert {**error, "message": None} == {
        "type": category,
        "httpStatus": status,
        "rawType": None,
        "message": None,
    }
    assert error["message"]
    assert "{" not in error["message"], "the message, not the body"


def test_async_error(live: Live) -> None:
    async def call(client: AsyncAnthropic) -> None:
        with pytest.raises(anthropic.InternalServerError):
            await client.messages.create(**LINE, extra_headers={"x-fake-error": "500"})

    assert async_child_of(live, call)["error"]["type"] == "server_error"
