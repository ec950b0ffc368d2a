"""The process around the SDK: interpreter exit, forked children, `multiprocessing` workers,
and an SDK that stays silent unless the application configures logging."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from llmlens import Llmlens
from support.processes import RunningProcess
from support.server_api import find_trace, get_trace
from support.stub_collector import Answer, StubCollector, dead_url


def run_python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


EXIT_SCRIPT = """
    import llmlens
    llmlens.init(flush_interval_ms=3_600_000)
    with llmlens.trace("exit flush") as root:
        with llmlens.span("child"):
            pass
    print(root.trace_id)
"""


def test_what_is_queued_at_interpreter_exit_is_sent(server: RunningProcess) -> None:
    done = run_python(EXIT_SCRIPT, {"LLMLENS_URL": server.url})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    trace = get_trace(server.url, done.stdout.strip())
    assert sorted(span["name"] for span in trace["spans"]) == ["child", "exit flush"]


def test_flush_on_exit_false_leaves_it_to_the_application(server: RunningProcess) -> None:
    done = run_python(EXIT_SCRIPT, {"LLMLENS_URL": server.url, "LLMLENS_FLUSH_ON_EXIT": "false"})
    assert done.returncode == 0, done.stderr
    assert find_trace(server.url, done.stdout.strip()) is None


def test_the_sdk_is_silent_unless_the_application_configures_logging() -> None:
    script = """
        import sys, llmlens
        if sys.argv[1:] == ["logging"]:
            import logging
            logging.basicConfig(level=logging.WARNING)
        lens = llmlens.Llmlens(export_timeout_ms=300)
        with lens.span("lost"):
            pass
        print(lens.flush(5000), lens.stats().failed)
    """
    env = {"LLMLENS_URL": dead_url(), "LLMLENS_SAMPLE_RATE": "abc"}
    quiet = run_python(script, env)
    assert quiet.returncode == 0
    assert quiet.stdout.split() == ["True", "1"]
    assert quiet.stderr == "", "nothing printed by default"

    told = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), "logging"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=False,
    )
    lines = told.stderr.splitlines()
    assert lines[0] == (
        "WARNING:llmlens:llmlens: LLMLENS_SAMPLE_RATE must be a number from 0 to 1 "
        '(actual: "abc"); using 1'
    )
    assert lines[1].startswith("WARNING:llmlens:llmlens: 1 item(s) not delivered: collector")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_gets_its_own_exporter() -> None:
    with StubCollector(lambda index: Answer(200)) as collector:
        lens = Llmlens(url=collector.url, flush_on_exit=False, flush_interval_ms=3_600_000)
        with lens.span("parent, before the fork"):
            pass
        assert lens.stats().queued == 1
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through the pipe
            code = 1
            try:
                report: dict[str, Any] = {"queued_at_start": lens.stats().queued}
                with lens.span("child"):
                    pass
                report["flushed"] = lens.flush(10_000)
                report["stats"] = list(lens.stats())
                os.write(write_end, json.dumps(report).encode())
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        _, status = os.waitpid(pid, 0)
        report = json.loads(os.read(read_end, 65536))
        os.close(read_end)
        assert os.waitstatus_to_exitcode(status) == 0
        assert report["queued_at_start"] == 0, "the parent's queue stayed with the parent"
        assert report["flushed"] is True
        assert report["stats"][2] == 1, "the child exported its one span"
        assert lens.flush(10_000)
        bodies = [[span["name"] for span in body["spans"]] for body in collector.bodies]
        assert bodies == [["child"], ["parent, before the fork"]]
        assert lens.stats().exported == 1
        lens.shutdown(1000)


def record_in_worker(lens: Llmlens, name: str) -> None:
    with lens.span(name):
        pass


@pytest.mark.skipif(sys.platform != "linux", reason="the fork start method")
def test_a_multiprocessing_worker_flushes_as_it_ends() -> None:
    with StubCollector(lambda index: Answer(200)) as collector:
        lens = Llmlens(url=collector.url, flush_interval_ms=3_600_000)
        context = multiprocessing.get_context("fork")
        worker = context.Process(target=record_in_worker, args=(lens, "in a worker"))
        worker.start()
        worker.join(60)
        assert worker.exitcode == 0
        assert [span["name"] for body in collector.bodies for span in body["spans"]] == [
            "in a worker"
        ]
        lens.shutdown(1000)
