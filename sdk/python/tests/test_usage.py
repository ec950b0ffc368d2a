"""Token usage in the contract's terms."""

from __future__ import annotations

from llmlens._observe._anthropic_messages import anthropic_usage
from llmlens._observe._openai_usage import openai_usage


def test_openai_input_includes_cached_tokens_and_output_includes_reasoning_as_sent() -> None:
    chat = {
        "prompt_tokens": 2000,
        "completion_tokens": 1000,
        "prompt_tokens_details": {"cached_tokens": 1000},
        "completion_tokens_details": {"reasoning_tokens": 600},
    }
    assert openai_usage(chat) == {
        "inputTokens": 2000,
        "outputTokens": 1000,
        "cacheReadTokens": 1000,
        "reasoningTokens": 600,
    }
    responses = {
        "input_tokens": 50,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": 70,
        "output_tokens_details": {"reasoning_tokens": 64},
    }
    assert openai_usage(responses) == {
        "inputTokens": 50,
        "outputTokens": 70,
        "cacheReadTokens": 0,
        "reasoningTokens": 64,
    }
    assert openai_usage({"prompt_tokens": 5, "completion_tokens": 1}) == {
        "inputTokens": 5,
        "outputTokens": 1,
    }
    assert openai_usage(None) is None


def test_anthropic_cache_reads_and_writes_are_added_to_input_tokens() -> None:
    usage = {
        "input_tokens": 20,
        "cache_read_input_tokens": 1000,
        "cache_creation_input_tokens": 300,
        "output_tokens": 9,
    }
    assert anthropic_usage(usage) == {
        "inputTokens": 1320,
        "outputTokens": 9,
        "cacheReadTokens": 1000,
        "cacheWriteTokens": 300,
    }
    assert anthropic_usage({"input_tokens": 3, "output_tokens": 4}) == {
        "inputTokens": 3,
        "outputTokens": 4,
    }
    assert anthropic_usage(None) is None
