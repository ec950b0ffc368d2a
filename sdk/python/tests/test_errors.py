"""Error categories, from real error objects of the official clients, made the way the clients
make them."""

from __future__ import annotations

import asyncio
from typing import Any

import anthropic
import httpx2
import openai

from llmlens._errors import error_category, span_error_from

OPENAI = openai.OpenAI(api_key="test", base_url="http://127.0.0.1:9/v1")
ANTHROPIC = anthropic.Anthropic(api_key="test", base_url="http://127.0.0.1:9")
REQUEST = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")


def openai_error(status: int, body: dict[str, Any]) -> BaseException:
    response = httpx2.Response(status, json=body, request=REQUEST)
    return OPENAI._make_status_error(f"Error code: {status} - {body}", body=body, response=response)


def anthropic_error(status: int, body: dict[str, Any]) -> BaseException:
    response = httpx2.Response(status, json=body, request=REQUEST)
    return ANTHROPIC._make_status_error(f"Error code: {status}", body=body, response=response)


def test_openai_errors_by_class_status_and_code() -> None:
    assert error_category(openai_error(429, {"error": {"message": "slow down"}})) == "rate_limit"
    assert error_category(openai_error(401, {"error": {"message": "bad key"}})) == "auth"
    assert error_category(openai_error(403, {"error": {"message": "no"}})) == "auth"
    assert error_category(openai_error(500, {"error": {"message": "oops"}})) == "server_error"
    assert error_category(openai_error(503, {"error": {"message": "busy"}})) == "server_error"
    assert error_category(openai_error(504, {"error": {"message": "late"}})) == "timeout"
    assert error_category(openai_error(404, {"error": {"message": "where"}})) == "invalid_request"
    too_long = openai_error(
        400,
        {
            "error": {
                "message": "This model's maximum context length is 128000 tokens.",
                "code": "context_length_exceeded",
            }
        },
    )
    assert error_category(too_long) == "context_length"
    filtered = openai_error(400, {"error": {"message": "Blocked.", "code": "content_filter"}})
    assert error_category(filtered) == "content_filter"
    assert error_category(openai.APITimeoutError(request=REQUEST)) == "timeout"
    assert error_category(openai.APIConnectionError(request=REQUEST)) == "network"


def test_the_span_error_has_the_providers_message_not_the_clients_text() -> None:
    error = openai_error(429, {"error": {"message": "slow down", "type": "requests"}})
    assert str(error).startswith("Error code: 429")
    assert span_error_from(error) == {
        "type": "rate_limit",
        "message": "slow down",
        "httpStatus": 429,
    }


def test_anthropic_errors_including_its_529_and_its_nested_message() -> None:
    overloaded = anthropic_error(
        529, {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    )
    assert span_error_from(overloaded) == {
        "type": "server_error",
        "message": "Overloaded",
        "httpStatus": 529,
    }
    too_long = anthropic_error(
        400,
        {
            "type": "error",
            "error": {
                "type": "invalid_request_error",
                "message": "prompt is too long: 210000 tokens > 200000 maximum",
            },
        },
    )
    assert error_category(too_long) == "context_length"
    assert error_category(anthropic.APITimeoutError(request=REQUEST)) == "timeout"
    assert error_category(anthropic.APIConnectionError(request=REQUEST)) == "network"


def test_anything_else_raised() -> None:
    assert error_category(TimeoutError("read timed out")) == "timeout"
    assert error_category(ConnectionRefusedError(111, "refused")) == "network"
    assert error_category(OSError("no route")) == "network"
    assert error_category(asyncio.CancelledError()) == "cancelled"
    assert error_category(KeyboardInterrupt()) == "cancelled"
    assert error_category(ValueError("boom")) == "unknown"
    assert span_error_from(ValueError("boom")) == {
        "type": "unknown",
        "message": "boom",
        "httpStatus": None,
    }
    assert span_error_from(RuntimeError())["message"] == "RuntimeError", "the class without text"
