"""The batching exporter: a bounded queue in front of one daemon thread that sends batches."""

from __future__ import annotations

import atexit
import gzip
import os
import sys
import threading
import time
import weakref
from collections import deque
from typing import Any, NamedTuple, Union

from .. import _context
from .. import _limits as limits
from .._config import Config
from .._log import logger, warn_once
from .._span import Span
from .._wire import copy_json, score_json, span_json, to_wire_span
from ._transport import Transport, UrllibTransport, send_with_retry

# How long `flush()` and `shutdown()` wait by default, and the exit hook in every case.
FLUSH_TIMEOUT_MS_DEFAULT = 5_000

QueueItem = Union[Span, dict[str, Any]]


class ExporterStats(NamedTuple):
    """The exporter's counters since it started."""

    queued: int
    """Spans and scores waiting to be sent."""
    dropped: int
    """Dropped because the queue was full (the oldest go first) or the SDK was shut down."""
    exported: int
    """Sent and acknowledged by the collector."""
    failed: int
    """Lost with a batch that could not be delivered within its deadline."""
    rejected: int
    """Delivered but refused by the collector (each refusal is logged)."""
    sampled_out: int
    """Not recorded because their trace was not sampled."""


class _Batch(NamedTuple):
    body: str
    item_count: int


_exporters: weakref.WeakSet[Exporter] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # The parent's queue and thread belong to the parent, which sends them; a child starts
    # empty, with fresh locks (a lock held by the parent's worker at fork time would stay held
    # forever) and its own thread on its first span.
    multiprocessing_util = sys.modules.get("multiprocessing.util")
    for exporter in list(_exporters):
        exporter._reset()
        if multiprocessing_util is not None:
            # A `multiprocessing` child ends with `os._exit`, which skips `atexit`; it runs its
            # own finalizers instead, after dropping those it inherited, then the hooks
            # registered here, which add this exporter's.
            multiprocessing_util.register_after_fork(exporter, _flush_at_worker_exit)


