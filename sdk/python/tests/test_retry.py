"""When an export is tried again, and after how long."""

from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime

from llmlens._export._retry import RETRYABLE_STATUSES, backoff_ms, retry_after_ms
from llmlens._export._transport import ATTEMPTS_MAX, Reply, send_with_retry


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    now = parsedate_to_datetime("Thu, 03 Dec 2026 10:00:00 GMT").timestamp() * 1000
    assert retry_after_ms("2", now) == 2000
    assert retry_after_ms(" 0.5 ", now) == 500
    assert retry_after_ms("Thu, 03 Dec 2026 10:00:30 GMT", now) == 30_000
    assert retry_after_ms("Thu, 03 Dec 2026 09:00:00 GMT", now) == 0, "a past date means now"
    later = parsedate_to_datetime("Thu, 03 Dec 2026 10:01:00 GMT")
    assert retry_after_ms(format_datetime(later, usegmt=True), now) == 60_000
    assert retry_after_ms("soon", now) is None
    assert retry_after_ms("-1", now) is None
    assert retry_after_ms(None, now) is None


def test_backoff_doubles_from_500_ms_to_a_5_s_cap_with_20_percent_jitter() -> None:
    assert backoff_ms(0, draw=lambda: 0.5) == 500
    assert backoff_ms(1, draw=lambda: 0.5) == 1000
    assert backoff_ms(10, draw=lambda: 0.5) == 5000
    assert round(backoff_ms(0, draw=lambda: 0)) == 400
    assert round(backoff_ms(0, draw=lambda: 1)) == 600


def test_only_later_statuses_are_retried() -> None:
    assert sorted(RETRYABLE_STATUSES) == [429, 502, 503, 504]


class Scripted:
    """A transport that answers from a list and sleeps on a fake clock."""

    def __init__(self, *answers: Reply | OSError) -> None:
        self.answers = list(answers)
        self.posts = 0
        self.now_s = 0.0
        self.slept_ms: list[float] = []

    def post(self, body: bytes, headers: object, timeout_s: float) -> Reply:
        self.posts += 1
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, OSError):
            raise answer
        return answer

    def sleep(self, seconds: float) -> None:
        self.slept_ms.append(seconds * 1000)
        self.now_s += seconds


def send(transport: Scripted, deadline_ms: float = 60_000) -> tuple[bool, str]:
    outcome = send_with_retry(
        transport,
        b"{}",
        {},
        deadline_ms,
        sleep=transport.sleep,
        monotonic=lambda: transport.now_s,
        wall_ms=lambda: transport.now_s * 1000,
    )
    return outcome.ok, outcome.message


def test_network_errors_and_503_are_retried_with_backoff_until_the_attempts_run_out() -> None:
    transport = Scripted(OSError("refused"), Reply(503, None, "busy"))
    ok, message = send(transport)
    assert not ok
    assert transport.posts == ATTEMPTS_MAX
    assert len(transport.slept_ms) == ATTEMPTS_MAX - 1
    assert all(400 <= wait <= 4800 for wait in transport.slept_ms)
    assert message == f"collector answered 503: busy (gave up after {ATTEMPTS_MAX} attempts)"


def test_a_retry_after_is_followed_exactly() -> None:
    transport = Scripted(Reply(429, "2", ""), Reply(200, None, '{"accepted": 1}'))
    assert send(transport) == (True, "")
    assert transport.slept_ms == [2000]


def test_400_and_413_are_final() -> None:
    for status in (400, 401, 413, 500):
        transport = Scripted(Reply(status, None, "no"))
        ok, message = send(transport)
        assert not ok
        assert transport.posts == 1
        assert message == f"collector answered {status}: no"


def test_no_wait_starts_that_would_end_past_the_deadline() -> None:
    transport = Scripted(Reply(503, "30", ""))
    ok, message = send(transport, deadline_ms=10_000)
    assert not ok
    assert transport.slept_ms == []
    assert message.endswith("(next attempt in 30000 ms would pass the 10000 ms deadline)")


def test_a_timeout_uses_up_the_deadline() -> None:
    transport = Scripted(TimeoutError("timed out"))
    assert send(transport, deadline_ms=200) == (False, "collector did not answer within 200 ms")
    assert transport.posts == 1
