"""The repository's Bun programs (the llmlens server, the fake provider) as child processes on
free ports, each ready when it prints the line that names its URL."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO, Callable

REPO_ROOT = Path(__file__).resolve().parents[4]
BUN = REPO_ROOT / "node_modules" / ".bin" / "bun"

# Bun starts either program in well under a second on the 2-core machine; a cold disk cache and
# a busy neighbour can make that several seconds.
START_TIMEOUT_S = 60


class RunningProcess:
    def __init__(self, url: str, child: subprocess.Popen[bytes], cleanup: Callable[[], None]):
        self.url = url
        self.child = child
        self._cleanup = cleanup

    def stop(self) -> None:
        if self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM)
            try:
                self.child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.child.kill()
                self.child.wait()
        self._cleanup()


def _drain(stream: IO[bytes]) -> None:
    for _ in iter(stream.readline, b""):
        pass


def start_program(
    args: list[str], stream: str, pattern: str, cleanup: Callable[[], None] = lambda: None
) -> RunningProcess:
    """Spawns `bun args...` and waits for `pattern` (one group: the URL) on `stream`."""
    if not BUN.exists():
        raise RuntimeError(f"{BUN} is missing: run `npm ci` at the repository root first")
    child = subprocess.Popen(
        [str(BUN), *args],
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stderr is not None
    watched, other = (
        (child.stdout, child.stderr)
        if stream == "stdout"
        else (
            child.stderr,
            child.stdout,
        )
    )
    threading.Thread(target=_drain, args=(other,), daemon=True).start()
    found: list[str] = []
    log: list[str] = []

    def watch() -> None:
        for raw in iter(watched.readline, b""):
            line = raw.decode("utf-8", "replace")
            log.append(line)
            match = re.search(pattern, line)
            if match:
                found.append(match.group(1))
                break
        _drain(watched)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    waited = 0.0
    while not found and child.poll() is None and waited < START_TIMEOUT_S:
        watcher.join(0.05)
        waited += 0.05
    if not found:
        child.kill()
        child.wait()
        cleanup()
        raise RuntimeError(f"{args[0]} did not start:\n{''.join(log)}")
    return RunningProcess(found[0], child, cleanup)


def start_server() -> RunningProcess:
    """The real llmlens server on a free port with a fresh SQLite file."""
    directory = tempfile.mkdtemp(prefix="llmlens-py-sdk-")
    db = os.path.join(directory, "llmlens.db")
    return start_program(
        ["server/src/main.ts", "--port", "0", "--db", db],
        "stderr",
        r'msg="llmlens started" url=(\S+)',
        cleanup=lambda: shutil.rmtree(directory, ignore_errors=True),
    )


def start_fake_provider() -> RunningProcess:
    """The project's fake OpenAI/Anthropic API on a free port."""
    return start_program(
        ["fake-provider/src/main.ts", "--port", "0"],
        "stdout",
        r"fake-provider listening on (\S+)",
    )
