"""The wire contract of spec/: its vectors, and its JSON Schemas as a validator."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, cast

import jsonschema

from .processes import REPO_ROOT

SPEC = REPO_ROOT / "spec"


def read_json(path: str) -> Any:
    return json.loads((SPEC / path).read_text("utf-8"))


def ingest_vector(name: str) -> dict[str, Any]:
    return cast("dict[str, Any]", read_json(f"vectors/ingest/{name}.json"))


def schema(file: str) -> dict[str, Any]:
    return cast("dict[str, Any]", read_json(f"schemas/{file}"))


@lru_cache(maxsize=1)
def _request_validator() -> jsonschema.Draft202012Validator:
    # The request schema holds the span and score schemas inline, so it needs no registry.
    return jsonschema.Draft202012Validator(schema("ingest-request.schema.json"))


def assert_valid_ingest_body(body: Any) -> None:
    """The body is a valid ingest request, and no span or score carries a field the contract
    does not name (the server would accept it with a warning; the SDK must not send one)."""
    errors = sorted(_request_validator().iter_errors(body), key=lambda error: list(error.path))
    assert not errors, "invalid ingest body: " + "; ".join(
        f"{'/'.join(map(str, error.path))}: {error.message}" for error in errors
    )
    request = schema("ingest-request.schema.json")
    for array in ("spans", "scores"):
        known = set(request["properties"][array]["items"].get("properties", {}))
        for item in body.get(array, []):
            unknown = set(item) - known
            assert not unknown, f"{array} carries unknown fields {sorted(unknown)}"
