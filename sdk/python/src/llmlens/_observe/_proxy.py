"""`observe(client)`: the client with its model calls recorded, everything else untouched."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, TypeVar

from ._call import Scope, observed_call
from ._methods import MethodRole, MethodTable, method_table_for
from ._stream_manager import ObservedStreamManager

T = TypeVar("T")


def _layer(outer: Mapping[str, Any] | None, inner: Mapping[str, Any] | None) -> Any:
    """Attributes of `observe(observe(client, a), b)`: b's where set, tags added up, metadata
    merged."""
    if not outer or not inner:
        return inner or outer
    layered = {**outer, **inner}
    if "tags" in outer and "tags" in inner:
        layered["tags"] = [*outer["tags"], *inner["tags"]]
    if "metadata" in outer and "metadata" in inner:
        layered["metadata"] = {**outer["metadata"], **inner["metadata"]}
    return layered


# Views of a client or resource whose methods return the HTTP response instead of the parsed
# result; each is built over the object it views, and is rebuilt here over the proxy.
_RAW_VIEWS = frozenset(("with_raw_response", "with_streaming_response"))


def _raw_view(view: Any, observed: Any) -> Any:
    """The view over the observed object, so its methods call the recorded ones. Both official
    clients make a view from the one object it views (`CompletionsWithRawResponse(completions)`);
    a view made otherwise is returned as it is, unrecorded."""
    try:
        return type(view)(observed)
    except Exception:
        return view


class _Observed:
    """A proxy of the client or of one of its resources. Attribute reads go to the real
    object; known methods and resources come back observed and are cached on the proxy, so
    `client.chat.completions.create` costs three ordinary attribute reads after the first call.
    `isinstance(proxy, OpenAI)` holds: the proxy reports the client's class as its own."""

    def __init__(self, target: Any, path: str, scope: Scope, table: MethodTable) -> None:
        object.__setattr__(self, "_llmlens_target", target)
        object.__setattr__(self, "_llmlens_path", path)
        object.__setattr__(self, "_llmlens_scope", scope)
        object.__setattr__(self, "_llmlens_table", table)

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return type(object.__getattribute__(self, "_llmlens_target"))

    def __getattr__(self, name: str) -> Any:
        target = object.__getattribute__(self, "_llmlens_target")
        table: MethodTable = object.__getattribute__(self, "_llmlens_table")
        value = getattr(target, name)
        path = object.__getattribute__(self, "_llmlens_path") + name
        role = table.methods.get(path)
        if role is not None:
            made = self._method(role, name, value)
        elif name in _RAW_VIEWS:
            made = _raw_view(value, self)
        elif path in table.resources:
            scope = object.__getattribute__(self, "_llmlens_scope")
            made = _Observed(value, path + ".", scope, table)
        else:
            return value
        object.__setattr__(self, name, made)
        return made

    def _method(self, role: MethodRole, name: str, original: Callable[..., Any]) -> Any:
        scope: Scope = object.__getattribute__(self, "_llmlens_scope")
        shape = role.shape
        if role.role == "call" and shape is not None:

            def observed_method(*args: Any, **kwargs: Any) -> Any:
                return observed_call(scope, shape, original, args, kwargs)

            return observed_method
        if role.role == "stream_manager" and shape is not None:

            def observed_stream(*args: Any, **kwargs: Any) -> Any:
                return ObservedStreamManager(original(*args, **kwargs), scope, shape, kwargs)

            return observed_stream
        if role.role == "helper":
            function = getattr(type(object.__getattribute__(self, "_llmlens_target")), name)

            def helper(*args: Any, **kwargs: Any) -> Any:
                return function(self, *args, **kwargs)

            return helper

        def client_method(*args: Any, **kwargs: Any) -> Any:
            return _observe_with(original(*args, **kwargs), scope)

        return client_method

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(object.__getattribute__(self, "_llmlens_target"), name, value)

    def __dir__(self) -> list[str]:
        return dir(object.__getattribute__(self, "_llmlens_target"))

    def __repr__(self) -> str:
        return repr(object.__getattribute__(self, "_llmlens_target"))

    def __enter__(self) -> Any:
        target = object.__getattribute__(self, "_llmlens_target")
        entered = target.__enter__()
        return self if entered is target else entered

    def __exit__(self, *exc_info: Any) -> Any:
        return object.__getattribute__(self, "_llmlens_target").__exit__(*exc_info)

    async def __aenter__(self) -> Any:
        target = object.__getattribute__(self, "_llmlens_target")
        entered = await target.__aenter__()
        return self if entered is target else entered

    async def __aexit__(self, *exc_info: Any) -> Any:
        return await object.__getattribute__(self, "_llmlens_target").__aexit__(*exc_info)


def _observe_with(client: Any, scope: Scope) -> Any:
    table = method_table_for(client)
    if table is None:
        return client
    return _Observed(client, "", scope, table)


def observe_client(
    client: T,
    recorder: Callable[[], Any],
    attributes: Mapping[str, Any] | None,
    capture_content: bool | None,
    provider: str | None,
) -> T | None:
    """The client observed, or None when it is not a client this SDK knows."""
    previous: Scope | None = None
    target: Any = client
    if type(client) is _Observed:
        previous = object.__getattribute__(client, "_llmlens_scope")
        target = object.__getattribute__(client, "_llmlens_target")
    table = method_table_for(target)
    if table is None:
        return None
    if previous is not None:
        attributes = _layer(previous.attributes, attributes)
        capture_content = previous.capture_content if capture_content is None else capture_content
        provider = provider or previous.provider
    scope = Scope(recorder, attributes, capture_content, provider or table.provider)
    observed: Any = _Observed(target, "", scope, table)
    return observed  # type: ignore[no-any-return]
