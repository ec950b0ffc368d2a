"""Starts spans with the right parent, attributes and sampling decision, and hands finished
ones to the exporter. Everything an instrumentation needs from the SDK goes through here."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from . import _context
from ._attributes import merge_attributes
from ._clock import SYSTEM_CLOCK, Clock
from ._config import Config
from ._export._exporter import Exporter
from ._export._transport import Transport
from ._ids import RANDOM_IDS, IdGenerator
from ._log import warn_once
from ._score import valid_score
from ._span import Span
from ._types import SpanKind


class Recorder:
    def __init__(
        self,
        config: Config,
        *,
        clock: Clock = SYSTEM_CLOCK,
        ids: IdGenerator = RANDOM_IDS,
        transport: Transport | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self._ids = ids
        self.exporter = Exporter(config, transport)

    def start_span(
        self,
        name: str,
        kind: SpanKind,
        attributes: Mapping[str, Any] | None = None,
        *,
        capture_content: bool | None = None,
        root: bool = False,
    ) -> Span | None:
        """A new span under the active one (or a new trace's root), or None when nothing may be
        recorded."""
        if not self.config.enabled or _context.untraced.get():
            return None
        parent = None if root else _context.current.get()
        if parent is None:
            trace_id = None
            sampled = self._sample_new_trace()
            inherited = self.config.attributes
            inherited_capture = self.config.capture_content
        else:
            trace_id = parent.trace_id
            sampled = parent.sampled
            inherited = parent.attributes
            inherited_capture = parent.capture_content
        return Span(
            trace_id=trace_id,
            parent_span_id=None if parent is None else parent.span_id,
            name=name,
            kind=kind,
            attributes=merge_attributes(inherited, attributes),
            sampled=sampled,
            capture_content=inherited_capture if capture_content is None else capture_content,
            sink=self,
            clock=self.clock,
            ids=self._ids,
        )

    def span_ended(self, span: Span) -> None:
        if span.sampled:
            self.exporter.enqueue(span)
        else:
            self.exporter.count_sampled_out()

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
    ) -> None:
        if not self.config.enabled:
            return
        checked = valid_score(
            trace_id=trace_id,
            span_id=span_id,
            name=name,
            value=value,
            label=label,
            comment=comment,
            source=source,
            now_ms=self.clock.wall_ms(),
        )
        if isinstance(checked, str):
            warn_once(f"llmlens: {checked}; the score was not sent")
        else:
            self.exporter.enqueue(checked)

    def _sample_new_trace(self) -> bool:
        rate = self.config.sample_rate
        return rate >= 1 or (rate > 0 and random.random() < rate)
