"""How one API method's requests and results map onto a span."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, NamedTuple, Protocol

from .._span import Span
from .._types import SpanKind
from ._read import text


class StreamReader(Protocol):
    """Reads the events of one streamed call into its span."""

    def event(self, value: Any) -> None: ...

    def end(self) -> None:
        """The stream ended, finished or not: write what was gathered into the span."""


class CallShape(NamedTuple):
    kind: SpanKind
    # The first word of the span name, as OpenTelemetry GenAI names operations: `chat gpt-4o`.
    operation: str
    # What the request says: the requested model and, when content is captured, the input.
    request: Callable[[Span, Mapping[str, Any]], None]
    # A whole result.
    response: Callable[[Span, Any], None]
    # A reader for a streamed result; None for methods that never stream.
    stream: Callable[[Span], StreamReader] | None = None


def record_request(
    span: Span, body: Mapping[str, Any], operation: str, content: Callable[[], Any]
) -> None:
    """The name, requested model and input every shape records the same way."""
    model = text(body.get("model"))
    span.name = f"{operation} {model}" if model else operation
    span.request_model = model
    if span.capture_content:
        span.input = content()
