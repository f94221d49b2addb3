"""The running emulator: one loopback listener per path, faults, and an admin listener.

All sockets live on one asyncio event loop in one background thread. Every piece of
mutable state (the listeners, their faults, their counters) is touched only on that
thread; the public methods hand their work to the loop and wait for it, which is what
makes them safe to call from any other thread while requests are in flight.

Each path has its own port, so that refusing or blackholing one path leaves the others
answering, exactly as one failed endpoint would.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from types import TracebackType
from typing import IO, Any, Final, TypeVar
from urllib.parse import parse_qs

from smoke_tests.emulator._http import (
    MAX_HEAD_BYTES,
    ProtocolError,
    Request,
    Response,
    read_request,
    write_response,
)
from smoke_tests.emulator.errors import ApiError
from smoke_tests.emulator.faults import NO_FAULT, Fault, FaultDice
from smoke_tests.emulator.manifest import build_manifest
from smoke_tests.emulator.paths import (
    DEFAULT_FOUNDRY_REGION,
    DEFAULT_REGION,
    DEFAULT_VERTEX_LOCATION,
    PATH_KINDS,
    PathSpec,
    default_path,
)
from smoke_tests.emulator.platforms import Platform, malform, platform_for

__all__ = ["Emulator"]

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

_CONTROL_TIMEOUT: Final = 10.0
"""How long a call from another thread waits for the loop before giving up."""

KEEP_ALIVE_SECONDS: Final = 75.0
"""How long an idle connection may wait for its next request before it is closed."""

_BASE_PATHS: Final = {
    "anthropic": "",
    "bedrock": "",
    "bedrock-mantle": "/anthropic",
    "vertex": "/v1",
    "foundry": "/anthropic",
}
"""What each kind's SDK client expects after the host in its ``base_url``."""

_Answer = Callable[[Request, asyncio.StreamWriter], Awaitable[bool]]


@dataclass(eq=False, kw_only=True)
class _Socket:
    """A listening socket and the connections it accepted."""

    port: int
    server: asyncio.Server | None = None
    connections: dict[asyncio.Task[Any], asyncio.StreamWriter] = field(default_factory=dict)

    def drop_connections(self) -> list[asyncio.Task[Any]]:
        """Reset every open connection and cancel its task; return the tasks."""
        tasks = list(self.connections)
        for task, writer in list(self.connections.items()):
            writer.transport.abort()
            task.cancel()
        return tasks


@dataclass(eq=False, kw_only=True)
class _Listener(_Socket):
    """One path's socket, platform, fault and counters."""

    spec: PathSpec
    platform: Platform
    dice: FaultDice
    fault: Fault = NO_FAULT
    released: asyncio.Event = field(default_factory=asyncio.Event)
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)


