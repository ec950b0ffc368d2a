"""Anthropic's `messages.stream(...)`: a context manager that sends its request on entry."""

from __future__ import annotations

from typing import Any

from ._call import Scope, begin, fail, finish
from ._shape import CallShape


class ObservedStreamManager:
    """Records the stream a `MessageStreamManager` opens. The helper sends the request itself
    rather than through `messages.create`, so its span starts on entry, where the request is
    made, and follows the raw event stream under the `MessageStream` the application gets."""

    def __init__(self, manager: Any, scope: Scope, shape: CallShape, body: dict[str, Any]) -> None:
        self._manager = manager
        self._scope = scope
        self._shape = shape
        self._body = {**body, "stream": True}

    def __enter__(self) -> Any:
        span = begin(self._scope, self._shape, self._body)
        try:
            stream = self._manager.__enter__()
        except BaseException as error:
            if span is not None:
                fail(span, error)
            raise
        if span is not None:
            finish(span, self._shape, True, getattr(stream, "_raw_stream", None))
        return stream

    def __exit__(self, *exc_info: Any) -> Any:
        return self._manager.__exit__(*exc_info)

    async def __aenter__(self) -> Any:
        span = begin(self._scope, self._shape, self._body)
        try:
            stream = await self._manager.__aenter__()
        except BaseException as error:
            if span is not None:
                fail(span, error)
            raise
        if span is not None:
            finish(span, self._shape, True, getattr(stream, "_raw_stream", None))
        return stream

    async def __aexit__(self, *exc_info: Any) -> Any:
        return await self._manager.__aexit__(*exc_info)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)
