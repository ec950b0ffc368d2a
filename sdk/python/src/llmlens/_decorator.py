"""`@observe`: a span around every call of a function, coroutine function or generator."""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncGenerator, Generator, Mapping
from typing import Any, Callable, TypeVar

from . import _context
from . import _limits as limits
from ._log import warn_once
from ._recorder import Recorder
from ._span import Span
from ._types import SpanKind

F = TypeVar("F", bound=Callable[..., Any])

_RECEIVERS = ("self", "cls")


class _Yielded:
    """What a generator yielded, as its span's output: the text when every item is text (a
    generator of tokens), else the list; at most `GENERATOR_ITEMS_MAX` items are kept."""

    __slots__ = ("_items", "_keep")

    def __init__(self, keep: bool) -> None:
        self._keep = keep
        self._items: list[Any] = []

    def add(self, item: Any) -> None:
        if self._keep and len(self._items) < limits.GENERATOR_ITEMS_MAX:
            self._items.append(item)

    def record(self, span: Span) -> None:
        if not self._keep:
            return
        every_text = all(isinstance(item, str) for item in self._items)
        span.output = "".join(self._items) if every_text and self._items else self._items


class _Call:
    """Everything a decorated function needs per call, prepared once at decoration."""

    def __init__(
        self,
        fn: Callable[..., Any],
        recorder: Callable[[], Recorder],
        name: str | None,
        kind: SpanKind,
        attributes: Mapping[str, Any] | None,
        capture_content: bool | None,
    ) -> None:
        self.name = name or getattr(fn, "__name__", None) or "function"
        self.kind: SpanKind = kind
        self.recorder = recorder
        self.attributes = attributes
        self.capture_content = capture_content
        try:
            self.signature: inspect.Signature | None = inspect.signature(fn)
        except (TypeError, ValueError):
            self.signature = None

    def input_of(self, args: Any, kwargs: dict[str, Any]) -> Any:
        """The arguments by name, without `self` or `cls`: what a reader recognises."""
        if self.signature is None:
            return {"args": list(args), "kwargs": kwargs}
        try:
            arguments = dict(self.signature.bind(*args, **kwargs).arguments)
        except TypeError:
            return {"args": list(args), "kwargs": kwargs}
        first = next(iter(arguments), None)
        if first in _RECEIVERS:
            del arguments[first]
        return arguments

    def start(self, args: Any, kwargs: dict[str, Any]) -> Span | None:
        try:
            span = self.recorder().start_span(
                self.name, self.kind, self.attributes, capture_content=self.capture_content
            )
            if span is not None and span.capture_content:
                span.input = self.input_of(args, kwargs)
            return span
        except Exception as error:
            warn_once(f"llmlens: could not record {self.name}: {error!r}")
            return None


def _sync_wrapper(fn: Callable[..., Any], call: _Call) -> Callable[..., Any]:
    def observed(*args: Any, **kwargs: Any) -> Any:
        span = call.start(args, kwargs)
        if span is None:
            return fn(*args, **kwargs)
        token = _context.current.set(span)
        try:
            result = fn(*args, **kwargs)
        except BaseException as error:
            span.fail(error)
            raise
        else:
            if span.capture_content:
                span.output = result
            return result
        finally:
            _context.current.reset(token)
            span.end()

    return observed


def _async_wrapper(fn: Callable[..., Any], call: _Call) -> Callable[..., Any]:
    async def observed(*args: Any, **kwargs: Any) -> Any:
        span = call.start(args, kwargs)
        if span is None:
            return await fn(*args, **kwargs)
        token = _context.current.set(span)
        try:
            result = await fn(*args, **kwargs)
        except BaseException as error:
            span.fail(error)
            raise
        else:
            if span.capture_content:
                span.output = result
            return result
        finally:
            _context.current.reset(token)
            span.end()

    return observed


def _generator_wrapper(fn: Callable[..., Any], call: _Call) -> Callable[..., Any]:
    """The span is active only while the generator's own code runs, step by step; between
    steps the consumer's context is untouched, so the span cannot leak into it."""

    def observed(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
        span = call.start(args, kwargs)
        if span is None:
            return (yield from fn(*args, **kwargs))
        yielded = _Yielded(span.capture_content)
        generator = fn(*args, **kwargs)
        sent: Any = None
        thrown: BaseException | None = None
        try:
            while True:
                token = _context.current.set(span)
                try:
                    if thrown is not None:
                        error, thrown = thrown, None
                        item = generator.throw(error)
                    else:
                        item = generator.send(sent)
                finally:
                    _context.current.reset(token)
                yielded.add(item)
                try:
                    sent = yield item
                except GeneratorExit:
                    raise
                except BaseException as error:
                    thrown = error
        except StopIteration as stop:
            yielded.record(span)
            span.end()
            return stop.value
        except GeneratorExit:
            token = _context.current.set(span)
            try:
                generator.close()
            finally:
                _context.current.reset(token)
            yielded.record(span)
            span.end()
            raise
        except BaseException as error:
            span.fail(error)
            span.end()
            raise

    return observed


def _finish_generator(span: Span | None, yielded: _Yielded) -> None:
    if span is not None:
        yielded.record(span)
        span.end()


def _async_generator_wrapper(fn: Callable[..., Any], call: _Call) -> Callable[..., Any]:
    """As `_generator_wrapper`, by hand, since an async generator has no `yield from`: values
    sent and exceptions thrown in pass through to the wrapped generator, recorded or not."""

    async def observed(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, Any]:
        span = call.start(args, kwargs)
        generator = fn(*args, **kwargs)
        yielded = _Yielded(span is not None and span.capture_content)
        sent: Any = None
        thrown: BaseException | None = None
        try:
            while True:
                token = None if span is None else _context.current.set(span)
                try:
                    if thrown is not None:
                        error, thrown = thrown, None
                        item = await generator.athrow(error)
                    else:
                        item = await generator.asend(sent)
                finally:
                    if token is not None:
                        _context.current.reset(token)
                yielded.add(item)
                try:
                    sent = yield item
                except GeneratorExit:
                    raise
                except BaseException as error:
                    thrown = error
        except StopAsyncIteration:
            _finish_generator(span, yielded)
        except GeneratorExit:
            token = None if span is None else _context.current.set(span)
            try:
                await generator.aclose()
            finally:
                if token is not None:
                    _context.current.reset(token)
            _finish_generator(span, yielded)
            raise
        except BaseException as error:
            if span is not None:
                span.fail(error)
                span.end()
            raise

    return observed


def decorate(
    fn: F,
    recorder: Callable[[], Recorder],
    *,
    name: str | None,
    kind: SpanKind,
    attributes: Mapping[str, Any] | None,
    capture_content: bool | None,
) -> F:
    call = _Call(fn, recorder, name, kind, attributes, capture_content)
    if inspect.isasyncgenfunction(fn):
        wrapper = _async_generator_wrapper(fn, call)
    elif inspect.iscoroutinefunction(fn):
        wrapper = _async_wrapper(fn, call)
    elif inspect.isgeneratorfunction(fn):
        wrapper = _generator_wrapper(fn, call)
    else:
        wrapper = _sync_wrapper(fn, call)
    return functools.wraps(fn)(wrapper)  # type: ignore[return-value]
