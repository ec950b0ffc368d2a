"""The SDK's only voice: the `llmlens` logger, silent until the application configures logging.

Without a handler of its own, a library's warnings reach Python's last-resort handler and print
to stderr; the `NullHandler` keeps them inside the logging system, where the application decides.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("llmlens")
logger.addHandler(logging.NullHandler())

_said: set[str] = set()
# Distinct warnings remembered; a failing collector repeats itself with changing numbers.
_SAID_MAX = 256


def warn_once(message: str) -> None:
    """A warning logged once per distinct text: a bad setting read on every `init()` is noise."""
    if message in _said:
        return
    if len(_said) >= _SAID_MAX:
        _said.clear()
    _said.add(message)
    logger.warning(message)
