"""Just enough HTTP/1.1 over asyncio streams for the emulator.

The standard library's threaded server would do for well-behaved traffic, but faults
need control that it does not give: holding a request forever without a thread per
hold, closing a listening socket and opening it again on the same port, and ending a
chunked body in the middle. Owning the few lines of HTTP/1.1 that the SDK clients use
(a request head, a ``Content-Length`` or chunked body, keep-alive, and responses with a
fixed length or chunked events) keeps all of that on one event loop.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from typing import Any, Final
from urllib.parse import unquote

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_HEAD_BYTES",
    "Headers",
    "ProtocolError",
    "Request",
    "Response",
    "read_request",
    "write_response",
]

MAX_HEAD_BYTES: Final = 64 * 1024
"""The longest request line plus headers accepted; also the stream reader's line limit."""

MAX_BODY_BYTES: Final = 32 * 1024 * 1024
"""The largest request body accepted."""

_EXTRA_REASONS: Final = {529: "Overloaded"}


class ProtocolError(Exception):
    """The client sent something that is not an HTTP/1.1 request we can read."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class Headers:
    """Header fields in arrival order, looked up without regard to case."""

    def __init__(self, fields: Iterable[tuple[str, str]] = ()) -> None:
        self._fields = list(fields)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of ``name``, or ``default``."""
        lowered = name.lower()
        for key, value in self._fields:
            if key.lower() == lowered:
                return value
        return default

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name``, in arrival order."""
        lowered = name.lower()
        return [value for key, value in self._fields if key.lower() == lowered]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)


@dataclass(frozen=True)
class Request:
    """One parsed request. ``target`` is exactly what the client sent after the method."""

    method: str
    target: str
    version: str
    headers: Headers
    body: bytes

    @property
    def raw_path(self) -> str:
        """The path part of the target, still percent-encoded as it was signed."""
        return self.target.partition("?")[0]

    @property
    def path(self) -> str:
        """The path part of the target, percent-decoded."""
        return unquote(self.raw_path)

    @property
    def query(self) -> str:
        return self.target.partition("?")[2]

    @property
    def keep_alive(self) -> bool:
        """Whether the client expects the connection to stay open after the answer."""
        tokens = {
            token.strip().lower() for token in (self.headers.get("connection") or "").split(",")
        }
        if self.version == "HTTP/1.0":
            return "keep-alive" in tokens
        return "close" not in tokens


@dataclass
class Response:
    """An answer: either a fixed ``body``, or ``events`` sent one chunk each.

    ``framing`` names how ``events`` are framed (``"sse"`` or ``"eventstream"``), so that
    a fault that corrupts them knows how.
    """

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    events: list[bytes] | None = None
    framing: str | None = None

    @classmethod
    def json(cls, status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> Response:
        """A JSON answer; ``payload`` is serialised compactly."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        return cls(status, [("content-type", "application/json"), *headers], body)


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """Read one request, or return ``None`` when the client closed between requests."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise ProtocolError("The connection closed in the middle of a request head.") from exc
    except asyncio.LimitOverrunError as exc:
        raise ProtocolError("The request head is too large.", status=431) from exc

    # A client may send empty lines before the request line; they carry nothing.
    lines = head.decode("latin-1").lstrip("\r\n").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[1]:
        raise ProtocolError(f"Malformed request line {lines[0]!r}.")
    method, target, version = parts
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise ProtocolError(f"HTTP version {version!r} is not supported.", status=505)

    fields: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise ProtocolError(f"Malformed header line {line!r}.")
        fields.append((name, value.strip()))
    headers = Headers(fields)

    body = await _read_body(reader, headers)
    return Request(method=method, target=target, version=version, headers=headers, body=body)


async def _read_body(reader: asyncio.StreamReader, headers: Headers) -> bytes:
    transfer_encoding = (headers.get("transfer-encoding") or "").lower()
    if "chunked" in transfer_encoding:
        return await _read_chunked(reader)

    length_text = headers.get("content-length")
    if length_text is None:
        return b""
    if not length_text.isdigit():
        raise ProtocolError(f"Content-Length {length_text!r} is not a number.")
    length = int(length_text)
    if length > MAX_BODY_BYTES:
        raise ProtocolError("The request body is too large.", status=413)
    try:
        return await reader.readexactly(length)
    except asyncio.IncompleteReadError as exc:
        raise ProtocolError("The connection closed in the middle of a request body.") from exc


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    try:
        while True:
            size_line = await reader.readuntil(b"\r\n")
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError as exc:
                raise ProtocolError(f"Malformed chunk size {size_line!r}.") from exc
            if size == 0:
                # Skip any trailer fields up to the blank line that ends the body.
                while await reader.readuntil(b"\r\n") != b"\r\n":
                    pass
                return bytes(body)
            if len(body) + size > MAX_BODY_BYTES:
                raise ProtocolError("The request body is too large.", status=413)
            body += await reader.readexactly(size)
            await reader.readexactly(2)
    except asyncio.IncompleteReadError as exc:
        raise ProtocolError("The connection closed in the middle of a chunked body.") from exc
    except asyncio.LimitOverrunError as exc:
        raise ProtocolError("A chunk header is too large.") from exc


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return _EXTRA_REASONS.get(status, "Unknown")


async def write_response(
    writer: asyncio.StreamWriter,
    response: Response,
    *,
    keep_alive: bool,
    cut_after_events: int | None = None,
) -> bool:
    """Send ``response``; return whether the connection may carry another request.

    Events go out as one chunk each and are flushed one by one, as a real stream would
    arrive. With ``cut_after_events`` the body stops after that many events (or after all
    of them, if there are fewer) without the final empty chunk, so the client sees a body
    that breaks off rather than a short one that looks complete.
    """
    head = [f"HTTP/1.1 {response.status} {_reason(response.status)}"]
    head += [f"{name}: {value}" for name, value in response.headers]
    head.append(f"date: {formatdate(usegmt=True)}")
    if response.events is None:
        head.append(f"content-length: {len(response.body)}")
    else:
        head.append("transfer-encoding: chunked")
    head.append("connection: keep-alive" if keep_alive else "connection: close")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))

    if response.events is None:
        writer.write(response.body)
        await writer.drain()
        return keep_alive

    await writer.drain()
    events = response.events if cut_after_events is None else response.events[:cut_after_events]
    for event in events:
        writer.write(b"%x\r\n%s\r\n" % (len(event), event))
        await writer.drain()
    if cut_after_events is not None:
        return False
    writer.write(b"0\r\n\r\n")
    await writer.drain()
    return keep_alive
