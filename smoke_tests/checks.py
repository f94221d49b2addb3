"""The checks that the smoke tests run on each path and tier, and what each one found.

Three checks, each a single small call through the path's real SDK client:

=================  ==============================================================
check              what it proves
=================  ==============================================================
``message``        a minimal Messages call is authenticated, routed and answered
``stream``         a streamed answer arrives and ends properly; measures the time to
                   the first token (the first content delta)
``count-tokens``   the token-counting route answers for the model, where the path
                   offers it
=================  ==============================================================

Token counting is not offered everywhere: the SDK's ``AnthropicBedrock`` client refuses
it before sending anything (InvokeModel has no counting operation), while the first-party
API, ``bedrock-mantle``, Vertex (``count-tokens:rawPredict``) and Foundry all route it.
On a kind without it the check is reported as skipped, never failed.

A check either returns a :class:`Measurement` or raises; :func:`failed` turns whatever it
raised into a result through :func:`routing.errors.classify`, so that the category and
hint are the ones the router and the drill use too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Final, Literal

from routing.errors import Category, Failure, request_id_of

__all__ = [
    "CHECKS",
    "MAX_TOKENS",
    "PROMPT",
    "TOKEN_COUNTING_KINDS",
    "Case",
    "CheckResult",
    "Measurement",
    "UnexpectedAnswer",
    "failed",
    "passed",
    "run_check",
    "skipped",
    "supports",
]

CheckName = Literal["message", "stream", "count-tokens"]
Result = Literal["ok", "failed", "skipped"]

CHECKS: Final[tuple[CheckName, ...]] = ("message", "stream", "count-tokens")
"""Every check, in the order the report lists them."""

TOKEN_COUNTING_KINDS: Final = frozenset({"anthropic", "bedrock-mantle", "vertex", "foundry"})
"""The path kinds whose SDK client and platform both offer token counting."""

MAX_TOKENS: Final = 16
"""Enough for a short reply, and cheap on every tier."""

PROMPT: Final = "Reply with the single word: ready"
"""The one user turn every check sends."""


@dataclass(frozen=True)
class Case:
    """One check to run on one path and tier.

    :param path: the path's name in the manifest.
    :param kind: the path's kind, which picks the hint for a failure.
    :param tier: the tier, e.g. ``sonnet``.
    :param check: one of :data:`CHECKS`.
    :param model: the tier's model id on the path; ``None`` when the path has no such tier.
    """

    path: str
    kind: str
    tier: str
    check: CheckName
    model: str | None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.path, self.tier, self.check)


@dataclass(frozen=True)
class Measurement:
    """What a successful check measured."""

    latency_ms: float
    ttft_ms: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one case, as every report format shows it.

    ``category``, ``detail`` and ``hint`` are set on failures; ``detail`` also carries the
    reason for a skip. Nothing here is a credential: details come from
    :func:`routing.errors.classify`, which keeps them out.
    """

    path: str
    kind: str
    tier: str
    check: str
    model: str | None
    result: Result
    category: str | None = None
    detail: str | None = None
    hint: str | None = None
    status: int | None = None
    latency_ms: float | None = None
    ttft_ms: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    request_id: str | None = None

    def to_record(self) -> dict[str, Any]:
        """The result as the ``--json`` output lists it."""
        record = asdict(self)
        for key in ("latency_ms", "ttft_ms"):
            if record[key] is not None:
                record[key] = round(record[key], 1)
        return record


class UnexpectedAnswer(Exception):
    """The call succeeded at the HTTP level, but its answer is not what a working path gives."""

    def __init__(self, category: Category, detail: str, request_id: str | None = None) -> None:
        super().__init__(detail)
        self.failure = Failure(category, detail, request_id=request_id)


def supports(kind: str, check: str) -> bool:
    """Whether a path of ``kind`` offers ``check`` at all."""
    return check != "count-tokens" or kind in TOKEN_COUNTING_KINDS


def _elapsed_ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0


def _messages() -> list[dict[str, str]]:
    return [{"role": "user", "content": PROMPT}]


