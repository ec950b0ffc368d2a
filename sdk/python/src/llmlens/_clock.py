"""Wall time for the span's place in history, monotonic time for its duration."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def wall_ms(self) -> float: ...

    def monotonic_ms(self) -> float: ...


class SystemClock:
    """Epoch milliseconds from `time.time`, durations from `time.perf_counter`, which a wall
    clock adjustment (NTP, daylight saving) cannot make negative."""

    def wall_ms(self) -> float:
        return time.time() * 1000.0

    def monotonic_ms(self) -> float:
        return time.perf_counter() * 1000.0


SYSTEM_CLOCK = SystemClock()
