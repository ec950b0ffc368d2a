"""Makes a provider's stream report to a reader without replacing it: the application keeps
the exact object (and class) the client returned."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from .._log import warn_once
from .._span import Span
from ._shape import StreamReader


class _StreamTap:
    """Shows every event to the reader on its way to the application, and ends the span when
    the stream does: exhausted, closed early (a `break`, a `with` block left), or failed."""

    def __init__(self, span: Span, reader: StreamReader) -> None:
        self._span = span
        self._reader = reader
        self._finished = False

    def event(self, value: Any) -> None:
        try:
            self._reader.event(value)
        except Exception as error:
            warn_once(f"llmlens: could not read a stream event: {error!r}")

    def finish(self, error: BaseException | None = None) -> None:
        if self._finished:
            return
        self._finished = True
        try:
            self._reader.end()
        except Exception as failure:
            warn_once(f"llmlens: could not read a stream's end: {failure!r}")
        if error is not None:
            self._span.fail(error)
        self._span.end()

    def iterate(self, source: Iterator[Any]) -> Iterator[Any]:
        try:
            for value in source:
                self.event(value)
                yield value
        except GeneratorExit:
            self.finish()
            close = getattr(source, "close", None)
            if close is not None:
                close()
            raise
        except BaseException as error:
            self.finish(error)
            raise
        self.finish()

    async def iterate_async(self, source: AsyncIterator[Any]) -> AsyncIterator[Any]:
        try:
            async for value in source:
                self.event(value)
                yield value
        except GeneratorExit:
            self.finish()
            aclose = getattr(source, "aclose", None)
            if aclose is not None:
                await aclose()
            raise
        except BaseException as error:
            self.finish(error)
            raise
        self.finish()


def tap_stream(stream: Any, span: Span, reader: StreamReader) -> bool:
    """Taps the `_iterator` through which both official clients' `Stream` and `AsyncStream`
    yield their events (`for`, `next()`, and the helpers built on them), and their `close()`,
    which a `with` block calls on exit. Returns False for a value that is not such a stream."""
    source = getattr(stream, "_iterator", None)
    original_close = getattr(stream, "close", None)
    if source is None or original_close is None:
        return False
    tap = _StreamTap(span, reader)
    if hasattr(source, "__anext__"):

        async def close_async() -> Any:
            tap.finish()
            return await original_close()

        tapped: Any = tap.iterate_async(source)
        close: Any = close_async
    elif hasattr(source, "__next__"):

        def close_sync() -> Any:
            tap.finish()
            return original_close()

        tapped = tap.iterate(source)
        close = close_sync
    else:
        return False
    try:
        stream._iterator = tapped
        stream.close = close
    except AttributeError:
        return False
    return True
