"""Finished spans and scores in the contract's shape, and as JSON text."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from typing import Any

from . import _limits as limits
from ._span import Span

_USAGE_KEYS = (
    "inputTokens",
    "outputTokens",
    "cacheReadTokens",
    "cacheWriteTokens",
    "reasoningTokens",
)
_UNSERIALISABLE = json.dumps("[llmlens: content could not be serialised as JSON]")
# Compact, as JavaScript's `JSON.stringify` writes it: the same content has the same length in
# both SDKs, so both cut it at the same place, and a batch is a fifth smaller than with spaces.
_SEPARATORS = (",", ":")


def _cut(value: str | None, length_max: int) -> str | None:
    if not isinstance(value, str):
        return None if value is None else _cut(str(value), length_max)
    return value[:length_max] if len(value) > length_max else value


def _label(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if type(value) is str and len(value) <= limits.LABEL_LENGTH_MAX:
        return value
    return _cut(value, limits.LABEL_LENGTH_MAX)


def _tokens(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return min(round(value), limits.TOKENS_MAX)


def _usage(usage: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Only the counts the provider reported, so "not reported" stays distinct from zero."""
    if usage is None:
        return None
    return {key: _tokens(usage[key]) for key in _USAGE_KEYS if key in usage}


def _number_in(value: object, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return _whole(value) if math.isfinite(value) and 0 <= value <= high else None


def _whole(value: float) -> float:
    """A float that holds a whole number as an int, which JSON writes as `840`, not `840.0`."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not metadata:
        return out
    for key, value in metadata.items():
        if len(out) == limits.METADATA_KEYS_MAX:
            break
        if not isinstance(key, str) or len(key) > limits.METADATA_KEY_LENGTH_MAX:
            continue
        if isinstance(value, str):
            out[key] = _cut(value, limits.METADATA_VALUE_LENGTH_MAX)
        elif isinstance(value, bool) or value is None:
            out[key] = value
        elif isinstance(value, (int, float)):
            out[key] = value if math.isfinite(value) else None
        else:
            text = _safe_json(value) or str(value)
            out[key] = _cut(text, limits.METADATA_VALUE_LENGTH_MAX)
    return out


def _tags(tags: tuple[str, ...]) -> list[str]:
    if not tags:
        return []
    kept = [tag for tag in tags if isinstance(tag, str)][: limits.TAGS_PER_SPAN_MAX]
    return [tag[: limits.TAG_LENGTH_MAX] for tag in kept]


def _error(error: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if error is None:
        return None
    out: dict[str, Any] = {}
    if "type" in error:
        out["type"] = _label(error["type"])
    if "message" in error:
        out["message"] = _cut(error["message"], limits.ERROR_MESSAGE_LENGTH_MAX)
    if "httpStatus" in error:
        status = error["httpStatus"]
        valid = isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599
        out["httpStatus"] = status if valid else None
    return out


def to_wire_span(span: Span) -> dict[str, Any]:
    """The contract's span from a finished span: every label cut to its limit, every number
    checked, so that what leaves the process is never refused for its form."""
    span.read_result()
    attributes = span.attributes
    model = _label(span.model or span.request_model)
    request_model = _label(span.request_model)
    wire: dict[str, Any] = {
        "traceId": span.trace_id,
        "spanId": span.span_id,
        "parentSpanId": span.parent_span_id,
        "name": _cut(span.name, limits.NAME_LENGTH_MAX) or "span",
        "kind": span.kind,
        "startTime": _whole(span.start_time),
        "endTime": _whole(span.start_time if span.end_time is None else span.end_time),
        "provider": _label(span.provider),
        "model": model,
        "endpoint": _label(attributes.endpoint),
        "status": span.status,
        "error": _error(span.error),
        "usage": _usage(span.usage),
        "costUsd": _number_in(span.cost_usd, limits.COST_USD_MAX),
        "timeToFirstTokenMs": _number_in(span.time_to_first_token_ms, limits.DURATION_MS_MAX),
        "finishReason": _label(span.finish_reason),
        "userId": _label(attributes.user_id),
        "sessionId": _label(attributes.session_id),
        "environment": _label(attributes.environment),
        "release": _label(attributes.release),
        "tags": _tags(attributes.tags),
        "metadata": _metadata(attributes.metadata),
        "input": span.input,
        "output": span.output,
    }
    if request_model is not None and request_model != model:
        wire["requestModel"] = request_model
    return wire


def plain(value: Any) -> Any:
    """What `json` cannot serialise by itself, as JSON values: provider objects (pydantic
    models) as the fields the API sent, dataclasses as dicts, anything else as its text."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        try:
            return dump(mode="json", exclude_unset=True)
        except Exception:
            return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    return str(value)


# Made once: `json.dumps` with any argument but the value builds a new encoder per call, which
# costs about as much as encoding a short message does.
_CONTENT_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, default=plain, separators=_SEPARATORS
)
_HEAD_ENCODER = json.JSONEncoder(ensure_ascii=False, default=plain, separators=_SEPARATORS)


def _safe_json(value: Any) -> str | None:
    try:
        return _CONTENT_ENCODER.encode(value)
    except (ValueError, TypeError, RecursionError):
        return None


def content_json(value: Any, length_max: int) -> str:
    """Serialised content, cut past `length_max` with the same visible marker the server uses,
    so a reader sees that and how much was cut. Content that cannot be serialised (cycles,
    NaN) becomes a marker too: losing a prompt is better than losing the call."""
    if value is None:
        return "null"
    text = _safe_json(value)
    if text is None:
        return _UNSERIALISABLE
    if len(text) <= length_max:
        return text
    marker = f"…[truncated by llmlens: {len(text)} characters, limit {length_max}]"
    return json.dumps(text[: max(0, length_max - len(marker))] + marker, ensure_ascii=False)


def copy_json(value: Any) -> Any:
    """A plain-JSON deep copy, so a `redact` hook cannot change the application's objects."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    text = _safe_json(value)
    return json.loads(_UNSERIALISABLE if text is None else text)


def span_json(wire: Mapping[str, Any], content_length_max: int) -> str:
    """One span as JSON text. Content is serialised once, here, and spliced in, so its length
    is known for truncation without serialising it twice."""
    head = {key: value for key, value in wire.items() if key not in ("input", "output")}
    head_json = _HEAD_ENCODER.encode(head)
    input_json = content_json(wire.get("input"), content_length_max)
    output_json = content_json(wire.get("output"), content_length_max)
    return f'{head_json[:-1]},"input":{input_json},"output":{output_json}}}'


def score_json(score: Mapping[str, Any]) -> str:
    return _HEAD_ENCODER.encode({**score, "time": _whole(score["time"])})
