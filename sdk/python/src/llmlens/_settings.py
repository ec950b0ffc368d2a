"""Readers of one setting from the arguments, then the environment, then the default. A bad
value is logged once, with where it came from, the value seen and what is allowed, and the next
source is tried; no setting ever becomes NaN or raises."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Callable, NamedTuple, TypeVar
from urllib.parse import urlsplit

from ._log import warn_once

T = TypeVar("T")

TRUE_WORDS = frozenset(("true", "1", "yes", "on"))
FALSE_WORDS = frozenset(("false", "0", "no", "off"))


class NumberRule(NamedTuple):
    low: float
    high: float
    integer: bool

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a number"
        return f"{kind} from {_number_text(self.low)} to {_number_text(self.high)}"


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float) and value.is_integer():
        return _number_text(value)
    return repr(value)


class SettingReader:
    """Reads settings for one `init()`; `env` is `os.environ` or a test's own mapping."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def _pick(
        self,
        option: str,
        value: object,
        parse: Callable[[object], T | None],
        expected: str,
        fallback: T,
    ) -> T:
        variable = "LLMLENS_" + option.upper()
        raw = self._env.get(variable, "").strip() or None
        from_variable = None if raw is None else parse(raw)
        following = fallback if from_variable is None else from_variable
        if value is not None:
            parsed = parse(value)
            if parsed is not None:
                return parsed
            self._complain(option, value, expected, following)
        if raw is not None and from_variable is None:
            self._complain(variable, raw, expected, fallback)
        return following

    @staticmethod
    def _complain(where: str, value: object, expected: str, using: object) -> None:
        warn_once(
            f"llmlens: {where} must be {expected} (actual: {_describe(value)}); "
            f"using {_describe(using)}"
        )

    def number(self, option: str, value: object, rule: NumberRule, fallback: float) -> float:
        def parse(raw: object) -> float | None:
            if isinstance(raw, bool):
                return None
            try:
                number = float(raw)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return None
            if not math.isfinite(number) or number < rule.low or number > rule.high:
                return None
            if rule.integer and not number.is_integer():
                return None
            return number

        return self._pick(option, value, parse, rule.describe(), fallback)

    def integer(self, option: str, value: object, low: int, high: int, fallback: int) -> int:
        return int(self.number(option, value, NumberRule(low, high, True), fallback))

    def boolean(self, option: str, value: object, fallback: bool) -> bool:
        def parse(raw: object) -> bool | None:
            if isinstance(raw, bool):
                return raw
            word = raw.lower() if isinstance(raw, str) else ""
            if word in TRUE_WORDS:
                return True
            return False if word in FALSE_WORDS else None

        return self._pick(option, value, parse, "true or false", fallback)

    def text(self, option: str, value: object) -> str | None:
        def parse(raw: object) -> str | None:
            return raw if isinstance(raw, str) and raw != "" else None

        return self._pick(option, value, parse, "a non-empty string", None)

    def url(self, option: str, value: object, fallback: str) -> str:
        def parse(raw: object) -> str | None:
            if not isinstance(raw, str):
                return None
            try:
                parts = urlsplit(raw)
            except ValueError:
                return None
            return raw if parts.scheme in ("http", "https") and parts.netloc else None

        return self._pick(option, value, parse, "an http:// or https:// URL", fallback)
