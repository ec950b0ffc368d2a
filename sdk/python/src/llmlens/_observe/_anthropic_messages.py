"""`messages.create`, `parse` and `stream` (and their `beta.` twins), streamed or not."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .._span import Span
from ._read import count, field, given, plain_record, snapshot, text
from ._shape import CallShape, StreamReader, record_request


def anthropic_usage(usage: Any) -> dict[str, Any] | None:
    """Anthropic usage in the contract's terms. Anthropic's `input_tokens` counts only the
    tokens after the last cache breakpoint; cache reads and writes are reported beside it, so
    the contract's `inputTokens` (all input) is their sum. Reasoning ("thinking") tokens are
    part of `output_tokens` and not reported apart, so `reasoningTokens` stays absent."""
    if usage is None or isinstance(usage, (str, int, float, list)):
        return None
    uncached = count(field(usage, "input_tokens"))
    cache_read = count(field(usage, "cache_read_input_tokens"))
    cache_write = count(field(usage, "cache_creation_input_tokens"))
    out: dict[str, Any] = {
        "inputTokens": (
            None if uncached is None else uncached + (cache_read or 0) + (cache_write or 0)
        ),
        "outputTokens": count(field(usage, "output_tokens")),
    }
    if cache_read is not None:
        out["cacheReadTokens"] = cache_read
    if cache_write is not None:
        out["cacheWriteTokens"] = cache_write
    return out


def _messages_input(body: Mapping[str, Any]) -> Any:
    messages = snapshot(body.get("messages"))
    system = body.get("system")
    if not given(system):
        return messages
    return [{"role": "system", "content": system}, *(messages or [])]


def _message_result(span: Span, message: Any) -> None:
    if message is None:
        return
    span.model = text(field(message, "model")) or span.model
    span.finish_reason = text(field(message, "stop_reason"))
    span.usage = anthropic_usage(field(message, "usage"))
    if span.capture_content:
        content = field(message, "content")
        span.output = {"role": "assistant", "content": [] if content is None else content}


class _MessagesStreamReader:
    """Rebuilds the message from its events: `message_start` has the model and the input
    usage, content blocks grow by deltas (text, tool input as JSON fragments, thinking), and
    `message_delta` has the stop reason and the final usage."""

    def __init__(self, span: Span) -> None:
        self._span = span
        self._blocks: dict[int, dict[str, Any]] = {}
        self._partial_json: dict[int, str] = {}
        self._usage: dict[str, Any] = {}
        self._stop_reason: str | None = None
        self._model: str | None = None

    def event(self, event: Any) -> None:
        kind = field(event, "type")
        index = field(event, "index")
        index = index if isinstance(index, int) else -1
        if kind == "message_start":
            message = field(event, "message")
            self._model = text(field(message, "model"))
            self._usage = plain_record(field(message, "usage"))
        elif kind == "content_block_start":
            self._blocks[index] = plain_record(field(event, "content_block"))
        elif kind == "content_block_delta":
            self._span.mark_first_token()
            self._delta(index, field(event, "delta"))
        elif kind == "content_block_stop":
            self._close_block(index)
        elif kind == "message_delta":
            self._stop_reason = (
                text(field(field(event, "delta"), "stop_reason")) or self._stop_reason
            )
            # A count the delta leaves null keeps the value `message_start` gave.
            final = plain_record(field(event, "usage"))
            self._usage.update({key: value for key, value in final.items() if value is not None})

    def _delta(self, index: int, delta: Any) -> None:
        block = self._blocks.get(index)
        if block is None or delta is None:
            return
        kind = field(delta, "type")
        if kind == "text_delta":
            block["text"] = (text(block.get("text")) or "") + (text(field(delta, "text")) or "")
        elif kind == "thinking_delta":
            thinking = text(field(delta, "thinking")) or ""
            block["thinking"] = (text(block.get("thinking")) or "") + thinking
        elif kind == "input_json_delta":
            piece = text(field(delta, "partial_json")) or ""
            self._partial_json[index] = self._partial_json.get(index, "") + piece

    def _close_block(self, index: int) -> None:
        partial = self._partial_json.get(index)
        block = self._blocks.get(index)
        if partial is None or block is None:
            return
        try:
            block["input"] = json.loads(partial)
        except ValueError:
            block["input"] = partial

    def end(self) -> None:
        span = self._span
        span.model = self._model or span.model
        span.finish_reason = self._stop_reason
        span.usage = anthropic_usage(self._usage)
        if span.capture_content:
            blocks = [self._blocks[index] for index in sorted(self._blocks)]
            span.output = {"role": "assistant", "content": blocks}


def _messages_request(span: Span, body: Mapping[str, Any]) -> None:
    record_request(span, body, "chat", lambda: _messages_input(body))


def _messages_stream(span: Span) -> StreamReader:
    return _MessagesStreamReader(span)


ANTHROPIC_MESSAGES = CallShape("llm", "chat", _messages_request, _message_result, _messages_stream)
