"""A collector that misbehaves on purpose, on a loopback port of its own."""

from __future__ import annotations

import gzip
import json
import socket
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType
from typing import Any, Callable, NamedTuple, Union


class Answer(NamedTuple):
    status: int
    headers: Mapping[str, str] = MappingProxyType({})


HANG = "hang"
# What the stub answers to the n-th request (0-based); `HANG` never answers.
StubAnswer = Union[Answer, str]


class StubCollector:
    """Answers each request as `answer` says, and accepts whatever a 200 carries. A hanging
    request is released when the stub stops."""

    def __init__(self, answer: Callable[[int], StubAnswer]) -> None:
        self.bodies: list[dict[str, Any]] = []
        self._answer = answer
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", "0")))
                if self.headers.get("content-encoding") == "gzip":
                    raw = gzip.decompress(raw)
                body = json.loads(raw.decode("utf-8"))
                with stub._lock:
                    reply = stub._answer(len(stub.bodies))
                    stub.bodies.append(body)
                if isinstance(reply, str):
                    stub._released.wait()
                    return
                accepted = len(body.get("spans", [])) + len(body.get("scores", []))
                ok = {"accepted": accepted, "rejected": [], "warnings": []}
                payload = json.dumps(ok if reply.status == 200 else {"error": "no"}).encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StubCollector:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def dead_url() -> str:
    """A URL where nothing listens: a port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
