"""The Messages API itself: request validation and deterministic answers.

Every path kind carries the same Messages request body, give or take where the model id
and the version go, so the checks and the answer are shared here and the paths only
differ in framing, auth and error format.

Answers are deterministic so that tests and cost reports can predict them: a token is a
whitespace-separated word, input tokens are the words of the system prompt, messages and
tool definitions, and the reply names the path and model and echoes the start of the last
user turn, cut to ``max_tokens`` words.
"""

from __future__ import annotations

import json
import secrets
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from smoke_tests.emulator.errors import ApiError

__all__ = [
    "ANTHROPIC_VERSIONS",
    "BEDROCK_VERSIONS",
    "VERTEX_VERSIONS",
    "InvalidField",
    "MessagesCall",
    "build_message",
    "count_tokens",
    "new_id",
    "parse_json_object",
    "sse_frame",
    "stream_events",
    "validate_count_tokens",
    "validate_messages",
]

ANTHROPIC_VERSIONS: Final = frozenset({"2023-01-01", "2023-06-01", "2026-10-21"})
"""The dated API versions accepted, in the ``anthropic-version`` header or in a body.

Current SDK clients send their own dated version everywhere, the Bedrock and Vertex
bodies included; older clients send the platform versions below in those bodies.
"""

BEDROCK_VERSIONS: Final = frozenset({"bedrock-2023-05-31", *ANTHROPIC_VERSIONS})
"""The ``anthropic_version`` body values that Bedrock InvokeModel accepts."""

VERTEX_VERSIONS: Final = frozenset({"vertex-2023-10-16", *ANTHROPIC_VERSIONS})
"""The ``anthropic_version`` body values that Vertex rawPredict accepts."""

_ECHO_WORDS: Final = 12
_WORDS_PER_DELTA: Final = 2
_ID_ALPHABET: Final = string.ascii_letters + string.digits


class InvalidField(ApiError):
    """A request body field that the Messages API rejects, named by its JSON path."""

    def __init__(self, field: str, problem: str, status: int = 400) -> None:
        super().__init__(status, f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class MessagesCall:
    """A Messages request that passed validation."""

    model: str
    max_tokens: int
    stream: bool
    input_tokens: int
    last_user_text: str


def new_id(prefix: str) -> str:
    """An id shaped like the platform's own, e.g. ``msg_01...`` or ``req_vrtx_01...``."""
    return prefix + "01" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(22))


def parse_json_object(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object, or a 400 that says why it is not one."""
    try:
        value = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"The request body is not valid JSON: {exc.msg}.") from None
    except UnicodeDecodeError:
        raise ApiError(400, "The request body is not valid UTF-8.") from None
    if not isinstance(value, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return value


def _texts(value: Any) -> Iterator[str]:
    """Every piece of text inside a content value, at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, Mapping):
        for key in ("text", "content", "thinking"):
            if key in value:
                yield from _texts(value[key])
        if "input" in value:
            yield json.dumps(value["input"])


def _words(texts: Iterator[str]) -> int:
    return sum(len(text.split()) for text in texts)


def count_tokens(body: Mapping[str, Any]) -> int:
    """Input tokens of a request body: one per word, at least one."""
    total = _words(_texts(body.get("system")))
    total += _words(_texts(body.get("messages")))
    if body.get("tools"):
        total += len(json.dumps(body["tools"]).split())
    return max(1, total)


def _require_int(body: Mapping[str, Any], key: str) -> int:
    if key not in body:
        raise InvalidField(key, "Field required")
    value = body[key]
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidField(key, "Input should be a valid integer")
    if value < 1:
        raise InvalidField(key, "Input should be greater than or equal to 1")
    return value


