"""`embeddings.create`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._span import Span
from ._read import count, field, items, snapshot, text
from ._shape import CallShape, record_request


def _embeddings_result(span: Span, response: Any) -> None:
    """The vectors themselves are not recorded: thousands of floats per input tell a reader
    nothing and would dwarf every other field. Their count and dimensions are kept instead."""
    if response is None:
        return
    span.model = text(field(response, "model")) or span.model
    input_tokens = count(field(field(response, "usage"), "prompt_tokens"))
    span.usage = None if input_tokens is None else {"inputTokens": input_tokens}
    if not span.capture_content:
        return
    data = items(field(response, "data"))
    first = field(data[0], "embedding") if data else None
    dimensions = len(first) if isinstance(first, list) else None
    span.output = {"embeddings": len(data), "dimensions": dimensions}


def _embeddings_request(span: Span, body: Mapping[str, Any]) -> None:
    record_request(span, body, "embeddings", lambda: snapshot(body.get("input")))


OPENAI_EMBEDDINGS = CallShape("embedding", "embeddings", _embeddings_request, _embeddings_result)
