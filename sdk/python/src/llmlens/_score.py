"""A score checked the way the collector would check it, before it is queued."""

from __future__ import annotations

import math
import re
from typing import Any

from . import _limits as limits

_TRACE_ID = re.compile(r"^[0-9a-fA-F]{32}$")
_SPAN_ID = re.compile(r"^[0-9a-fA-F]{16}$")


def valid_score(
    *,
    trace_id: object,
    span_id: object,
    name: object,
    value: object,
    label: object,
    comment: object,
    source: object,
    now_ms: float,
) -> dict[str, Any] | str:
    """The wire score, or what is wrong with the input, said the way the collector would say it.

    >>> valid_score(trace_id="x", span_id=None, name="n", value=1, label=None, comment=None,
    ...             source=None, now_ms=0)
    "score.traceId must be 32 hex characters (actual: 'x')"
    """
    if not isinstance(trace_id, str) or not _TRACE_ID.match(trace_id):
        return f"score.traceId must be 32 hex characters (actual: {trace_id!r})"
    if span_id is not None and (not isinstance(span_id, str) or not _SPAN_ID.match(span_id)):
        return f"score.spanId must be 16 hex characters or absent (actual: {span_id!r})"
    if not isinstance(name, str) or not 0 < len(name) <= limits.NAME_LENGTH_MAX:
        return f"score.name must be 1 to {limits.NAME_LENGTH_MAX} characters (actual: {name!r})"
    number = (
        float(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else math.nan
    )
    has_value = math.isfinite(number)
    has_label = isinstance(label, str) and label != ""
    if not has_value and not has_label:
        return (
            f"score {name} needs a value (a finite number) or a label "
            f"(actual: value {value!r}, label {label!r})"
        )
    return {
        "traceId": trace_id.lower(),
        "spanId": span_id.lower() if isinstance(span_id, str) else None,
        "name": name,
        "value": value if has_value else None,
        "label": label[: limits.LABEL_LENGTH_MAX] if isinstance(label, str) and has_label else None,
        "source": source if isinstance(source, str) and source else None,
        "comment": comment[: limits.COMMENT_LENGTH_MAX] if isinstance(comment, str) else None,
        "time": now_ms,
    }
