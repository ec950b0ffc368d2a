"""`with trace(...)` and `with span(...)`: a span that is the active one inside the block."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import Token
from typing import Any, Callable

from . import _context
from ._attributes import NO_ATTRIBUTES
from ._recorder import Recorder
from ._span import Span
from ._types import SpanKind


class _NullSink:
    def span_ended(self, span: Span) -> None:
        return None

    def score(self, *args: Any, **kwargs: Any) -> None:
        return None


class _ZeroIds:
    def trace_id(self) -> str:
        return "0" * 32

    def span_id(self) -> str:
        return "0" * 16


_ZERO_IDS = _ZeroIds()


class _NullClock:
    def wall_ms(self) -> float:
        return 0.0

    def monotonic_ms(self) -> float:
        return 0.0


def inert_span() -> Span:
    """Handed out when nothing is recorded (disabled, or the SDK failed), so the
    application's code needs no checks: every method works and changes nothing."""
    span = Span(
        trace_id="0" * 32,
        parent_span_id=None,
        name="inert",
        kind="span",
        attributes=NO_ATTRIBUTES,
        sampled=False,
        capture_content=False,
        sink=_NullSink(),
        clock=_NullClock(),
        ids=_ZERO_IDS,
    )
    span.end()
    return span


class SpanScope:
    """The context manager `trace()` and `span()` return; also an async context manager. On
    exit the span ends, with the exception that left the block, if one did, as its error."""

    __slots__ = (
        "_attributes",
        "_capture_content",
        "_input",
        "_kind",
        "_name",
        "_recorder",
        "_root",
        "_span",
        "_token",
    )

    def __init__(
        self,
        recorder: Callable[[], Recorder],
        name: str,
        kind: SpanKind,
        attributes: Mapping[str, Any] | None,
        *,
        input: Any,
        capture_content: bool | None,
        root: bool,
    ) -> None:
        self._recorder = recorder
        self._name = name
        self._kind: SpanKind = kind
        self._attributes = attributes
        self._input = input
        self._capture_content = capture_content
        self._root = root
        self._span: Span | None = None
        self._token: Token[Span | None] | None = None

    def __enter__(self) -> Span:
        try:
            span = self._recorder().start_span(
                self._name,
                self._kind,
                self._attributes,
                capture_content=self._capture_content,
                root=self._root,
            )
        except Exception:
            span = None
        if span is None:
            return inert_span()
        if self._input is not None and span.capture_content:
            span.input = self._input
        self._span = span
        self._token = _context.current.set(span)
        return span

    def __exit__(self, exc_type: Any, error: BaseException | None, traceback: Any) -> None:
        span, token = self._span, self._token
        self._span = self._token = None
        if span is None or token is None:
            return
        try:
            _context.current.reset(token)
        except ValueError:
            # Left in another context than it was entered in (a generator resumed elsewhere):
            # the entering context keeps its value; this one never had it.
            pass
        if error is not None:
            span.fail(error)
        span.end()

    async def __aenter__(self) -> Span:
        return self.__enter__()

    async def __aexit__(self, exc_type: Any, error: BaseException | None, traceback: Any) -> None:
        self.__exit__(exc_type, error, traceback)
