"""Faults injected on the client side, under a path's SDK client, for drills and benchmarks.

The failover drill must prove failover against real endpoints, where nobody can make
Bedrock refuse connections on request. So the fault lives in this process: a transport
wrapped around the path's own HTTP transport (see :data:`routing.clients.TransportWrapper`)
that, while a fault is set for that path, does one of:

===============  ============================================================================
mode             what the SDK client sees
===============  ============================================================================
``refuse``       ``httpx2.ConnectError`` caused by ``ConnectionRefusedError``, at once
``blackhole``    nothing until the attempt's read timeout, then ``httpx2.ReadTimeout``
``status:NNN``   an HTTP NNN answer with the platform's own error body (e.g. ``status:529``)
``slow:MS@P``    a share ``P`` (0..1) of requests held ``MS`` milliseconds before being sent
===============  ============================================================================

With no fault set, a request goes straight to the wrapped transport; the cost is one
dictionary lookup.

```py
faults = FaultInjector()
router = Router.from_manifest(manifest, wrap_transport=faults.wrap)
faults.set("bedrock-us-east-1", FaultMode.parse("status:529"))
...
faults.clear("bedrock-us-east-1")
```
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import threading
import uuid
from dataclasses import dataclass
from typing import Any, Final, Literal

import httpx2

from routing.manifest import PathEntry

__all__ = [
    "MODES",
    "AsyncFaultTransport",
    "FaultInjector",
    "FaultMode",
    "FaultTransport",
    "error_body",
]

MODES: Final = ("refuse", "blackhole", "status:NNN", "slow:MS@SHARE")
"""How fault modes are spelled, for help texts."""

_STATUS_MODE: Final = re.compile(r"^status:(?P<status>[45]\d\d)$")
_SLOW_MODE: Final = re.compile(r"^slow:(?P<ms>\d+(?:\.\d+)?)@(?P<share>0|1|0?\.\d+|1\.0+)$")

DEFAULT_BLACKHOLE_SECONDS: Final = 30.0
"""How long a blackhole holds a request whose read timeout is unset."""


@dataclass(frozen=True)
class FaultMode:
    """One client-side fault (see the module's table)."""

    kind: Literal["refuse", "blackhole", "status", "slow"]
    status: int | None = None
    delay: float = 0.0
    """Seconds, for ``slow``."""
    share: float = 1.0
    """The share of requests affected, for ``slow``."""

    @classmethod
    def parse(cls, text: str) -> FaultMode:
        """Read ``refuse``, ``blackhole``, ``status:529`` or ``slow:250@0.03``."""
        if text in ("refuse", "blackhole"):
            return cls(text)  # type: ignore[arg-type]
        status = _STATUS_MODE.match(text)
        if status:
            return cls("status", status=int(status["status"]))
        slow = _SLOW_MODE.match(text)
        if slow:
            return cls("slow", delay=float(slow["ms"]) / 1000.0, share=float(slow["share"]))
        raise ValueError(
            f"Expected a fault mode to be refuse, blackhole, status:NNN (400..599) or "
            f"slow:MS@SHARE, got {text!r}"
        )

    def __str__(self) -> str:
        if self.kind == "status":
            return f"status:{self.status}"
        if self.kind == "slow":
            return f"slow:{self.delay * 1000:g}@{self.share:g}"
        return self.kind


class FaultInjector:
    """The faults currently set, by path name, shared by every wrapped transport.

    Thread-safe: the drill sets and clears faults while requests are in flight.

    :param seed: seeds which requests a ``slow`` fault with a share below 1 holds.
    """

    def __init__(self, *, seed: int = 0) -> None:
        self._faults: dict[str, FaultMode] = {}
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._released = threading.Event()

    def set(self, path: str, mode: FaultMode) -> None:
        """Make ``path`` misbehave as ``mode`` says, from its next request on."""
        with self._lock:
            self._faults[path] = mode

    def clear(self, path: str) -> None:
        """Make ``path`` behave normally again; requests already held keep their fault."""
        with self._lock:
            self._faults.pop(path, None)

    def get(self, path: str) -> FaultMode | None:
        return self._faults.get(path)

    def release_all(self) -> None:
        """End every blackhole wait at once (when shutting down)."""
        self._released.set()

    def holds(self, share: float) -> bool:
        """Whether the next request of a ``slow`` fault with this share is held."""
        if share >= 1.0:
            return True
        with self._lock:
            return self._random.random() < share

    def wrap(self, entry: PathEntry, transport: Any) -> Any:
        """A :data:`routing.clients.TransportWrapper` that puts this injector in front."""
        if isinstance(transport, httpx2.AsyncBaseTransport):
            return AsyncFaultTransport(transport, entry, self)
        return FaultTransport(transport, entry, self)


def _read_timeout(request: httpx2.Request) -> float:
    timeout = request.extensions.get("timeout") or {}
    read = timeout.get("read")
    return DEFAULT_BLACKHOLE_SECONDS if read is None else float(read)


def _refused(entry: PathEntry, request: httpx2.Request) -> httpx2.ConnectError:
    error = httpx2.ConnectError(
        f"[drill] connection to path {entry.name!r} refused", request=request
    )
    error.__cause__ = ConnectionRefusedError(111, "Connection refused")
    return error


def _status_response(entry: PathEntry, status: int, request: httpx2.Request) -> httpx2.Response:
    headers, body = error_body(entry.kind, status)
    return httpx2.Response(
        status,
        headers=[("content-type", "application/json"), *headers],
        content=json.dumps(body).encode(),
        request=request,
    )


class FaultTransport(httpx2.BaseTransport):
    """A synchronous transport that applies the injector's fault for one path."""

    def __init__(self, inner: httpx2.BaseTransport, entry: PathEntry, injector: FaultInjector):
        self._inner = inner
        self._entry = entry
        self._injector = injector

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        mode = self._injector._faults.get(self._entry.name)
        if mode is None:
            return self._inner.handle_request(request)
        if mode.kind == "refuse":
            raise _refused(self._entry, request)
        if mode.kind == "blackhole":
            self._injector._released.wait(_read_timeout(request))
            raise httpx2.ReadTimeout("[drill] no answer (blackhole)", request=request)
        if mode.kind == "status":
            assert mode.status is not None
            return _status_response(self._entry, mode.status, request)
        if self._injector.holds(mode.share):
            self._injector._released.wait(mode.delay)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class AsyncFaultTransport(httpx2.AsyncBaseTransport):
    """The asynchronous counterpart of :class:`FaultTransport`; waits are cancellable."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, entry: PathEntry, injector: FaultInjector):
        self._inner = inner
        self._entry = entry
        self._injector = injector

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        mode = self._injector._faults.get(self._entry.name)
        if mode is None:
            return await self._inner.handle_async_request(request)
        if mode.kind == "refuse":
            raise _refused(self._entry, request)
        if mode.kind == "blackhole":
            await asyncio.sleep(_read_timeout(request))
            raise httpx2.ReadTimeout("[drill] no answer (blackhole)", request=request)
        if mode.kind == "status":
            assert mode.status is not None
            return _status_response(self._entry, mode.status, request)
        if self._injector.holds(mode.share):
            await asyncio.sleep(mode.delay)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


# --- error bodies, as each platform words them ----------------------------------------------

_ANTHROPIC_TYPES: Final = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
_AWS_CODES: Final = {
    400: "ValidationException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}
_GOOGLE_STATUSES: Final = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    529: "UNAVAILABLE",
}


def error_body(kind: str, status: int) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """Headers and JSON body of an error answer with ``status`` on a path of ``kind``."""
    message = "Injected by the failover drill"
    if status == 529:
        message = "Overloaded (injected by the failover drill)"
    if kind == "bedrock":
        code = _AWS_CODES.get(
            status, "ServiceUnavailableException" if status >= 500 else "ValidationException"
        )
        return (
            [
                ("x-amzn-RequestId", str(uuid.uuid4())),
                (
                    "x-amzn-ErrorType",
                    f"{code}:http://internal.amazon.com/coral/com.amazon.bedrock/",
                ),
            ],
            {"message": message},
        )
    if kind == "vertex":
        state = _GOOGLE_STATUSES.get(status, "INTERNAL" if status >= 500 else "FAILED_PRECONDITION")
        return [], {"error": {"code": status, "message": message, "status": state}}
    error_type = _ANTHROPIC_TYPES.get(
        status, "api_error" if status >= 500 else "invalid_request_error"
    )
    request_id = f"req_drill_{uuid.uuid4().hex[:20]}"
    return (
        [("request-id", request_id)],
        {
            "type": "error",
            "error": {"type": error_type, "message": message},
            "request_id": request_id,
        },
    )
