"""The shapes the public API takes and returns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Literal, Optional, TypedDict, Union

SpanKind = Literal["llm", "embedding", "tool", "retrieval", "agent", "chain", "span"]
SPAN_KINDS = ("llm", "embedding", "tool", "retrieval", "agent", "chain", "span")

ErrorCategory = Literal[
    "rate_limit",
    "timeout",
    "auth",
    "invalid_request",
    "context_length",
    "content_filter",
    "server_error",
    "network",
    "cancelled",
    "unknown",
]

MetadataValue = Union[str, int, float, bool, None]
Metadata = Mapping[str, MetadataValue]

# A span exactly as it is sent to `POST /api/v1/ingest` (camelCase keys, as the contract has
# them); the `redact` hook receives and returns one.
WireSpan = dict[str, Any]
Redact = Callable[[WireSpan], Optional[WireSpan]]


class Usage(TypedDict, total=False):
    """Token usage of one call, in the contract's meaning."""

    input_tokens: int
    """All input tokens, cache reads and writes included."""
    output_tokens: int
    """All output tokens, reasoning included."""
    cache_read_tokens: int
    cache_write_tokens: int
    reasoning_tokens: int


class SpanError(TypedDict, total=False):
    """Why a span failed, when it is not an exception: a category (or the provider's own type),
    a message and an HTTP status. The server derives a category from the status or the message
    when `type` is not one."""

    type: str
    message: str
    http_status: int
