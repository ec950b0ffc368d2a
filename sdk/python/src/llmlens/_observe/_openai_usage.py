"""OpenAI usage in the contract's terms."""

from __future__ import annotations

from typing import Any

from ._read import count, field


def openai_usage(usage: Any) -> dict[str, Any] | None:
    """Chat completions name the counts `prompt_tokens` and `completion_tokens`, the Responses
    API `input_tokens` and `output_tokens`; in both the input count already includes cached
    tokens and the output count includes reasoning tokens, as the contract wants. A count the
    API did not send stays absent rather than becoming zero."""
    if usage is None or isinstance(usage, (str, int, float, list)):
        return None
    input_details = field(usage, "prompt_tokens_details") or field(usage, "input_tokens_details")
    output_details = field(usage, "completion_tokens_details") or field(
        usage, "output_tokens_details"
    )
    input_tokens = count(field(usage, "prompt_tokens"))
    output_tokens = count(field(usage, "completion_tokens"))
    out: dict[str, Any] = {
        "inputTokens": count(field(usage, "input_tokens"))
        if input_tokens is None
        else input_tokens,
        "outputTokens": (
            count(field(usage, "output_tokens")) if output_tokens is None else output_tokens
        ),
    }
    cached = count(field(input_details, "cached_tokens"))
    if cached is not None:
        out["cacheReadTokens"] = cached
    reasoning = count(field(output_details, "reasoning_tokens"))
    if reasoning is not None:
        out["reasoningTokens"] = reasoning
    return out
