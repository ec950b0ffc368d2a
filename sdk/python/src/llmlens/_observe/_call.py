"""One call of a known API method, recorded as one span."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Mapping
from typing import Any, Callable, NamedTuple

from .._log import warn_once
from .._recorder import Recorder
from .._span import Span
from ._shape import CallShape
from ._stream_tap import tap_stream


class Scope(NamedTuple):
    """What `observe(client, ...)` was told: it applies to every call through the client."""

    recorder: Callable[[], Recorder]
    attributes: Mapping[str, Any] | None
    capture_content: bool | None
    provider: str


def _warn(what: str, error: Exception) -> None:
    warn_once(f"llmlens: could not record {what}: {error!r}")


def begin(scope: Scope, shape: CallShape, body: Mapping[str, Any]) -> Span | None:
    """The call's span, or None when nothing is to be recorded. Never raises."""
    try:
        span = scope.recorder().start_span(
            shape.operation, shape.kind, scope.attributes, capture_content=scope.capture_content
        )
    except Exception as error:
        _warn("a call", error)
        return None
    if span is None:
        return None
    if not span.sampled:
        span.end()
        return None
    span.provider = scope.provider
    try:
        shape.request(span, body)
    except Exception as error:
        _warn("a request", error)
    return span


# The header both official clients add to a request made through `with_raw_response` or
# `with_streaming_response`: the method then returns the HTTP response, parsed on demand.
_RAW_RESPONSE_HEADER = "X-Stainless-Raw-Response"


def _asks_raw(kwargs: Mapping[str, Any]) -> bool:
    headers = kwargs.get("extra_headers")
    return isinstance(headers, Mapping) and _RAW_RESPONSE_HEADER in headers


def _parse_raw(response: Any) -> Any:
    """What a raw response holds: the clients cache `parse()` per target type, so the
    application's own later `parse()` gets this same object (a tapped stream, when streamed)
    and nothing is read twice."""
    try:
        return response.parse()
    except Exception as error:
        _warn("a raw response", error)
        return None


def fail(span: Span, error: BaseException) -> None:
    span.fail(error)
    span.end()


def finish(span: Span, shape: CallShape, streamed: bool, result: Any) -> None:
    """Ends the span with its result, read later by the exporter; a stream keeps the span open
    until it ends, and is read event by event as the application reads it."""
    open_stream = False
    try:
        if streamed and shape.stream is not None:
            open_stream = tap_stream(result, span, shape.stream(span))
    except Exception as error:
        _warn("a result", error)
    if not open_stream:
        span.read_later(shape.response, result)
        span.end()


async def _finish_awaited(
    span: Span, shape: CallShape, streamed: bool, raw: bool, pending: Awaitable[Any]
) -> Any:
    try:
        result = await pending
    except BaseException as error:
        fail(span, error)
        raise
    data = result
    if raw:
        data = _parse_raw(result)
        if inspect.isawaitable(data):
            try:
                data = await data
            except Exception as error:
                _warn("a raw response", error)
                data = None
    finish(span, shape, streamed, data)
    return result


def observed_call(
    scope: Scope, shape: CallShape, method: Callable[..., Any], args: Any, kwargs: dict[str, Any]
) -> Any:
    """Calls `method` and records it. An async client's method returns a coroutine; the
    caller gets one back that records when awaited, so the same code serves both clients."""
    span = begin(scope, shape, kwargs)
    if span is None:
        return method(*args, **kwargs)
    streamed = kwargs.get("stream") is True
    raw = _asks_raw(kwargs)
    try:
        result = method(*args, **kwargs)
    except BaseException as error:
        fail(span, error)
        raise
    if inspect.isawaitable(result):
        return _finish_awaited(span, shape, streamed, raw, result)
    finish(span, shape, streamed, _parse_raw(result) if raw else result)
    return result