def _flush_at_worker_exit(exporter: Exporter) -> None:
    if exporter._config.flush_on_exit:
        multiprocessing_util = sys.modules["multiprocessing.util"]
        multiprocessing_util.Finalize(exporter, exporter._at_exit, exitpriority=0)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class Exporter:
    """Queues finished spans and scores and sends them from a daemon thread: a batch when
    `batch_size_max` items wait, or `flush_interval_ms` after the last batch. Nothing here
    raises into the application or makes it wait, except `flush()` and `shutdown()`, which
    wait at most their timeout."""

    def __init__(self, config: Config, transport: Transport | None = None) -> None:
        self._config = config
        self._transport = transport or UrllibTransport(config.ingest_url)
        self._headers = {"content-type": "application/json", "user-agent": "llmlens-python"}
        if config.gzip:
            self._headers["content-encoding"] = "gzip"
        if config.api_key:
            self._headers["authorization"] = f"Bearer {config.api_key}"
        self._closed = False
        self._reset()
        _exporters.add(self)
        if config.flush_on_exit:
            atexit.register(self._at_exit)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._settled_changed = threading.Condition(self._lock)
        self._drain_lock = threading.Lock()
        self._wake = threading.Event()
        self._queue: deque[QueueItem] = deque()
        self._carry: tuple[str, str] | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        # Set by `shutdown()`: cuts a retry's wait short, and no retry starts after it.
        self._stopped = threading.Event()
        self._failing = False
        # Items ever queued, and items done with (sent, failed, refused or dropped): a flush
        # waits until the second catches up with what the first was when it began.
        self._enqueued = 0
        self._settled = 0
        self._dropped = 0
        self._exported = 0
        self._failed = 0
        self._rejected = 0
        self._sampled_out = 0

    def enqueue(self, item: QueueItem) -> None:
        overflowed = False
        with self._lock:
            if self._closed:
                self._dropped += 1
                return
            if len(self._queue) >= self._config.queue_size_max:
                self._queue.popleft()
                self._dropped += 1
                # Settled without a notification: a waiting flush hears of it with the next
                # batch, which an overflowing queue has on its way.
                self._settled += 1
                overflowed = True
            self._queue.append(item)
            self._enqueued += 1
            waiting = len(self._queue)
            if self._thread is None:
                self._start_thread()
        if waiting >= self._config.batch_size_max:
            self._wake.set()
        if overflowed:
            # Outside the lock: a logging handler may block on I/O.
            warn_once(
                f"llmlens: the queue is full ({self._config.queue_size_max} items); dropping "
                "the oldest. Is the collector reachable? See llmlens.stats()."
            )

    def count_sampled_out(self) -> None:
        with self._lock:
            self._sampled_out += 1

    def stats(self) -> ExporterStats:
        queued = len(self._queue) + (1 if self._carry is not None else 0)
        return ExporterStats(
            queued=queued,
            dropped=self._dropped,
            exported=self._exported,
            failed=self._failed,
            rejected=self._rejected,
            sampled_out=self._sampled_out,
        )

    def flush(self, timeout_ms: float = FLUSH_TIMEOUT_MS_DEFAULT) -> bool:
        """Sends everything queued before the call; True when all of it was handled (sent,
        refused or given up on) within `timeout_ms`."""
        with self._lock:
            target = self._enqueued
            thread = self._thread
        if thread is None or not thread.is_alive():
            # No worker: nothing was queued yet, or threads can no longer start because the
            # interpreter is exiting. The caller's thread does the work then.
            token = _context.untraced.set(True)
            try:
                self._drain()
            except Exception:
                logger.warning("llmlens: export failed unexpectedly", exc_info=True)
            finally:
                _context.untraced.reset(token)
        else:
            self._wake.set()
        deadline = time.monotonic() + timeout_ms / 1000
        with self._settled_changed:
            while self._settled < target:
                remaining_s = deadline - time.monotonic()
                if remaining_s <= 0:
                    return False
                self._settled_changed.wait(remaining_s)
        return True

    def shutdown(self, timeout_ms: float = FLUSH_TIMEOUT_MS_DEFAULT) -> bool:
        """Flushes, then stops: later spans are dropped and counted, the exit hook removed."""
        if self._closed:
            return self.stats().queued == 0
        flushed = self.flush(timeout_ms)
        self._closed = True
        self._stopping = True
        self._stopped.set()
        self._wake.set()
        atexit.unregister(self._at_exit)
        with self._lock:
            left = len(self._queue)
            self._queue.clear()
            self._dropped += left
            self._settled += left
        return flushed

    def _at_exit(self) -> None:
        try:
            self.shutdown(FLUSH_TIMEOUT_MS_DEFAULT)
        except Exception:
            logger.debug("llmlens: flush at exit failed", exc_info=True)

    def _start_thread(self) -> None:
        thread = threading.Thread(target=self._run, name="llmlens-exporter", daemon=True)
        try:
            thread.start()
        except RuntimeError:
            # "can't create new thread at interpreter shutdown": flush() sends from its caller.
            return
        self._thread = thread

    def _run(self) -> None:
        _context.untraced.set(True)
        interval_s = self._config.flush_interval_ms / 1000
        while not self._stopping:
            self._wake.wait(interval_s)
            self._wake.clear()
            try:
                self._drain()
            except Exception:
                logger.warning("llmlens: export failed unexpectedly", exc_info=True)

    def _drain(self) -> None:
        with self._drain_lock:
            while True:
                batch, settled = self._take_batch()
                try:
                    if batch is not None:
                        self._send(batch)
                finally:
                    # Whatever happened to the batch, it is done with: a flush must not wait
                    # for it until its timeout.
                    self._settle(settled + (batch.item_count if batch else 0))
                if batch is None or self._stopping:
                    return
                with self._lock:
                    waiting = len(self._queue) + (1 if self._carry is not None else 0)
                if waiting == 0:
                    return

    def _settle(self, count: int) -> None:
        if count == 0:
            return
        with self._settled_changed:
            self._settled += count
            self._settled_changed.notify_all()

    def _pop(self) -> QueueItem | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def _take_batch(self) -> tuple[_Batch | None, int]:
        """Up to `batch_size_max` items and no more characters of JSON than a request may
        carry; also how many items were taken and will never be sent (redacted away)."""
        parts: dict[str, list[str]] = {"spans": [], "scores": []}
        length = 0
        taken = 0
        skipped = 0
        while taken < self._config.batch_size_max:
            if self._carry is not None:
                kind, text = self._carry
                self._carry = None
            else:
                item = self._pop()
                if item is None:
                    break
                serialised = self._serialise(item)
                # Serialising holds the GIL, 10 to 20 µs a span: a batch of 512 would hold it
                # for the interpreter's whole 5 ms switch interval while the application waits.
                # Sleeping 0 hands the GIL over after each span to any thread that wants it.
                time.sleep(0)
                if serialised is None:
                    skipped += 1
                    continue
                kind, text = serialised
            if taken > 0 and length + len(text) > limits.BATCH_LENGTH_MAX:
                self._carry = (kind, text)
                break
            parts[kind].append(text)
            length += len(text) + 1
            taken += 1
        if taken == 0:
            return None, skipped
        body = ",".join(f'"{kind}":[{",".join(texts)}]' for kind, texts in parts.items() if texts)
        return _Batch("{" + body + "}", taken), skipped

    def _serialise(self, item: QueueItem) -> tuple[str, str] | None:
        try:
            if isinstance(item, dict):
                return "scores", score_json(item)
            wire: dict[str, Any] | None = to_wire_span(item)
            if self._config.redact is not None:
                wire = self._redacted(wire)  # type: ignore[arg-type]
            if wire is None:
                return None
            return "spans", span_json(wire, self._config.content_length_max)
        except Exception as error:
            self._failed += 1
            warn_once(f"llmlens: could not serialise a span; dropped it: {error!r}")
            return None

    def _redacted(self, wire: dict[str, Any]) -> dict[str, Any] | None:
        """The span after the `redact` hook, which gets copies of the content so that scrubbing
        a message cannot change the application's own objects. If the hook raises or returns
        something other than a dict or None, the span goes without input and output (fail
        closed); None drops the span."""
        redact = self._config.redact
        assert redact is not None
        copy = {**wire, "input": copy_json(wire["input"]), "output": copy_json(wire["output"])}
        try:
            result = redact(copy)
        except Exception as error:
            warn_once(
                f"llmlens: redact raised, so spans are sent without input and output: {error!r}"
            )
            return {**wire, "input": None, "output": None}
        if result is None or isinstance(result, dict):
            return result
        warn_once(
            f"llmlens: redact must return a dict or None (actual: {type(result).__name__}); "
            "the span is sent without input and output"
        )
        return {**wire, "input": None, "output": None}

    def _send(self, batch: _Batch) -> None:
        # A lone surrogate (text decoded with `surrogateescape`) has no UTF-8 form; written as
        # the JSON escape `\udcxx`, as JavaScript writes it, the batch stays valid JSON.
        data = batch.body.encode("utf-8", "backslashreplace")
        if self._config.gzip:
            # Level 6 is zlib's default: about four fifths of a JSON batch saved, ~20 MB/s.
            data = gzip.compress(data, compresslevel=6, mtime=0)
        outcome = send_with_retry(
            self._transport,
            data,
            self._headers,
            self._config.export_timeout_ms,
            sleep=self._stopped.wait,
            stopped=self._stopped.is_set,
        )
        if not outcome.ok:
            self._failed += batch.item_count
            if not self._failing:
                logger.warning(
                    "llmlens: %d item(s) not delivered: %s", batch.item_count, outcome.message
                )
            self._failing = True
            return
        if self._failing:
            logger.info("llmlens: the collector accepts spans again")
        self._failing = False
        self._accept(outcome.reply, batch.item_count)

    def _accept(self, reply: Any, count: int) -> None:
        reply = reply if isinstance(reply, dict) else {}
        accepted = reply.get("accepted")
        rejected = reply.get("rejected")
        rejected = rejected if isinstance(rejected, list) else []
        self._exported += accepted if isinstance(accepted, int) else count
        if not rejected:
            return
        self._rejected += len(rejected)
        reasons = "; ".join(
            str(item.get("error") if isinstance(item, dict) else item) for item in rejected[:3]
        )
        more = f"; and {len(rejected) - 3} more" if len(rejected) > 3 else ""
        logger.warning("llmlens: collector refused %d item(s): %s%s", len(rejected), reasons, more)
