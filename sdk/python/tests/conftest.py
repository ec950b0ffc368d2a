"""Fixtures: one real llmlens server and one fake provider for the whole run, and an SDK
instance per test that exports to that server."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any, Callable

import pytest

import llmlens._log
from llmlens import Llmlens
from support.live import stable
from support.processes import RunningProcess, start_fake_provider, start_server
from support.server_api import StoredTrace, get_trace


@pytest.fixture(scope="session")
def server() -> Iterator[RunningProcess]:
    running = start_server()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def provider() -> Iterator[RunningProcess]:
    running = start_fake_provider()
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _fresh_process_state(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each distinct warning is logged once per process; every test starts with none said, and
    # with no `LLMLENS_*` variable of the developer's shell in its way.
    llmlens._log._said.clear()
    for name in [name for name in os.environ if name.startswith("LLMLENS_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def warnings(caplog: pytest.LogCaptureFixture) -> Callable[[], list[str]]:
    """The messages the `llmlens` logger said at WARNING and above so far."""
    caplog.set_level(logging.DEBUG, logger="llmlens")

    def said() -> list[str]:
        return [
            record.getMessage()
            for record in caplog.records
            if record.name.startswith("llmlens") and record.levelno >= logging.WARNING
        ]

    return said


class Live:
    """A real server, the fake provider, and an SDK instance exporting to the server."""

    def __init__(self, server: RunningProcess, provider: RunningProcess, lens: Llmlens) -> None:
        self.server_url = server.url
        self.provider_url = provider.url
        self.lens = lens

    def stored(self, trace_id: str) -> StoredTrace:
        assert self.lens.flush(15_000), "flush finished"
        return get_trace(self.server_url, trace_id)

    def stored_child(self, trace_id: str, root_span_id: str) -> dict[str, Any]:
        """The one span under the root of a trace of two, made comparable with `stable`."""
        trace = self.stored(trace_id)
        assert len(trace["spans"]) == 2, f"the root and the call: {trace['spans']}"
        child = next(span for span in trace["spans"] if span["spanId"] != root_span_id)
        assert child["parentSpanId"] == root_span_id
        return {**stable(child), "parentSpanId": None}

    def child_of(self, call: Callable[[], object]) -> dict[str, Any]:
        """Runs `call` inside a trace and returns the stored span it made under the root."""
        with self.lens.trace("test") as root:
            call()
        return self.stored_child(root.trace_id, root.span_id)


@pytest.fixture
def live(
    server: RunningProcess, provider: RunningProcess, warnings: Callable[[], list[str]]
) -> Iterator[Live]:
    lens = Llmlens(url=server.url, flush_on_exit=False)
    yield Live(server, provider, lens)
    assert lens.shutdown(15_000)
    assert warnings() == [], "the SDK had nothing to complain about"
