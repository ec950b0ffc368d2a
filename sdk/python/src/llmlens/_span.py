"""A span while it runs and until the exporter serialises it."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Protocol

from ._attributes import ResolvedAttributes, merge_attributes, own_attributes
from ._clock import Clock
from ._errors import span_error_from
from ._ids import IdGenerator
from ._log import warn_once
from ._types import MetadataValue, SpanError, SpanKind, Usage

_ID_LOCK = threading.Lock()

_USAGE_KEYS = {
    "input_tokens": "inputTokens",
    "output_tokens": "outputTokens",
    "cache_read_tokens": "cacheReadTokens",
    "cache_write_tokens": "cacheWriteTokens",
    "reasoning_tokens": "reasoningTokens",
}


class SpanSink(Protocol):
    """Where ended spans and their scores go: the exporter's queue, or nowhere."""

    def span_ended(self, span: Span) -> None: ...

    def score(
        self,
        name: str,
        value: float | None,
        *,
        label: str | None,
        comment: str | None,
        source: str | None,
        trace_id: str | None,
        span_id: str | None,
    ) -> None: ...


# `SpanError` keys and their wire names; the wire's own `httpStatus` is understood too.
_ERROR_KEYS = {"type": "type", "message": "message", "http_status": "httpStatus"}
_ERROR_KEYS_WIRE = {**_ERROR_KEYS, "httpStatus": "httpStatus"}


def _wire_error(value: object) -> dict[str, Any] | None:
    """A `SpanError` in the wire's spelling, or None for anything else."""
    if not isinstance(value, dict) or not all(key in _ERROR_KEYS_WIRE for key in value):
        return None
    return {_ERROR_KEYS_WIRE[key]: field for key, field in value.items()}


