"""One SDK instance: its configuration, recorder and exporter, and the API over them."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Callable, TypeVar, overload

from . import _context
from ._attributes import own_attributes
from ._config import resolve_config
from ._decorator import decorate
from ._export._exporter import FLUSH_TIMEOUT_MS_DEFAULT, ExporterStats
from ._log import warn_once
from ._observe._proxy import observe_client
from ._recorder import Recorder
from ._scopes import SpanScope
from ._span import Span
from ._types import SPAN_KINDS, MetadataValue, Redact, SpanKind

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def _kind(kind: str | None, default: SpanKind) -> SpanKind:
    if kind is None:
        return default
    if kind in SPAN_KINDS:
        return kind  # type: ignore[return-value]
    allowed = ", ".join(SPAN_KINDS)
    warn_once(f"llmlens: kind must be one of {allowed} (actual: {kind!r}); using {default!r}")
    return default


class Llmlens:
    """An SDK instance of its own, for an application that needs two (two collectors, or a
    test). The module-level functions (`observe`, `trace`, …) share one made by `init()`.

    >>> lens = Llmlens(url="http://127.0.0.1:4380", release="2026.12.1", flush_on_exit=False)
    >>> with lens.trace("nightly eval"):
    ...     pass
    >>> lens.shutdown()
    True
    """

    def __init__(
        self,
        *,
        url: str | None = None,
        api_key: str | None = None,
        enabled: bool | None = None,
        sample_rate: float | None = None,
        capture_content: bool | None = None,
        content_length_max: int | None = None,
        queue_size_max: int | None = None,
        batch_size_max: int | None = None,
        flush_interval_ms: int | None = None,
        export_timeout_ms: int | None = None,
        gzip: bool | None = None,
        flush_on_exit: bool | None = None,
        redact: Redact | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        endpoint: str | None = None,
        environment: str | None = None,
        release: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, MetadataValue] | None = None,
        _recorder: Recorder | None = None,
    ) -> None:
        options = {
            key: value for key, value in locals().items() if key not in ("self", "_recorder")
        }
        self.recorder = _recorder or Recorder(resolve_config(options, os.environ))

    def _get_recorder(self) -> Recorder:
        return self.recorder

    @overload
    def observe(
        self,
        target: None = None,
        /,
        *,
        name: str | None = None,
        kind: SpanKind | None = None,
        capture_content: bool | None = None,
        provider: str | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        endpoint: str | None = None,
        environment: str | None = None,
        release: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, MetadataValue] | None = None,
    ) -> Callable[[F], F]: ...

    @overload
    def observe(
        self,
        target: T,
        /,
        *,
        name: str | None = None,
        kind: SpanKind | None = None,
        capture_content: bool | None = None,
        provider: str | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        endpoint: str | None = None,
        environment: str | None = None,
        release: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, MetadataValue] | None = None,
    ) -> T: ...

    def observe(
        self,
        target: Any = None,
        /,
        *,
        name: str | None = None,
        kind: SpanKind | None = None,
        capture_content: bool | None = None,
        provider: str | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        endpoint: str | None = None,
        environment: str | None = None,
        release: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, MetadataValue] | None = None,
    ) -> Any:
        """See `llmlens.observe`."""
        return observe_with(
            self._get_recorder,
            target,
            name=name,
            kind=kind,
            capture_content=capture_content,
            provider=provider,
            user_id=user_id,
            session_id=session_id,
            endpoint=endpoint,
            environment=environment,
            release=release,
            tags=tags,
            metadata=metadata,
        )

    def trace(
        self,
        name: str,
        *,
        kind: SpanKind | None = None,
        input: Any = None,
        capture_content: bool | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        endpoint: str | None = None,
        environment: str | None = None,
        release: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, MetadataValue] | None = None,
    ) -> SpanScope:
        """See `llmlens.trace`."""
        return scope_with(
            self._get_recorder,
            name,
            _kind(kind, "chain"),
            root=True,
            input=input,
            capture_content=capture_content,
            user_id=user_id,
            session_id=session_id,
            endpoint=endpoint,
            environment=environment,
            release=release,
            tags=tags,
            metadata=metadata,
        )

    def span(
        self,
        name: str,
        *,
        kind: SpanKind | None = None,
        input: Any = None,
        capture_content: bool | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        endpoint: str | None = None,
        environment: str | None = None,
        release: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, MetadataValue] | None = None,
    ) -> SpanScope:
        """See `llmlens.span`."""
        return scope_with(
            self._get_recorder,
            name,
            _kind(kind, "span"),
            root=False,
            input=input,
            capture_content=capture_content,
            user_id=user_id,
            session_id=session_id,
            endpoint=endpoint,
            environment=environment,
            release=release,
            tags=tags,
            metadata=metadata,
        )

    def score(
        self,
        name: str,
        value: float | None = None,
        *,
        label: str | None = None,
        comment: str | None = None,
        source: str | None = None,
        trace_id: str | None = None,
        span_id: str | None = None,
    ) -> None:
        """See `llmlens.score`."""
        if trace_id is None:
            active = _context.current.get()
            trace_id = None if active is None else active.trace_id
        if trace_id is None:
            warn_once(
                f"llmlens: score {name!r} has no trace: pass trace_id=..., or call score() "
                "inside a trace; the score was not sent"
            )
            return
        self.recorder.score(
            name,
            value,
            label=label,
            comment=comment,
            source=source,
            trace_id=trace_id,
            span_id=span_id,
        )

    def flush(self, timeout_ms: float = FLUSH_TIMEOUT_MS_DEFAULT) -> bool:
        """See `llmlens.flush`."""
        return self.recorder.exporter.flush(timeout_ms)

    def shutdown(self, timeout_ms: float = FLUSH_TIMEOUT_MS_DEFAULT) -> bool:
        """See `llmlens.shutdown`."""
        return self.recorder.exporter.shutdown(timeout_ms)

    def stats(self) -> ExporterStats:
        """See `llmlens.stats`."""
        return self.recorder.exporter.stats()


def observe_with(
    recorder: Callable[[], Recorder],
    target: Any,
    *,
    name: str | None,
    kind: SpanKind | None,
    capture_content: bool | None,
    provider: str | None,
    **attributes: Any,
) -> Any:
    """`observe()` over the recorder `recorder()` returns at each call: the module-level API
    passes one that reads the shared instance then, so that what is observed at import time
    (decorated functions, clients made before `init()`) records into the instance `init()`
    makes later."""
    own = own_attributes(**attributes)
    span_kind = _kind(kind, "span")

    def decorator(fn: F) -> F:
        return decorate(
            fn, recorder, name=name, kind=span_kind, attributes=own, capture_content=capture_content
        )

    if target is None:
        return decorator
    client = observe_client(target, recorder, own, capture_content, provider)
    if client is not None:
        return client
    if callable(target):
        return decorator(target)
    warn_once(
        f"llmlens: observe() takes an OpenAI or Anthropic client or a function "
        f"(actual: {type(target).__name__}); returned it unobserved"
    )
    return target


def scope_with(
    recorder: Callable[[], Recorder],
    name: str,
    kind: SpanKind,
    *,
    root: bool,
    input: Any,
    capture_content: bool | None,
    **attributes: Any,
) -> SpanScope:
    """`trace()` (`root=True`) or `span()` over the recorder `recorder()` returns on entry."""
    return SpanScope(
        recorder,
        name,
        kind,
        own_attributes(**attributes),
        input=input,
        capture_content=capture_content,
        root=root,
    )


def current_span() -> Span | None:
    """The span the calling code runs in, or None outside any."""
    return _context.current.get()
