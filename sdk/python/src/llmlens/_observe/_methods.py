"""Which methods of which client are model calls, and what the proxy does with each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from ._anthropic_messages import ANTHROPIC_MESSAGES
from ._openai_chat import OPENAI_CHAT
from ._openai_embeddings import OPENAI_EMBEDDINGS
from ._openai_responses import OPENAI_RESPONSES
from ._shape import CallShape


class MethodRole(NamedTuple):
    """What the proxy does with a method, by its path from the client:

    - `call`: a model call, recorded as one span;
    - `helper`: a convenience method (`stream`) that makes its request through `create`; it
      runs with the observed resource as `self`, so the request is recorded once, by `create`;
    - `stream_manager`: Anthropic's `stream`, which sends its own request (see
      `ObservedStreamManager`);
    - `client`: returns a new client (`with_options`, `copy`), which is observed in turn.
    """

    role: Literal["call", "helper", "stream_manager", "client"]
    shape: CallShape | None = None


class MethodTable(NamedTuple):
    provider: str
    # Objects on the way to a known method, which get a proxy of their own.
    resources: frozenset[str]
    methods: Mapping[str, MethodRole]


_HELPER = MethodRole("helper")
_CLIENT = MethodRole("client")

OPENAI_METHODS = MethodTable(
    provider="openai",
    resources=frozenset(("chat", "chat.completions", "responses", "embeddings")),
    methods={
        "chat.completions.create": MethodRole("call", OPENAI_CHAT),
        # `parse` sends its request itself rather than through `create`.
        "chat.completions.parse": MethodRole("call", OPENAI_CHAT),
        "chat.completions.stream": _HELPER,
        "responses.create": MethodRole("call", OPENAI_RESPONSES),
        "responses.parse": MethodRole("call", OPENAI_RESPONSES),
        "responses.stream": _HELPER,
        "embeddings.create": MethodRole("call", OPENAI_EMBEDDINGS),
        "with_options": _CLIENT,
        "copy": _CLIENT,
    },
)

ANTHROPIC_METHODS = MethodTable(
    provider="anthropic",
    resources=frozenset(("messages", "beta", "beta.messages")),
    methods={
        "messages.create": MethodRole("call", ANTHROPIC_MESSAGES),
        "messages.parse": MethodRole("call", ANTHROPIC_MESSAGES),
        "messages.stream": MethodRole("stream_manager", ANTHROPIC_MESSAGES),
        "beta.messages.create": MethodRole("call", ANTHROPIC_MESSAGES),
        "beta.messages.parse": MethodRole("call", ANTHROPIC_MESSAGES),
        "beta.messages.stream": MethodRole("stream_manager", ANTHROPIC_MESSAGES),
        "with_options": _CLIENT,
        "copy": _CLIENT,
    },
)


def method_table_for(client: Any) -> MethodTable | None:
    """Which table fits a client, judged by its class's shape rather than by importing either
    client: OpenAI's has `chat`, Anthropic's has `messages` and no `chat`. The class is read,
    not the instance, so that judging creates none of the client's resources."""
    cls = type(client)
    if isinstance(client, type) or callable(client):
        return None
    if getattr(cls, "chat", None) is not None:
        return OPENAI_METHODS
    if getattr(cls, "messages", None) is not None:
        return ANTHROPIC_METHODS
    return None