class Span:
    """A span of a trace: a model call, a tool, a retrieval, an agent step, or the trace's root.

    The `with trace(...)` and `with span(...)` blocks hand one out; so does `current_span()`.

    >>> from llmlens import span
    >>> with span("search docs", kind="retrieval") as s:
    ...     s.update(output=["doc-1", "doc-7"], metadata={"hits": 2})
    """

    __slots__ = (
        "_clock",
        "_ids",
        "_result",
        "_result_reader",
        "_sink",
        "_span_id",
        "_start_monotonic_ms",
        "_trace_id",
        "attributes",
        "capture_content",
        "cost_usd",
        "end_time",
        "error",
        "finish_reason",
        "input",
        "kind",
        "model",
        "name",
        "output",
        "parent_span_id",
        "provider",
        "request_model",
        "sampled",
        "start_time",
        "status",
        "time_to_first_token_ms",
        "usage",
    )

    def __init__(
        self,
        *,
        trace_id: str | None,
        parent_span_id: str | None,
        name: str,
        kind: SpanKind,
        attributes: ResolvedAttributes,
        sampled: bool,
        capture_content: bool,
        sink: SpanSink,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._trace_id = trace_id
        self._span_id: str | None = None
        self._ids = ids
        self.parent_span_id = parent_span_id
        self.name = name
        self.kind: SpanKind = kind
        self.attributes = attributes
        self.sampled = sampled
        self.capture_content = capture_content
        self._sink = sink
        self._clock = clock
        self.start_time = clock.wall_ms()
        self._start_monotonic_ms = clock.monotonic_ms()
        self.end_time: float | None = None
        self.provider: str | None = None
        self.model: str | None = None
        self.request_model: str | None = None
        self.status = "ok"
        self.error: dict[str, Any] | None = None
        self.usage: dict[str, Any] | None = None
        self.cost_usd: float | None = None
        self.time_to_first_token_ms: float | None = None
        self.finish_reason: str | None = None
        self.input: Any = None
        self.output: Any = None
        self._result_reader: Callable[[Span, Any], None] | None = None
        self._result: Any = None

    @property
    def trace_id(self) -> str:
        """The trace's id: 32 lower-case hex characters."""
        trace_id = self._trace_id
        return self._new_id(True) if trace_id is None else trace_id

    @property
    def span_id(self) -> str:
        """This span's id: 16 lower-case hex characters."""
        span_id = self._span_id
        return self._new_id(False) if span_id is None else span_id

    def _new_id(self, trace: bool) -> str:
        # Ids are made on first use, which for most spans is their serialisation on the
        # exporter's thread: two random draws fewer on the application's. The lock keeps the
        # first use on two threads at once from making two ids.
        with _ID_LOCK:
            if trace:
                if self._trace_id is None:
                    self._trace_id = self._ids.trace_id()
                return self._trace_id
            if self._span_id is None:
                self._span_id = self._ids.span_id()
            return self._span_id

    def elapsed_ms(self) -> float:
        """Milliseconds since the span started, from the monotonic clock."""
        return self._clock.monotonic_ms() - self._start_monotonic_ms

    def update(
        self,
        *,
        name: str | None = None,
        provider: str | None = None,
        model: str | None = None,
        request_model: str | None = None,
        usage: Usage | None = None,
        cost_usd: float | None = None,
        finish_reason: str | None = None,
        time_to_first_token_ms: float | None = None,
        input: Any = None,
        output: Any = None,
        error: BaseException | SpanError | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        endpoint: str | None = None,
        environment: str | None = None,
        release: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, MetadataValue] | None = None,
    ) -> None:
        """Sets fields of this span; later calls overwrite earlier ones field by field, tags add
        up and metadata merges. `None` leaves a field as it is. Content (`input`, `output`) is
        kept only where content capture is on.

        >>> from llmlens import span
        >>> with span("rerank", kind="chain") as s:
        ...     s.update(input={"query": "refund policy"}, output=["doc-7"], tags=["rerank-v2"])
        """
        if self.end_time is not None:
            return
        if name is not None:
            self.name = name
        if provider is not None:
            self.provider = provider
        if model is not None:
            self.model = model
        if request_model is not None:
            self.request_model = request_model
        if usage is not None:
            wire = {_USAGE_KEYS[key]: value for key, value in usage.items() if key in _USAGE_KEYS}
            self.usage = {**(self.usage or {}), **wire}
        if cost_usd is not None:
            self.cost_usd = cost_usd
        if finish_reason is not None:
            self.finish_reason = finish_reason
        if time_to_first_token_ms is not None:
            self.time_to_first_token_ms = time_to_first_token_ms
        if input is not None and self.capture_content:
            self.input = input
        if output is not None and self.capture_content:
            self.output = output
        if error is not None:
            self.fail(error)
        own = own_attributes(
            user_id=user_id,
            session_id=session_id,
            endpoint=endpoint,
            environment=environment,
            release=release,
            tags=tags,
            metadata=metadata,
        )
        self.attributes = merge_attributes(self.attributes, own)

    def score(
        self,
        name: str,
        value: float | None = None,
        *,
        label: str | None = None,
        comment: str | None = None,
        source: str | None = None,
    ) -> None:
        """Records a score of this span (see `llmlens.score`).

        >>> from llmlens import span
        >>> with span("answer") as s:
        ...     s.score("grounded", 1.0, source="eval")
        """
        self._sink.score(
            name,
            value,
            label=label,
            comment=comment,
            source=source,
            trace_id=self.trace_id,
            span_id=self.span_id,
        )

    def read_later(self, reader: Callable[[Span, Any], None], result: Any) -> None:
        """Has `reader` read a call's result into this span when the exporter serialises it,
        on its own thread: reading a provider's response object costs more than the rest of
        the call's recording together, and nothing needs its fields sooner."""
        self._result_reader = reader
        self._result = result

    def read_result(self) -> None:
        """Runs the reader `read_later` left, once; a reader that fails leaves the span as it
        was and is logged."""
        reader, result = self._result_reader, self._result
        if reader is None:
            return
        self._result_reader = self._result = None
        try:
            reader(self, result)
        except Exception as error:
            warn_once(f"llmlens: could not record a result: {error!r}")

    def mark_first_token(self) -> None:
        """Records the first streamed token; later calls change nothing."""
        if self.time_to_first_token_ms is None:
            self.time_to_first_token_ms = self.elapsed_ms()

    def fail(self, error: BaseException | SpanError | dict[str, Any]) -> None:
        """Marks the span failed, with an exception or a `SpanError`."""
        self.status = "error"
        if isinstance(error, BaseException):
            self.error = span_error_from(error)
            return
        wire = _wire_error(error)
        self.error = wire if wire is not None else {"type": "unknown", "message": repr(error)}

    def end(self) -> None:
        """Ends the span once and hands it to its sink; later calls change nothing."""
        if self.end_time is not None:
            return
        self.end_time = self.start_time + self.elapsed_ms()
        self._sink.span_ended(self)

    def __repr__(self) -> str:
        return f"<llmlens.Span {self.name!r} trace={self.trace_id} span={self.span_id}>"
