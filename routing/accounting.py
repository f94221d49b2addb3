"""What each attempt on a path cost and how it went: one record, one structured log event.

Every attempt the router makes (the one that answered, the ones that failed before it,
a hedge that lost) becomes an :class:`Attempt` on the result and one log event on the
``claude_access.routing`` logger at INFO. The log record carries the event as a dict in
its ``event`` attribute, and its message is the same event as JSON, so that any handler
(a JSON log shipper, or plain ``%(message)s``) can forward it:

==================  ===========================================================
field               meaning
==================  ===========================================================
``event``           ``claude.attempt``
``stack``           the manifest's stack
``path``            the path's name; ``kind``, ``region`` beside it
``model``, ``tier`` the model id used on that path, and its tier
``outcome``         ``ok``, ``failed``, ``caller-error``, ``cancelled``,
                    ``interrupted`` or ``closed-early``
``category``        why it failed (:class:`routing.errors.Category`), or null
``status``          the HTTP status, where there was one
``latencyMs``       until the answer (a stream: until its first content event)
``inputTokens``     input tokens, cache writes and reads included
``outputTokens``    output tokens
``costUsd``         estimated from the manifest's tier prices
``requestId``       the platform's request id
``hedged``          whether this attempt was a hedge
``stream``          whether the request was streamed
==================  ===========================================================

Prompts and completions are never logged, unless the router is created with
``log_content=True``: then ``prompt`` (the request's ``system`` and ``messages``) and
``completion`` (the answer's text) are added.

The cost is an estimate: input tokens are priced at the tier's input price, cache
reads and writes included, because the manifest carries no cache prices; output
tokens at the output price.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from routing.manifest import Price

__all__ = [
    "EVENT_NAME",
    "Attempt",
    "Outcome",
    "build_event",
    "cost_usd",
    "emit",
    "logger",
    "usage_tokens",
]

logger = logging.getLogger("claude_access.routing")

EVENT_NAME: Final = "claude.attempt"

_PER_TOKEN: Final = 1e-6


class Outcome(StrEnum):
    """How one attempt ended."""

    OK = "ok"
    FAILED = "failed"
    """The path failed; the router moved on (or ran out of paths)."""
    CALLER_ERROR = "caller-error"
    """The request itself was refused (400, 413); no other path was tried."""
    CANCELLED = "cancelled"
    """A hedge race was won by another attempt."""
    INTERRUPTED = "interrupted"
    """A stream broke after its first content event."""
    CLOSED_EARLY = "closed-early"
    """The caller closed a stream before its end."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One request sent to one path."""

    path: str
    kind: str
    region: str | None
    model: str
    tier: str
    outcome: Outcome
    category: str | None
    status: int | None
    latency_ms: float
    detail: str | None = None
    request_id: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    hedged: bool = False
    stream: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "region": self.region,
            "model": self.model,
            "tier": self.tier,
            "outcome": self.outcome.value,
            "category": self.category,
            "status": self.status,
            "latencyMs": round(self.latency_ms, 3),
            "detail": self.detail,
            "requestId": self.request_id,
            "inputTokens": self.input_tokens,
            "outputTokens": self.output_tokens,
            "costUsd": self.cost_usd,
            "hedged": self.hedged,
            "stream": self.stream,
        }


def usage_tokens(usage: Any) -> tuple[int | None, int | None]:
    """Input (cache writes and reads included) and output tokens of an SDK ``Usage``."""
    if usage is None:
        return None, None
    total_in = (
        (usage.input_tokens or 0)
        + (getattr(usage, "cache_creation_input_tokens", None) or 0)
        + (getattr(usage, "cache_read_input_tokens", None) or 0)
    )
    return total_in, usage.output_tokens


def cost_usd(
    price: Price | None, input_tokens: int | None, output_tokens: int | None
) -> float | None:
    """Estimated USD for these tokens at ``price``; ``None`` when nothing is known."""
    if price is None or (input_tokens is None and output_tokens is None):
        return None
    return round(
        ((input_tokens or 0) * price.input_per_mtok + (output_tokens or 0) * price.output_per_mtok)
        * _PER_TOKEN,
        9,
    )


class _JsonMessage:
    """A log message that becomes JSON only if a handler formats it."""

    __slots__ = ("event",)

    def __init__(self, event: Mapping[str, Any]) -> None:
        self.event = event

    def __str__(self) -> str:
        return json.dumps(self.event, separators=(",", ":"), default=str)


def emit(
    attempt: Attempt,
    *,
    stack: str,
    content: Callable[[], Mapping[str, Any]] | None = None,
    hook: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    """Log one attempt event and hand it to ``hook``, building it only if either listens.

    ``content`` gives the prompt and completion fields; the router passes it only when
    it was created with ``log_content=True``.
    """
    logged = logger.isEnabledFor(logging.INFO)
    if not logged and hook is None:
        return
    event = build_event(attempt, stack=stack, content=None if content is None else content())
    if logged:
        logger.info(_JsonMessage(event), extra={"event": event})
    if hook is not None:
        hook(event)


def build_event(
    attempt: Attempt, *, stack: str, content: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The structured event of one attempt (see the module's table)."""
    event: dict[str, Any] = {"event": EVENT_NAME, "stack": stack, **attempt.to_json()}
    if content:
        event.update(content)
    return event