class Emulator:
    """Claude's endpoints, every path kind, on loopback, with faults on demand.

    ```py
    with Emulator(seed=7) as emu:
        client = AnthropicBedrock(
            aws_access_key=TEST_AWS_ACCESS_KEY_ID,
            aws_secret_key=TEST_AWS_SECRET_ACCESS_KEY,
            aws_region="us-east-1",
            base_url=emu.url("bedrock-us-east-1"),
        )
        emu.set_fault("bedrock-us-east-1", Fault(error_status=429, error_rate=0.5))
    ```

    :param paths: the paths to serve, in priority order: :class:`PathSpec` values, or kind
        names that get :func:`default_path`. ``None`` serves one default path per kind.
    :param region: the AWS region of default ``bedrock`` and ``bedrock-mantle`` paths.
    :param vertex_location: the location of a default ``vertex`` path.
    :param foundry_region: the Azure region of a default ``foundry`` path.
    :param seed: seeds the random choices that faults make, for repeatable runs.
    :param host: the address to listen on; keep it on loopback.
    :param faults: faults to set, by path name, before the first request.
    :param admin_port: where to serve the admin routes; ``None`` for no admin listener,
        0 for any free port.
    """

    def __init__(
        self,
        paths: Sequence[PathSpec | str] | None = None,
        *,
        region: str = DEFAULT_REGION,
        vertex_location: str = DEFAULT_VERTEX_LOCATION,
        foundry_region: str = DEFAULT_FOUNDRY_REGION,
        seed: int = 0,
        host: str = "127.0.0.1",
        faults: Mapping[str, Fault] | None = None,
        admin_port: int | None = None,
    ) -> None:
        if isinstance(paths, str | PathSpec):
            raise TypeError("Expected paths to be a sequence of path specs or kind names")
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise TypeError(f"Expected seed to be an integer, got {seed!r}")
        if admin_port is not None and not 0 <= admin_port <= 65535:
            raise ValueError(f"Expected admin_port to be 0..65535 or None, got {admin_port!r}")

        specs: list[PathSpec] = []
        for item in PATH_KINDS if paths is None else paths:
            if isinstance(item, PathSpec):
                specs.append(item)
            elif isinstance(item, str):
                specs.append(
                    default_path(
                        item,
                        region=region,
                        vertex_location=vertex_location,
                        foundry_region=foundry_region,
                    )
                )
            else:
                raise TypeError(f"Expected a path spec or a kind name, got {item!r}")
        if not specs:
            raise ValueError("Expected at least one path to serve")
        names = [spec.name for spec in specs]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"Expected path names to be unique, got {duplicates} more than once")

        self._specs: tuple[PathSpec, ...] = tuple(specs)
        self._seed = seed
        self._host = host
        self._admin_port = admin_port
        self._initial_faults: dict[str, Fault] = {}
        for name, fault in (faults or {}).items():
            self._spec(name)
            if not isinstance(fault, Fault):
                raise TypeError(f"Expected the fault of path {name!r} to be a Fault, got {fault!r}")
            self._initial_faults[name] = fault

        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._listeners: dict[str, _Listener] = {}
        self._admin: _Socket | None = None
        self._serving = False

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> Emulator:
        """Open every listener; return once all of them accept connections."""
        if self._loop is not None:
            raise RuntimeError("The emulator is already running")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(
            target=loop.run_forever, name="claude-access-emulator", daemon=True
        )
        thread.start()
        self._loop, self._thread = loop, thread
        try:
            asyncio.run_coroutine_threadsafe(self._open(), loop).result(_CONTROL_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Close every listener and connection, release held requests, end the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            if loop.is_running():
                asyncio.run_coroutine_threadsafe(self._close(), loop).result(_CONTROL_TIMEOUT)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(_CONTROL_TIMEOUT)
            if not thread.is_alive():
                loop.close()
            self._loop = self._thread = None
            self._listeners = {}
            self._admin = None
            logger.info("Emulator stopped")

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    async def _open(self) -> None:
        self._serving = True
        for spec in self._specs:
            listener = _Listener(
                port=spec.port,
                spec=spec,
                platform=platform_for(spec),
                dice=FaultDice(self._seed, spec.name),
            )
            listener.released.set()
            self._listeners[spec.name] = listener
            await self._listen(listener, partial(self._answer, listener))
            logger.info("Path %s (%s) listening at %s", spec.name, spec.kind, self._url(listener))
        if self._admin_port is not None:
            self._admin = _Socket(port=self._admin_port)
            await self._listen(self._admin, self._answer_admin)
            logger.info("Admin routes at http://%s:%d", self._host, self._admin.port)
        for name, fault in self._initial_faults.items():
            await self._apply_fault(name, fault)

    async def _close(self) -> None:
        self._serving = False
        sockets: list[_Socket] = [*self._listeners.values()]
        if self._admin is not None:
            sockets.append(self._admin)
        tasks: list[asyncio.Task[Any]] = []
        for sock in sockets:
            if sock.server is not None:
                sock.server.close()
                sock.server = None
            tasks += sock.drop_connections()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _listen(self, sock: _Socket, answer: _Answer) -> None:
        server = await asyncio.start_server(
            partial(self._serve_connection, sock, answer),
            self._host,
            sock.port,
            limit=MAX_HEAD_BYTES,
            reuse_address=True,
        )
        sock.port = server.sockets[0].getsockname()[1]
        sock.server = server

    # --- connections ----------------------------------------------------------------------

    async def _serve_connection(
        self,
        sock: _Socket,
        answer: _Answer,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        """Answer requests on one connection until either side closes it."""
        task = asyncio.current_task()
        assert task is not None
        sock.connections[task] = writer
        try:
            while True:
                try:
                    request = await asyncio.wait_for(read_request(reader), KEEP_ALIVE_SECONDS)
                except TimeoutError:
                    break
                except ProtocolError as error:
                    body = json.dumps({"error": str(error)}).encode()
                    response = Response(error.status, [("content-type", "application/json")], body)
                    await write_response(writer, response, keep_alive=False)
                    break
                if request is None or not await answer(request, writer):
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            # The client went away; there is nobody left to tell.
            pass
        except asyncio.CancelledError:
            # Only the emulator cancels these tasks, when it drops the connection on purpose.
            # Ending normally keeps asyncio from reporting the cancellation as an error.
            pass
        finally:
            sock.connections.pop(task, None)
            writer.close()

    async def _answer(
        self, listener: _Listener, request: Request, writer: asyncio.StreamWriter
    ) -> bool:
        """Answer one request on a path, faults included; return whether to keep the connection."""
        spec, platform, dice = listener.spec, listener.platform, listener.dice
        listener.requests += 1

        # 1. A blackhole holds the request until the fault is cleared or the emulator stops.
        if listener.fault.blackhole:
            logger.debug("Path %s holding %s %s", spec.name, request.method, request.raw_path)
            await listener.released.wait()
        fault = listener.fault

        # 2. Latency, then an injected error or the real answer.
        delay = dice.delay_seconds(fault)
        if delay:
            await asyncio.sleep(delay)
        if fault.error_status is not None and dice.should_fail(fault):
            response = platform.injected_error(fault.error_status)
        else:
            try:
                response = platform.respond(request)
            except Exception:
                logger.exception("Path %s failed to answer %s", spec.name, request.raw_path)
                response = platform.error_response(ApiError(500, platform.default_message(500)))
            if fault.malformed and response.status == 200:
                response = malform(response)

        # 3. Send it, cutting a stream short if asked to.
        cut = fault.cut_after_events if response.events is not None else None
        listener.statuses[response.status] += 1
        logger.debug(
            "Path %s answered %s %s with %d%s",
            spec.name,
            request.method,
            request.raw_path,
            response.status,
            f" (cut after {cut} events)" if cut is not None else "",
        )
        keep_alive = request.keep_alive and cut is None
        return await write_response(writer, response, keep_alive=keep_alive, cut_after_events=cut)

    # --- faults ---------------------------------------------------------------------------

    async def _apply_fault(self, name: str, fault: Fault) -> None:
        listener = self._listeners[name]
        listener.fault = fault
        listener.dice.reset()
        if fault.blackhole:
            listener.released.clear()
        else:
            listener.released.set()

        if fault.refuse and listener.server is not None:
            listener.server.close()
            listener.server = None
            tasks = listener.drop_connections()
            await asyncio.gather(*tasks, return_exceptions=True)
        elif not fault.refuse and listener.server is None and self._serving:
            await self._listen(listener, partial(self._answer, listener))
        logger.info("Path %s fault set to %s", name, fault)

    def set_fault(self, path_name: str, fault: Fault) -> None:
        """Make ``path_name`` misbehave as ``fault`` says, replacing its previous fault.

        Safe to call from any thread while the emulator runs; before :meth:`start` the
        fault is kept and applied on start.
        """
        self._spec(path_name)
        if not isinstance(fault, Fault):
            raise TypeError(f"Expected fault to be a Fault, got {fault!r}")
        if self._loop is None:
            self._initial_faults[path_name] = fault
            return
        self._call(self._apply_fault(path_name, fault))

    def clear_fault(self, path_name: str) -> None:
        """Make ``path_name`` behave normally again."""
        self.set_fault(path_name, NO_FAULT)

    def fault(self, path_name: str) -> Fault:
        """The fault currently set on ``path_name``."""
        self._spec(path_name)
        if self._loop is None:
            return self._initial_faults.get(path_name, NO_FAULT)
        return self._call(self._get_fault(path_name))

    async def _get_fault(self, name: str) -> Fault:
        return self._listeners[name].fault

    # --- what it serves -------------------------------------------------------------------

    @property
    def paths(self) -> tuple[PathSpec, ...]:
        """The paths served, in priority order."""
        return self._specs

    def port(self, path_name: str) -> int:
        """The loopback port of ``path_name``."""
        self._spec(path_name)
        return self._running_listener(path_name).port

    def url(self, path_name: str) -> str:
        """The ``base_url`` to give the path's SDK client."""
        self._spec(path_name)
        return self._url(self._running_listener(path_name))

    @property
    def admin_url(self) -> str | None:
        """Where the admin routes are served, or ``None`` without an admin listener."""
        if self._admin is None:
            return None
        return f"http://{self._host}:{self._admin.port}"

    def stats(self) -> dict[str, dict[str, Any]]:
        """Requests received and answers sent per path, by status, since start."""
        return self._call(self._get_stats())

    async def _get_stats(self) -> dict[str, dict[str, Any]]:
        return {
            name: {
                "requests": listener.requests,
                "statuses": {
                    str(status): count for status, count in sorted(listener.statuses.items())
                },
            }
            for name, listener in self._listeners.items()
        }

    def manifest(self, stack: str = "dev") -> dict[str, Any]:
        """A paths manifest whose every path points at this emulator.

        Its ``auth`` objects carry the emulator's fixed test credentials.
        """
        urls = [self.url(spec.name) for spec in self._specs]
        return build_manifest(self._specs, urls, stack=stack)

    def write_manifest(self, file: str | os.PathLike[str] | IO[str], *, stack: str = "dev") -> None:
        """Write :meth:`manifest` as JSON to a path or an open text file."""
        text = json.dumps(self.manifest(stack), indent=2) + "\n"
        if isinstance(file, str | os.PathLike):
            with open(file, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            file.write(text)

    # --- admin routes ---------------------------------------------------------------------

    async def _answer_admin(self, request: Request, writer: asyncio.StreamWriter) -> bool:
        """Serve the admin routes.

        ``GET /health``, ``GET /paths``, ``GET /stats``, ``GET /manifest?stack=NAME``,
        ``GET /faults/{path}``, ``PUT /faults/{path}`` with a fault as JSON (camelCase keys,
        as :meth:`Fault.to_json` writes them), ``DELETE /faults/{path}``.
        """
        try:
            status, payload = await self._admin_route(request)
        except ValueError as error:
            status, payload = 400, {"error": str(error)}
        response = Response.json(status, payload)
        return await write_response(writer, response, keep_alive=request.keep_alive)

    async def _admin_route(self, request: Request) -> tuple[int, Any]:
        method, path = request.method, request.path.rstrip("/")
        if path == "/health" and method == "GET":
            return 200, {"status": "ok"}
        if path == "/paths" and method == "GET":
            return 200, {
                "paths": [
                    {
                        "name": name,
                        "kind": listener.spec.kind,
                        "url": self._url(listener),
                        "fault": listener.fault.to_json(),
                    }
                    for name, listener in self._listeners.items()
                ]
            }
        if path == "/stats" and method == "GET":
            return 200, await self._get_stats()
        if path == "/manifest" and method == "GET":
            stack = parse_qs(request.query).get("stack", ["dev"])[0]
            urls = [self._url(self._listeners[spec.name]) for spec in self._specs]
            return 200, build_manifest(self._specs, urls, stack=stack)
        if path.startswith("/faults/"):
            name = path.removeprefix("/faults/")
            if name not in self._listeners:
                return 404, {
                    "error": f"Unknown path {name!r}; known paths are {list(self._listeners)}"
                }
            if method == "GET":
                return 200, {"name": name, "fault": self._listeners[name].fault.to_json()}
            if method in ("PUT", "POST"):
                try:
                    data = json.loads(request.body or b"{}")
                except json.JSONDecodeError as error:
                    raise ValueError(f"The fault is not valid JSON: {error.msg}") from None
                await self._apply_fault(name, Fault.from_json(data))
                return 200, {"name": name, "fault": self._listeners[name].fault.to_json()}
            if method == "DELETE":
                await self._apply_fault(name, NO_FAULT)
                return 200, {"name": name, "fault": NO_FAULT.to_json()}
            return 405, {"error": f"Method {method} is not allowed on {path}"}
        return 404, {"error": f"No admin route {method} {path}"}

    # --- helpers --------------------------------------------------------------------------

    def _spec(self, name: str) -> PathSpec:
        for spec in self._specs:
            if spec.name == name:
                return spec
        known = [spec.name for spec in self._specs]
        raise ValueError(f"Unknown path {name!r}; this emulator serves {known}")

    def _running_listener(self, name: str) -> _Listener:
        if self._loop is None:
            raise RuntimeError(
                "The emulator is not running; call start() or use it in a with block"
            )
        return self._listeners[name]

    def _url(self, listener: _Listener) -> str:
        return f"http://{self._host}:{listener.port}{_BASE_PATHS[listener.spec.kind]}"

    def _call(self, coroutine: Coroutine[Any, Any, _T]) -> _T:
        """Run ``coroutine`` on the emulator's loop and wait for its result."""
        loop = self._loop
        if loop is None:
            coroutine.close()
            raise RuntimeError(
                "The emulator is not running; call start() or use it in a with block"
            )
        if threading.current_thread() is self._thread:
            coroutine.close()
            raise RuntimeError("Emulator methods cannot be called from the emulator's own thread")
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(_CONTROL_TIMEOUT)
