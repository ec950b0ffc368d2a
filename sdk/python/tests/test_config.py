"""Configuration: arguments, then `LLMLENS_*` variables, then defaults; a bad value warns once
with where it came from, the value seen and what is allowed, then falls through."""

from __future__ import annotations

from typing import Any

import pytest

import llmlens
from llmlens import Llmlens
from llmlens._config import Config, resolve_config
from support.processes import RunningProcess
from support.server_api import get_trace


def resolve(options: dict[str, Any], env: dict[str, str] | None = None) -> Config:
    return resolve_config(options, env or {})


def test_defaults_silently(warnings: Any) -> None:
    config = resolve({})
    assert config.ingest_url == "http://127.0.0.1:4380/api/v1/ingest"
    assert config.api_key is None
    assert config.enabled is True
    assert config.sample_rate == 1
    assert config.capture_content is True
    assert config.content_length_max == 1_048_576
    assert config.queue_size_max == 2048
    assert config.batch_size_max == 512
    assert config.flush_interval_ms == 1000
    assert config.export_timeout_ms == 10_000
    assert config.gzip is True
    assert config.flush_on_exit is True
    assert config.redact is None
    assert config.attributes == llmlens._attributes.NO_ATTRIBUTES
    assert warnings() == []


ENV = {
    "LLMLENS_URL": "https://env.example/",
    "LLMLENS_API_KEY": "env-key-0123456789",
    "LLMLENS_ENABLED": "off",
    "LLMLENS_SAMPLE_RATE": "0.25",
    "LLMLENS_CAPTURE_CONTENT": "false",
    "LLMLENS_CONTENT_LENGTH_MAX": "4096",
    "LLMLENS_QUEUE_SIZE_MAX": "100",
    "LLMLENS_BATCH_SIZE_MAX": "10",
    "LLMLENS_FLUSH_INTERVAL_MS": "250",
    "LLMLENS_EXPORT_TIMEOUT_MS": "2000",
    "LLMLENS_GZIP": "no",
    "LLMLENS_FLUSH_ON_EXIT": "0",
    "LLMLENS_ENVIRONMENT": "staging",
    "LLMLENS_RELEASE": "9.9.9",
}


def test_every_setting_has_its_variable() -> None:
    config = resolve({}, ENV)
    assert config.ingest_url == "https://env.example/api/v1/ingest"
    assert config.api_key == "env-key-0123456789"
    assert config.enabled is False
    assert config.sample_rate == 0.25
    assert config.capture_content is False
    assert config.content_length_max == 4096
    assert (config.queue_size_max, config.batch_size_max) == (100, 10)
    assert (config.flush_interval_ms, config.export_timeout_ms) == (250, 2000)
    assert (config.gzip, config.flush_on_exit) == (False, False)
    assert (config.attributes.environment, config.attributes.release) == ("staging", "9.9.9")


def test_arguments_win_over_the_environment_which_wins_over_defaults() -> None:
    config = resolve(
        {
            "url": "http://opt:1",
            "sample_rate": 0.5,
            "environment": "prod",
            "enabled": True,
            "gzip": True,
            "queue_size_max": 50,
        },
        ENV,
    )
    assert config.ingest_url == "http://opt:1/api/v1/ingest"
    assert config.sample_rate == 0.5
    assert config.attributes.environment == "prod"
    assert config.attributes.release == "9.9.9", "from the environment"
    assert config.enabled is True
    assert config.gzip is True
    assert config.queue_size_max == 50
    assert config.batch_size_max == 10


def test_a_bad_value_warns_with_the_variable_and_the_value_seen_then_falls_back(
    warnings: Any,
) -> None:
    config = resolve(
        {"flush_interval_ms": -5, "capture_content": "maybe"},
        {"LLMLENS_SAMPLE_RATE": "abc", "LLMLENS_QUEUE_SIZE_MAX": "1.5", "LLMLENS_URL": "ftp://x"},
    )
    assert config.sample_rate == 1
    assert config.queue_size_max == 2048
    assert config.flush_interval_ms == 1000
    assert config.capture_content is True
    assert config.ingest_url == "http://127.0.0.1:4380/api/v1/ingest"
    assert sorted(warnings()) == [
        'llmlens: LLMLENS_QUEUE_SIZE_MAX must be an integer from 1 to 1000000 (actual: "1.5"); '
        "using 2048",
        'llmlens: LLMLENS_SAMPLE_RATE must be a number from 0 to 1 (actual: "abc"); using 1',
        'llmlens: LLMLENS_URL must be an http:// or https:// URL (actual: "ftp://x"); '
        'using "http://127.0.0.1:4380"',
        'llmlens: capture_content must be true or false (actual: "maybe"); using True',
        "llmlens: flush_interval_ms must be an integer from 1 to 3600000 (actual: -5); using 1000",
    ]


