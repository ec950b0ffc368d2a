"""`chat.completions.create` and `parse`, streamed or not."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._span import Span
from ._openai_usage import openai_usage
from ._read import field, items, snapshot, text
from ._shape import CallShape, StreamReader, record_request


def _assistant_message(message: Any) -> dict[str, Any] | None:
    """The assistant message as the dashboard shows it: role, content, tool calls and a refusal
    when there is one; the API's always-empty fields (`annotations: []`, `refusal: null`) left
    out."""
    if message is None:
        return None
    out: dict[str, Any] = {
        "role": field(message, "role") or "assistant",
        "content": field(message, "content"),
    }
    tool_calls = items(field(message, "tool_calls"))
    if tool_calls:
        out["tool_calls"] = tool_calls
    refusal = text(field(message, "refusal"))
    if refusal is not None:
        out["refusal"] = refusal
    return out


def _chat_response(span: Span, completion: Any) -> None:
    if completion is None:
        return
    choices = items(field(completion, "choices"))
    span.model = text(field(completion, "model")) or span.model
    span.finish_reason = text(field(choices[0], "finish_reason")) if choices else None
    span.usage = openai_usage(field(completion, "usage"))
    if not span.capture_content:
        return
    messages = [_assistant_message(field(choice, "message")) for choice in choices]
    span.output = messages[0] if len(messages) == 1 else messages


class _ChatStreamReader:
    """Gathers a streamed completion (choice 0): text, tool calls assembled from their argument
    fragments, the finish reason, and usage from the final chunk that
    `stream_options={"include_usage": True}` adds. The SDK never adds that option itself: it
    changes what the application's loop receives (a last chunk without choices)."""

    def __init__(self, span: Span) -> None:
        self._span = span
        self._content: list[str] = []
        self._tool_calls: dict[int, dict[str, Any]] = {}
        self._finish_reason: str | None = None
        self._model: str | None = None
        self._usage: Any = None

    def event(self, chunk: Any) -> None:
        if self._model is None:
            self._model = text(field(chunk, "model"))
        usage = field(chunk, "usage")
        if usage:
            self._usage = usage
        for choice in items(field(chunk, "choices")):
            if (field(choice, "index") or 0) != 0:
                continue
            self._finish_reason = text(field(choice, "finish_reason")) or self._finish_reason
            delta = field(choice, "delta")
            if delta is not None:
                self._delta(delta)

    def _delta(self, delta: Any) -> None:
        piece = text(field(delta, "content"))
        if piece:
            self._span.mark_first_token()
            self._content.append(piece)
        for call in items(field(delta, "tool_calls")):
            self._span.mark_first_token()
            index = field(call, "index")
            index = index if isinstance(index, int) else len(self._tool_calls)
            draft = self._tool_calls.setdefault(
                index, {"id": "", "type": "function", "function": {"name": "", "arguments": ""}}
            )
            draft["id"] = text(field(call, "id")) or draft["id"]
            draft["type"] = text(field(call, "type")) or draft["type"]
            function = field(call, "function")
            draft["function"]["name"] += text(field(function, "name")) or ""
            draft["function"]["arguments"] += text(field(function, "arguments")) or ""

    def end(self) -> None:
        span = self._span
        span.model = self._model or span.model
        span.finish_reason = self._finish_reason
        span.usage = openai_usage(self._usage)
        if not span.capture_content:
            return
        content = "".join(self._content)
        tool_calls = [self._tool_calls[index] for index in sorted(self._tool_calls)]
        output: dict[str, Any] = {
            "role": "assistant",
            "content": None if content == "" and tool_calls else content,
        }
        if tool_calls:
            output["tool_calls"] = tool_calls
        span.output = output


def _chat_request(span: Span, body: Mapping[str, Any]) -> None:
    record_request(span, body, "chat", lambda: snapshot(body.get("messages")))


def _chat_stream(span: Span) -> StreamReader:
    return _ChatStreamReader(span)


OPENAI_CHAT = CallShape("llm", "chat", _chat_request, _chat_response, _chat_stream)
