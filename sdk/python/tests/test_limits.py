"""The SDK repeats the contract's limits; these are the places the JSON Schema states them."""

from __future__ import annotations

from llmlens import _limits as limits
from support.contract import schema


def test_the_sdk_limits_are_the_contract_limits() -> None:
    span = schema("span.schema.json")["properties"]
    score = schema("score.schema.json")["properties"]
    request = schema("ingest-request.schema.json")["properties"]
    assert span["name"]["maxLength"] == limits.NAME_LENGTH_MAX
    for field in ("provider", "model", "requestModel", "endpoint", "userId", "sessionId"):
        assert span[field]["maxLength"] == limits.LABEL_LENGTH_MAX, field
    assert span["tags"]["maxItems"] == limits.TAGS_PER_SPAN_MAX
    assert span["tags"]["items"]["maxLength"] == limits.TAG_LENGTH_MAX
    assert span["error"]["properties"]["message"]["maxLength"] == limits.ERROR_MESSAGE_LENGTH_MAX
    assert score["comment"]["maxLength"] == limits.COMMENT_LENGTH_MAX
    assert request["spans"]["maxItems"] == limits.SPANS_PER_REQUEST_MAX
    metadata = span["metadata"]
    assert metadata["maxProperties"] == limits.METADATA_KEYS_MAX
    assert metadata["propertyNames"]["maxLength"] == limits.METADATA_KEY_LENGTH_MAX
    [value] = metadata["patternProperties"].values()
    assert value["maxLength"] == limits.METADATA_VALUE_LENGTH_MAX
    assert span["usage"]["properties"]["inputTokens"]["maximum"] == limits.TOKENS_MAX
    assert span["costUsd"]["maximum"] == limits.COST_USD_MAX
    assert span["timeToFirstTokenMs"]["maximum"] == limits.DURATION_MS_MAX
