"""`responses.create` and `parse`, streamed or not."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._span import Span
from ._openai_usage import openai_usage
from ._read import field, items, snapshot, text
from ._shape import CallShape, StreamReader, record_request


def _responses_input(body: Mapping[str, Any]) -> Any:
    """Instructions become the system turn, so the input reads like a chat prompt."""
    instructions = text(body.get("instructions"))
    given = body.get("input")
    if instructions is None:
        return snapshot(given)
    turns = [{"role": "user", "content": given}] if isinstance(given, str) else items(given)
    return [{"role": "system", "content": instructions}, *turns]


def _finish_reason(response: Any) -> str | None:
    """The Responses API has a status, not a finish reason; it is mapped to the chat words the
    dashboard groups by: `stop`, `tool_calls`, or why a response is incomplete
    (`max_output_tokens`)."""
    status = text(field(response, "status"))
    if status == "incomplete":
        return text(field(field(response, "incomplete_details"), "reason")) or status
    if status != "completed":
        return status
    called_tool = any(
        field(item, "type") == "function_call" for item in items(field(response, "output"))
    )
    return "tool_calls" if called_tool else "stop"


def _responses_result(span: Span, response: Any) -> None:
    if response is None:
        return
    span.model = text(field(response, "model")) or span.model
    span.finish_reason = _finish_reason(response)
    span.usage = openai_usage(field(response, "usage"))
    error = field(response, "error")
    if field(response, "status") == "failed" and error is not None:
        span.fail(
            {
                "type": text(field(error, "code")) or "unknown",
                "message": text(field(error, "message")),
            }
        )
    if span.capture_content:
        span.output = list(items(field(response, "output")))


_FIRST_TOKEN_EVENTS = frozenset(
    (
        "response.output_text.delta",
        "response.function_call_arguments.delta",
        "response.refusal.delta",
        "response.reasoning_summary_text.delta",
    )
)
_FINAL_EVENTS = frozenset(("response.completed", "response.incomplete", "response.failed"))


class _ResponsesStreamReader:
    """Reads a Responses stream: the first delta is the first token, the final event has it
    all."""

    def __init__(self, span: Span) -> None:
        self._span = span

    def event(self, event: Any) -> None:
        kind = text(field(event, "type"))
        if kind is None:
            return
        if kind in _FIRST_TOKEN_EVENTS:
            self._span.mark_first_token()
        elif kind == "response.created":
            model = text(field(field(event, "response"), "model"))
            self._span.model = model or self._span.model
        elif kind in _FINAL_EVENTS:
            _responses_result(self._span, field(event, "response"))
        elif kind == "error":
            self._span.fail(
                {
                    "type": text(field(event, "code")) or "unknown",
                    "message": text(field(event, "message")),
                }
            )

    def end(self) -> None:
        return None


def _responses_request(span: Span, body: Mapping[str, Any]) -> None:
    record_request(span, body, "chat", lambda: _responses_input(body))


def _responses_stream(span: Span) -> StreamReader:
    return _ResponsesStreamReader(span)


OPENAI_RESPONSES = CallShape(
    "llm", "chat", _responses_request, _responses_result, _responses_stream
)
