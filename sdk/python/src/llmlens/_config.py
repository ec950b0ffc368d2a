"""Everything the SDK can be told, resolved once per `init()`: each setting from its argument,
then its `LLMLENS_*` environment variable, then its default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from . import _limits as limits
from ._attributes import NO_ATTRIBUTES, ResolvedAttributes, merge_attributes, own_attributes
from ._log import warn_once
from ._settings import NumberRule, SettingReader
from ._types import Redact

DEFAULT_URL = "http://127.0.0.1:4380"

# A setting in milliseconds is at least 1 ms and at most an hour: beyond that it is a unit
# mistake (seconds given as milliseconds the other way round), not a wish.
_MS_MAX = 3_600_000
# Spans held in memory at most; at ~2 KiB each without content, a million is ~2 GiB.
_QUEUE_SIZE_MAX = 1_000_000


class Config(NamedTuple):
    ingest_url: str
    api_key: str | None
    enabled: bool
    sample_rate: float
    capture_content: bool
    content_length_max: int
    queue_size_max: int
    batch_size_max: int
    flush_interval_ms: int
    export_timeout_ms: int
    gzip: bool
    flush_on_exit: bool
    attributes: ResolvedAttributes
    redact: Redact | None


def resolve_config(options: Mapping[str, Any], env: Mapping[str, str]) -> Config:
    """Arguments, then environment, then defaults; bad values warn once and fall through.

    >>> resolve_config({"sample_rate": 0.5}, {"LLMLENS_URL": "http://collector:4380/"}).ingest_url
    'http://collector:4380/api/v1/ingest'
    """
    read = SettingReader(env)
    get = options.get

    url = read.url("url", get("url"), DEFAULT_URL)
    queue_size_max = read.integer("queue_size_max", get("queue_size_max"), 1, _QUEUE_SIZE_MAX, 2048)
    batch_size_max = read.integer(
        "batch_size_max", get("batch_size_max"), 1, limits.SPANS_PER_REQUEST_MAX, 512
    )
    if batch_size_max > queue_size_max:
        # A batch larger than the queue could never fill; say so once rather than wait forever.
        warn_once(
            f"llmlens: batch_size_max {batch_size_max} exceeds queue_size_max {queue_size_max}; "
            f"using {queue_size_max}"
        )
        batch_size_max = queue_size_max

    attributes = own_attributes(
        user_id=get("user_id"),
        session_id=get("session_id"),
        endpoint=get("endpoint"),
        environment=read.text("environment", get("environment")),
        release=read.text("release", get("release")),
        tags=get("tags"),
        metadata=get("metadata"),
    )
    redact = get("redact")
    if redact is not None and not callable(redact):
        warn_once(f"llmlens: redact must be a function (actual: {type(redact).__name__}); ignored")
        redact = None

    return Config(
        ingest_url=url.rstrip("/") + "/api/v1/ingest",
        api_key=read.text("api_key", get("api_key")),
        enabled=read.boolean("enabled", get("enabled"), True),
        sample_rate=read.number("sample_rate", get("sample_rate"), NumberRule(0, 1, False), 1.0),
        capture_content=read.boolean("capture_content", get("capture_content"), True),
        content_length_max=read.integer(
            "content_length_max",
            get("content_length_max"),
            64,
            limits.CONTENT_LENGTH_MAX,
            limits.CONTENT_LENGTH_MAX,
        ),
        queue_size_max=queue_size_max,
        batch_size_max=batch_size_max,
        flush_interval_ms=read.integer(
            "flush_interval_ms", get("flush_interval_ms"), 1, _MS_MAX, 1000
        ),
        export_timeout_ms=read.integer(
            "export_timeout_ms", get("export_timeout_ms"), 1, _MS_MAX, 10_000
        ),
        gzip=read.boolean("gzip", get("gzip"), True),
        flush_on_exit=read.boolean("flush_on_exit", get("flush_on_exit"), True),
        attributes=merge_attributes(NO_ATTRIBUTES, attributes),
        redact=redact,
    )
