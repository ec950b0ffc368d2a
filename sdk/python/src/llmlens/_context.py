"""The active span, carried in a `ContextVar`: asyncio tasks start with a copy of their
creator's context, so they nest under the span that created them; a new thread starts empty
unless it runs inside `contextvars.copy_context().run(...)`."""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._span import Span

current: ContextVar[Span | None] = ContextVar("llmlens.span", default=None)

# True where the SDK does its own work (exports), so that nothing there is recorded: an
# application that observes `urllib.request.urlopen` would otherwise record every export, and
# each recorded export would make another.
untraced: ContextVar[bool] = ContextVar("llmlens.untraced", default=False)
