"""AWS event-stream framing, as Bedrock's InvokeModelWithResponseStream sends it.

Each message is laid out as::

    total length (uint32) | headers length (uint32) | CRC32 of the previous 8 bytes
    headers: name length (uint8), name, value type (uint8, 7 = string),
             value length (uint16), value; repeated
    payload
    CRC32 of everything before it

all integers big-endian. Bedrock puts every Anthropic stream event into one message of
event type ``chunk``, whose payload is ``{"bytes": "<base64 of the event JSON>"}``; the
SDK's decoder (botocore's parser under it) checks both checksums and undoes the base64.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from collections.abc import Iterable
from typing import Any, Final

__all__ = ["chunk_message", "corrupt_message", "encode_message"]

_STRING_TYPE: Final = 7
_PRELUDE: Final = struct.Struct(">II")
_CHECKSUM: Final = struct.Struct(">I")


def _encode_headers(headers: Iterable[tuple[str, str]]) -> bytes:
    encoded = bytearray()
    for name, value in headers:
        raw_name = name.encode()
        raw_value = value.encode()
        if len(raw_name) > 255 or len(raw_value) > 65535:
            raise ValueError(f"Event-stream header {name!r} is too long to encode")
        encoded += struct.pack(">B", len(raw_name)) + raw_name
        encoded += struct.pack(">BH", _STRING_TYPE, len(raw_value)) + raw_value
    return bytes(encoded)


def encode_message(headers: Iterable[tuple[str, str]], payload: bytes) -> bytes:
    """One event-stream message with string ``headers`` and ``payload``."""
    encoded_headers = _encode_headers(headers)
    # The prelude and both checksums count towards the total length.
    total_length = _PRELUDE.size + 2 * _CHECKSUM.size + len(encoded_headers) + len(payload)
    prelude = _PRELUDE.pack(total_length, len(encoded_headers))
    message = prelude + _CHECKSUM.pack(zlib.crc32(prelude)) + encoded_headers + payload
    return message + _CHECKSUM.pack(zlib.crc32(message))


def chunk_message(event: dict[str, Any]) -> bytes:
    """The ``chunk`` message that carries one Anthropic stream event, as Bedrock sends it."""
    event_json = json.dumps(event, separators=(",", ":")).encode()
    payload = json.dumps({"bytes": base64.b64encode(event_json).decode()}).encode()
    headers = [
        (":event-type", "chunk"),
        (":content-type", "application/json"),
        (":message-type", "event"),
    ]
    return encode_message(headers, payload)


def corrupt_message(message: bytes) -> bytes:
    """``message`` with its trailing checksum broken, so that a decoder must reject it."""
    (checksum,) = _CHECKSUM.unpack(message[-_CHECKSUM.size :])
    return message[: -_CHECKSUM.size] + _CHECKSUM.pack(checksum ^ 0xFFFFFFFF)