def check_message(client: Any, model: str) -> Measurement:
    """One minimal, non-streamed Messages call."""
    started = time.perf_counter()
    raw = client.messages.with_raw_response.create(
        model=model, max_tokens=MAX_TOKENS, messages=_messages()
    )
    message = raw.parse()
    latency = _elapsed_ms(started)
    request_id = request_id_of(raw.headers)
    if not message.content:
        raise UnexpectedAnswer(Category.MALFORMED, "the answer held no content", request_id)
    return Measurement(
        latency_ms=latency,
        input_tokens=message.usage.input_tokens,
        output_tokens=message.usage.output_tokens,
        request_id=request_id,
    )


def check_stream(client: Any, model: str) -> Measurement:
    """One streamed Messages call, timed to its first content delta and read to its end."""
    started = time.perf_counter()
    ttft: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    stopped = False
    stream = client.messages.create(
        model=model, max_tokens=MAX_TOKENS, messages=_messages(), stream=True
    )
    with stream:
        request_id = request_id_of(stream.response.headers)
        for event in stream:
            if event.type == "content_block_delta" and ttft is None:
                ttft = _elapsed_ms(started)
            elif event.type == "message_start":
                input_tokens = event.message.usage.input_tokens
            elif event.type == "message_delta":
                output_tokens = event.usage.output_tokens
            elif event.type == "message_stop":
                stopped = True
    latency = _elapsed_ms(started)
    if not stopped:
        raise UnexpectedAnswer(
            Category.STREAM_BROKEN, "the stream ended without its message_stop event", request_id
        )
    if ttft is None:
        raise UnexpectedAnswer(
            Category.MALFORMED, "the stream ended without any content", request_id
        )
    return Measurement(
        latency_ms=latency,
        ttft_ms=ttft,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        request_id=request_id,
    )


def check_count_tokens(client: Any, model: str) -> Measurement:
    """Count the input tokens of the same prompt."""
    started = time.perf_counter()
    raw = client.messages.with_raw_response.count_tokens(model=model, messages=_messages())
    counted = raw.parse()
    latency = _elapsed_ms(started)
    request_id = request_id_of(raw.headers)
    if not counted.input_tokens or counted.input_tokens < 1:
        raise UnexpectedAnswer(Category.MALFORMED, "the count held no input tokens", request_id)
    return Measurement(latency_ms=latency, input_tokens=counted.input_tokens, request_id=request_id)


_RUNNERS: Final[dict[str, Callable[[Any, str], Measurement]]] = {
    "message": check_message,
    "stream": check_stream,
    "count-tokens": check_count_tokens,
}


def run_check(client: Any, case: Case) -> Measurement:
    """Run ``case`` with ``client``; raise whatever the call raised."""
    if case.model is None:
        raise ValueError(f"Expected case {case.key!r} to have a model")
    return _RUNNERS[case.check](client, case.model)


def _about(case: Case) -> dict[str, Any]:
    """The fields of a result that name what was checked."""
    return {
        "path": case.path,
        "kind": case.kind,
        "tier": case.tier,
        "check": case.check,
        "model": case.model,
    }


def passed(case: Case, measurement: Measurement) -> CheckResult:
    """The result of a check that passed."""
    return CheckResult(
        **_about(case),
        result="ok",
        latency_ms=measurement.latency_ms,
        ttft_ms=measurement.ttft_ms,
        input_tokens=measurement.input_tokens,
        output_tokens=measurement.output_tokens,
        request_id=measurement.request_id,
    )


def failed(case: Case, error: BaseException | Failure, latency_ms: float | None) -> CheckResult:
    """The result of a check that raised ``error`` (or ended in a known failure)."""
    from routing.errors import classify, hint

    if isinstance(error, Failure):
        failure = error
    elif isinstance(error, UnexpectedAnswer):
        failure = error.failure
    else:
        failure = classify(error)
    request_id = failure.request_id
    return CheckResult(
        **_about(case),
        result="failed",
        category=str(failure.category),
        detail=failure.detail,
        hint=hint(case.kind, failure.category),
        status=failure.status,
        latency_ms=latency_ms,
        request_id=request_id,
    )


def skipped(case: Case, reason: str) -> CheckResult:
    """The result of a check that does not apply to the path."""
    return CheckResult(
        **_about(case),
        result="skipped",
        detail=reason,
    )
