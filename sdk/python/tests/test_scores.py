"""Scores: user feedback and evaluations, stored with their trace."""

from __future__ import annotations

from typing import Any

import llmlens
from conftest import Live


def test_scores_of_the_current_trace_of_a_span_and_of_a_trace_by_id(live: Live) -> None:
    lens = live.lens
    with lens.trace("answer") as root:
        with lens.span("retrieve") as retrieve:
            retrieve.score("grounded", 1.0, source="eval")
        lens.score("helpfulness", 0.8, source="user", comment="great")
    lens.score("thumbs", label="down", source="user", trace_id=root.trace_id.upper())
    lens.score("both", 3, label="ok", trace_id=root.trace_id, span_id=root.span_id)
    trace = live.stored(root.trace_id)
    scores = {score["name"]: score for score in trace["scores"]}
    assert scores["grounded"]["spanId"] == retrieve.span_id
    assert (scores["grounded"]["value"], scores["grounded"]["source"]) == (1.0, "eval")
    assert scores["helpfulness"]["spanId"] is None, "a score of the trace as a whole"
    assert scores["helpfulness"]["comment"] == "great"
    assert (scores["thumbs"]["value"], scores["thumbs"]["label"]) == (None, "down")
    assert scores["thumbs"]["traceId"] == root.trace_id, "ids are sent in lower case"
    assert (scores["both"]["value"], scores["both"]["label"]) == (3, "ok")
    assert scores["both"]["spanId"] == root.span_id
    for score in trace["scores"]:
        assert score["time"] >= trace["spans"][0]["startTime"]


def test_an_invalid_score_is_logged_never_raised(warnings: Any) -> None:
    lens = llmlens.Llmlens(url="http://127.0.0.1:9", flush_on_exit=False)
    lens.score("x", 1, trace_id="nope")
    lens.score("x", 1, trace_id="a" * 32, span_id="short")
    lens.score("", 1, trace_id="a" * 32)
    lens.score("no value", float("nan"), trace_id="a" * 32)
    lens.score("no trace", 1)
    assert warnings() == [
        "llmlens: score.traceId must be 32 hex characters (actual: 'nope'); the score was not sent",
        "llmlens: score.spanId must be 16 hex characters or absent (actual: 'short'); "
        "the score was not sent",
        "llmlens: score.name must be 1 to 256 characters (actual: ''); the score was not sent",
        "llmlens: score no value needs a value (a finite number) or a label "
        "(actual: value nan, label None); the score was not sent",
        "llmlens: score 'no trace' has no trace: pass trace_id=..., or call score() inside a "
        "trace; the score was not sent",
    ]
    assert lens.stats().queued == 0
    lens.shutdown(100)
