"""Reads what the llmlens server stored."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, TypedDict, cast


class StoredTrace(TypedDict):
    traceId: str
    spans: list[dict[str, Any]]
    roots: list[str]
    scores: list[dict[str, Any]]


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


def get_trace(server_url: str, trace_id: str) -> StoredTrace:
    return cast(StoredTrace, get_json(f"{server_url}/api/v1/traces/{trace_id}"))


def find_trace(server_url: str, trace_id: str) -> StoredTrace | None:
    """The trace, or None where the server has no span or score of it (it answers 404)."""
    try:
        return get_trace(server_url, trace_id)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def get_spans(server_url: str, **filters: str) -> list[dict[str, Any]]:
    query = urllib.parse.urlencode(filters)
    page = get_json(f"{server_url}/api/v1/spans?{query}")
    return cast("list[dict[str, Any]]", page["items"])


def post_ingest(server_url: str, body: bytes) -> int:
    request = urllib.request.Request(
        f"{server_url}/api/v1/ingest",
        data=body,
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)
