"""Who, where and which version: attributes a span carries and passes on to its children."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from ._types import MetadataValue

ATTRIBUTE_NAMES = (
    "user_id",
    "session_id",
    "endpoint",
    "environment",
    "release",
    "tags",
    "metadata",
)


class ResolvedAttributes(NamedTuple):
    """Attributes with every field present: what a span carries and passes to its children."""

    user_id: str | None = None
    session_id: str | None = None
    endpoint: str | None = None
    environment: str | None = None
    release: str | None = None
    tags: tuple[str, ...] = ()
    metadata: Mapping[str, MetadataValue] = {}


NO_ATTRIBUTES = ResolvedAttributes()


def own_attributes(**given: Any) -> dict[str, Any] | None:
    """The attributes among `given` that are set, or None when none is, so the common call
    without attributes allocates nothing further down."""
    own = {name: value for name, value in given.items() if value is not None}
    return own or None


def _merge_tags(inherited: tuple[str, ...], own: Sequence[str] | None) -> tuple[str, ...]:
    if not own:
        return inherited
    if isinstance(own, str):
        own = (own,)
    if not inherited:
        return tuple(dict.fromkeys(own))
    return tuple(dict.fromkeys((*inherited, *own)))


def merge_attributes(
    inherited: ResolvedAttributes, own: Mapping[str, Any] | None
) -> ResolvedAttributes:
    """The attributes of a span: its own where set, else its parent's (or the global ones). Tags
    add up and metadata merges key by key. Returns `inherited` itself when nothing is set.

    >>> merge_attributes(ResolvedAttributes(user_id="u-1", tags=("a",)), {"tags": ["b"]})
    ResolvedAttributes(user_id='u-1', session_id=None, endpoint=None, environment=None, \
release=None, tags=('a', 'b'), metadata={})
    """
    if not own:
        return inherited
    metadata = own.get("metadata")
    return ResolvedAttributes(
        user_id=own.get("user_id", inherited.user_id),
        session_id=own.get("session_id", inherited.session_id),
        endpoint=own.get("endpoint", inherited.endpoint),
        environment=own.get("environment", inherited.environment),
        release=own.get("release", inherited.release),
        tags=_merge_tags(inherited.tags, own.get("tags")),
        metadata={**inherited.metadata, **metadata} if metadata else inherited.metadata,
    )
