"""The module-level API, over one shared SDK instance made by `init()` or on first use."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any, Callable, TypeVar, overload

from ._export._exporter import FLUSH_TIMEOUT_MS_DEFAULT, ExporterStats
from ._llmlens import Llmlens, _kind, observe_with, scope_with
from ._recorder import Recorder
from ._scopes import SpanScope
from ._types import MetadataValue, Redact, SpanKind

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

_shared: Llmlens | None = None
_shared_lock = threading.Lock()


def _instance() -> Llmlens:
    shared = _shared
    if shared is not None:
        return shared
    with _shared_lock:
        if _shared is None:
            _replace(Llmlens())
        assert _shared is not None
        return _shared


def _replace(lens: Llmlens) -> None:
    global _shared
    _shared = lens


def _recorder() -> Recorder:
    # Resolved on every call and every span, so that clients and functions observed before
    # `init()` (at import time, typically) record into the instance it makes.
    return _instance().recorder


def init(
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
) -> Llmlens:
    """Configures the module-level functions. Optional: without it, settings come from the
    `LLMLENS_*` environment variables and defaults. Calling it again replaces the instance; the
    old one flushes and stops in the background.

    >>> import llmlens
    >>> lens = llmlens.init(url="http://127.0.0.1:4380", release="1.4.2", sample_rate=0.25)
    """
    lens = Llmlens(
        url=url,
        api_key=api_key,
        enabled=enabled,
        sample_rate=sample_rate,
        capture_content=capture_content,
        content_length_max=content_length_max,
        queue_size_max=queue_size_max,
        batch_size_max=batch_size_max,
        flush_interval_ms=flush_interval_ms,
        export_timeout_ms=export_timeout_ms,
        gzip=gzip,
        flush_on_exit=flush_on_exit,
        redact=redact,
        user_id=user_id,
        session_id=session_id,
        endpoint=endpoint,
        environment=environment,
        release=release,
        tags=tags,
        metadata=metadata,
    )
    with _shared_lock:
        previous = _shared
        _replace(lens)
    if previous is not None:
        threading.Thread(target=previous.shutdown, name="llmlens-shutdown", daemon=True).start()
    return lens


@overload
def observe(
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
    """Records what a client or a function does.

    Given an OpenAI or Anthropic client (sync or async), returns it with every model call
    recorded: chat completions, responses, embeddings, messages, streamed or not. The result
    behaves as the client and passes `isinstance`; the attributes given apply to every call
    through it, and observing it again layers more attributes on a new object.

    Given a function, or used as a decorator, records a span around every call: of a plain
    function, a coroutine function, a generator or an async generator. `name` defaults to the
    function's name and `kind` to `span`; the arguments are the input and the result (the
    yielded items of a generator) the output.

    >>> from openai import OpenAI
    >>> client = observe(OpenAI())
    >>> per_user = observe(client, user_id="u-17", endpoint="/api/chat")
    >>> @observe(kind="tool")
    ... def get_weather(city: str) -> str:
    ...     return "sunny"
    """
    return observe_with(
        _recorder,
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
    """A new trace whose root span is active inside the `with` (or `async with`) block: model
    calls, `span()` blocks and decorated functions inside land under it and inherit its
    attributes. An exception leaving the block marks the span failed and goes on unchanged.
    `kind` defaults to `chain`.

    >>> with trace("answer question", user_id="u-17", session_id="s-3") as root:
    ...     root.update(input={"question": "What is our refund policy?"})
    """
    return scope_with(
        _recorder,
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
    """A span under the active one (or a new trace's root outside any), active inside the
    `with` block: a tool call, a retrieval, an agent step. `kind` defaults to `span`.

    >>> with span("search docs", kind="retrieval", input={"query": "refunds"}) as s:
    ...     s.update(output=["doc-7"])
    """
    return scope_with(
        _recorder,
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
    name: str,
    value: float | None = None,
    *,
    label: str | None = None,
    comment: str | None = None,
    source: str | None = None,
    trace_id: str | None = None,
    span_id: str | None = None,
) -> None:
    """Records user feedback or an evaluation: a number (`value`) or a category (`label`).
    Scores the trace given by `trace_id` (and one of its spans with `span_id`), or, without
    one, the trace the calling code runs in. An invalid score is logged, never raised.

    >>> score("helpfulness", 0.8, source="user", comment="great", trace_id="4bf9" * 8)
    >>> score("thumbs", label="down", source="user", trace_id="4bf9" * 8, span_id="00f0" * 4)
    """
    _instance().score(
        name,
        value,
        label=label,
        comment=comment,
        source=source,
        trace_id=trace_id,
        span_id=span_id,
    )


def flush(timeout_ms: float = FLUSH_TIMEOUT_MS_DEFAULT) -> bool:
    """Sends everything recorded so far: True when done, False after `timeout_ms`. Short-lived
    programs (scripts, serverless handlers) call it before they return; the SDK also flushes
    at interpreter exit.

    >>> flush(2000)
    True
    """
    return _instance().flush(timeout_ms)


def shutdown(timeout_ms: float = FLUSH_TIMEOUT_MS_DEFAULT) -> bool:
    """Flushes and stops recording; later spans are dropped and counted.

    >>> import signal, sys
    >>> _ = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0 if shutdown() else 1))
    """
    return _instance().shutdown(timeout_ms)


def stats() -> ExporterStats:
    """The exporter's counters: queued, dropped, exported, failed, rejected, sampled out.

    >>> stats().dropped
    0
    """
    return _instance().stats()