def test_a_bad_argument_falls_back_to_a_good_environment_value(warnings: Any) -> None:
    config = resolve({"sample_rate": 7}, {"LLMLENS_SAMPLE_RATE": "0.1"})
    assert config.sample_rate == 0.1
    assert warnings() == [
        "llmlens: sample_rate must be a number from 0 to 1 (actual: 7); using 0.1"
    ]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, "0.5"])
def test_numbers_are_never_nan_infinite_or_booleans(value: Any, warnings: Any) -> None:
    config = resolve({"sample_rate": value, "export_timeout_ms": value})
    assert config.sample_rate == (0.5 if value == "0.5" else 1)
    assert config.export_timeout_ms == 10_000
    assert len(warnings()) == (1 if value == "0.5" else 2)


def test_each_complaint_is_made_once_per_process(warnings: Any) -> None:
    env = {"LLMLENS_BATCH_SIZE_MAX": "lots"}
    resolve({}, env)
    resolve({}, env)
    assert len(warnings()) == 1


def test_a_batch_larger_than_the_queue_is_clamped_to_it_with_a_word(warnings: Any) -> None:
    config = resolve({"queue_size_max": 10, "batch_size_max": 50})
    assert config.batch_size_max == 10
    assert warnings() == ["llmlens: batch_size_max 50 exceeds queue_size_max 10; using 10"]


def test_booleans_take_the_usual_words() -> None:
    for word in ("true", "1", "yes", "on", "TRUE", " On "):
        assert resolve({}, {"LLMLENS_GZIP": word}).gzip is True, word
    for word in ("false", "0", "no", "off"):
        assert resolve({}, {"LLMLENS_GZIP": word}).gzip is False, word


def test_an_empty_variable_is_unset(warnings: Any) -> None:
    assert resolve({}, {"LLMLENS_URL": "  ", "LLMLENS_RELEASE": ""}).attributes.release is None
    assert warnings() == []


def test_an_instance_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMLENS_RELEASE", "from-env")
    monkeypatch.setenv("LLMLENS_FLUSH_ON_EXIT", "false")
    lens = Llmlens()
    assert lens.recorder.config.attributes.release == "from-env"
    assert lens.recorder.config.flush_on_exit is False


def test_the_module_functions_use_the_instance_init_made(
    server: RunningProcess, provider: RunningProcess
) -> None:
    from openai import OpenAI

    first = llmlens.init(url="http://127.0.0.1:9", flush_on_exit=False)
    client = llmlens.observe(
        OpenAI(base_url=f"{provider.url}/v1", api_key="test", max_retries=0),
        user_id="module-user",
    )

    @llmlens.observe(kind="tool")
    def tool() -> str:
        return "ok"

    # Observed before the second init() (as at import time), used after it: the calls record
    # into the instance it makes.
    lens = llmlens.init(url=server.url, flush_on_exit=False, release="r-1")
    assert lens is not first

    with llmlens.trace("module api") as root:
        client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
        )
        with llmlens.span("inner"):
            tool()
        llmlens.score("helpfulness", 0.9, source="user")
    assert llmlens.current_span() is None
    assert llmlens.flush(10_000)
    assert llmlens.stats().exported == 5
    trace = get_trace(server.url, root.trace_id)
    assert sorted(span["name"] for span in trace["spans"]) == [
        "chat gpt-4o-mini",
        "inner",
        "module api",
        "tool",
    ]
    assert {span["release"] for span in trace["spans"]} == {"r-1"}
    assert [score["value"] for score in trace["scores"]] == [0.9]
    assert llmlens.shutdown(1000)
