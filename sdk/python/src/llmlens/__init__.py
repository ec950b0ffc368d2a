"""llmlens: two-line observability for LLM applications.

>>> from openai import OpenAI
>>> from llmlens import observe
>>> client = observe(OpenAI())
"""

from ._api import flush, init, observe, score, shutdown, span, stats, trace
from ._config import DEFAULT_URL
from ._export._exporter import ExporterStats
from ._llmlens import Llmlens, current_span
from ._scopes import SpanScope
from ._span import Span
from ._types import ErrorCategory, Metadata, Redact, SpanError, SpanKind, Usage, WireSpan

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_URL",
    "ErrorCategory",
    "ExporterStats",
    "Llmlens",
    "Metadata",
    "Redact",
    "Span",
    "SpanError",
    "SpanKind",
    "SpanScope",
    "Usage",
    "WireSpan",
    "__version__",
    "current_span",
    "flush",
    "init",
    "observe",
    "score",
    "shutdown",
    "span",
    "stats",
    "trace",
]