def _check_messages(body: Mapping[str, Any]) -> str:
    """Check ``messages``; return the text of the last user turn."""
    if "messages" not in body:
        raise InvalidField("messages", "Field required")
    messages = body["messages"]
    if not isinstance(messages, list):
        raise InvalidField("messages", "Input should be a valid list")
    if not messages:
        raise InvalidField("messages", "List should have at least 1 item after validation, not 0")
    last_user_text = ""
    for index, message in enumerate(messages):
        if not isinstance(message, Mapping):
            raise InvalidField(f"messages.{index}", "Input should be a valid dictionary")
        if message.get("role") not in ("user", "assistant"):
            raise InvalidField(f"messages.{index}.role", "Input should be 'user' or 'assistant'")
        content = message.get("content")
        if not isinstance(content, str | list):
            raise InvalidField(
                f"messages.{index}.content", "Input should be a valid string or list"
            )
        if message["role"] == "user":
            last_user_text = " ".join(_texts(content))
    return last_user_text


def _check_optional(body: Mapping[str, Any]) -> None:
    system = body.get("system")
    if system is not None and not isinstance(system, str | list):
        raise InvalidField("system", "Input should be a valid string or list")
    stream = body.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise InvalidField("stream", "Input should be a valid boolean")


def validate_messages(body: Mapping[str, Any], *, model: str | None = None) -> MessagesCall:
    """Check a Messages request body the way the API does.

    :param model: the model id when the platform takes it from the URL (Bedrock, Vertex);
        ``None`` when it is the body's ``model`` field.
    :raises InvalidField: for the first field that is missing or wrong.
    """
    if model is None:
        model = body.get("model")
        if model is None:
            raise InvalidField("model", "Field required")
        if not isinstance(model, str) or not model:
            raise InvalidField("model", "Input should be a non-empty string")
    max_tokens = _require_int(body, "max_tokens")
    last_user_text = _check_messages(body)
    _check_optional(body)
    return MessagesCall(
        model=model,
        max_tokens=max_tokens,
        stream=bool(body.get("stream", False)),
        input_tokens=count_tokens(body),
        last_user_text=last_user_text,
    )


def validate_count_tokens(body: Mapping[str, Any]) -> tuple[str, int]:
    """Check a token-counting body; return its model id and its input tokens."""
    model = body.get("model")
    if model is None:
        raise InvalidField("model", "Field required")
    if not isinstance(model, str) or not model:
        raise InvalidField("model", "Input should be a non-empty string")
    _check_messages(body)
    system = body.get("system")
    if system is not None and not isinstance(system, str | list):
        raise InvalidField("system", "Input should be a valid string or list")
    return model, count_tokens(body)


def build_message(call: MessagesCall, *, message_id: str, path_name: str) -> dict[str, Any]:
    """The answer to ``call``: a complete Messages object."""
    echo = " ".join(call.last_user_text.split()[:_ECHO_WORDS])
    words = f"Emulated reply from {path_name} ({call.model}) to: {echo}".split()
    stop_reason = "end_turn"
    if len(words) > call.max_tokens:
        words = words[: call.max_tokens]
        stop_reason = "max_tokens"
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": call.model,
        "content": [{"type": "text", "text": " ".join(words)}],
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": call.input_tokens,
            "output_tokens": len(words),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        },
    }


def stream_events(message: Mapping[str, Any], *, ping: bool = True) -> list[dict[str, Any]]:
    """The stream events that deliver ``message``, in the order the API sends them.

    The text arrives a couple of words per delta; joining the deltas gives the text back.
    """
    text = message["content"][0]["text"]
    usage = message["usage"]
    start_message = {
        **message,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {**usage, "output_tokens": 1},
    }
    events: list[dict[str, Any]] = [
        {"type": "message_start", "message": start_message},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    ]
    if ping:
        events.append({"type": "ping"})

    words = text.split(" ")
    for start in range(0, len(words), _WORDS_PER_DELTA):
        piece = " ".join(words[start : start + _WORDS_PER_DELTA])
        if start:
            piece = " " + piece
        events.append(
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": piece},
            }
        )

    events += [
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
            "usage": {"output_tokens": usage["output_tokens"]},
        },
        {"type": "message_stop"},
    ]
    return events


def sse_frame(event: Mapping[str, Any]) -> bytes:
    """One server-sent event, named after the event's ``type``."""
    data = json.dumps(event, separators=(",", ":"))
    return f"event: {event['type']}\ndata: {data}\n\n".encode()
