"""The routing client: one call to Claude, sent down the best path that works right now.

```py
from routing import Router

with Router.from_manifest("paths.json", first_byte_timeout=30, hedge="p95") as router:
    result = router.create(
        tier="sonnet", max_tokens=512, messages=[{"role": "user", "content": "Hello"}]
    )
    print(result.message.content[0].text, "via", result.path.name)
```

How a request is routed:

1. The tier is the caller's ``tier``, or what the ``choose_tier`` hook says.
2. The candidates are the manifest's paths that offer that tier, in priority order,
   narrowed by ``pin`` and ``exclude``; each is sent that tier's model id on that path.
3. Paths whose circuit breaker is open are skipped (:mod:`routing.breaker`).
4. The request goes to the first candidate with its own connect and first-byte
   timeouts, both capped by what is left of the overall deadline. The SDK's own retries
   are off: only the router decides what happens next.
5. On a path-level failure (connection refused or reset, DNS, TLS, timeouts, 429, 5xx
   and 529, 401/403/404, credentials that cannot be obtained, an answer that cannot be
   decoded) the next candidate is tried. A request that is itself wrong (400, 413) is
   raised at once, since no path would take it.
6. With hedging on, a candidate slow to answer gets company: after the hedge delay the
   next candidate is asked too, the first good answer wins and the other is cancelled.
7. Every attempt is recorded on the result and logged as one accounting event
   (:mod:`routing.accounting`). When no candidate answers, :class:`AllPathsFailed`
   lists every attempt.

Streams fail over the same way until their first content event (a
``content_block_delta``, or a ``content_block_start`` carrying text); the events before
it are held back and handed over once the stream is committed to a path. After that a
broken stream raises :class:`StreamInterrupted`, saying how much arrived from which path:
an answer is never silently cut short, and never restarted on another path.

Cancellation of a hedge that lost: the async router cancels its task, which closes its
connection at once. The sync router runs hedged attempts on worker threads; a loser
cannot be interrupted inside a blocking read, so it is abandoned: its stream is closed
as soon as it arrives, its answer discarded, and its thread ends at its attempt timeout
at the latest.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Final, TypeVar

from routing import accounting
from routing.accounting import Attempt, Outcome
from routing.breaker import BreakerSnapshot, CircuitBreaker, Permit, Transition
from routing.clients import ClientFactory, TransportWrapper
from routing.errors import Category, Failure, classify, request_id_of
from routing.exceptions import AllPathsFailed, DeadlineExceeded, StreamInterrupted
from routing.hedging import Hedging, LatencyWindow, hedge_delay
from routing.manifest import Manifest, PathEntry, Price, load_manifest
from routing.tiers import choose_by_stakes

__all__ = [
    "COUNTING_KINDS",
    "AsyncRoutedStream",
    "AsyncRouter",
    "Estimate",
    "RouteResult",
    "RoutedStream",
    "Router",
]

_T = TypeVar("_T")

DEFAULT_CONNECT_TIMEOUT: Final = 5.0
DEFAULT_FIRST_BYTE_TIMEOUT: Final = 120.0
DEFAULT_DEADLINE: Final = 300.0
DEFAULT_BREAKER_THRESHOLD: Final = 3
DEFAULT_BREAKER_COOLDOWN: Final = 30.0
WRITE_TIMEOUT: Final = 30.0
"""Seconds to send a request body (large images take a while), capped by the deadline."""

COUNTING_KINDS: Final = frozenset({"anthropic", "bedrock-mantle", "vertex", "foundry"})
"""Path kinds with a token counting route; Bedrock's InvokeModel has none."""

_COUNT_PARAMS: Final = frozenset({"messages", "system", "tools", "tool_choice", "thinking"})
"""The request parameters that the token counting route takes."""


_PROGRAMMING_ERRORS: Final = (TypeError, AttributeError, KeyError, NameError, AssertionError)
"""Raised by a wrong call in this process, not by a path: never a reason to fail over."""

_RAW_EVENTS: Final = frozenset(
    {
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    }
)
"""Events as they come from the path; the SDK adds derived ones (``text``...) beside them."""


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RouteResult:
    """The answer to :meth:`Router.create` and how it was obtained."""

    message: Any
    """The SDK's ``anthropic.types.Message``."""
    path: PathEntry
    """The path that answered."""
    tier: str
    model: str
    """The model id used on that path."""
    attempts: tuple[Attempt, ...]
    """Every attempt, in the order they ended; the last ``ok`` one answered."""
    skipped: tuple[str, ...] = ()
    """Paths skipped because their circuit breaker was open."""

    @property
    def cost_usd(self) -> float:
        """The estimated cost of every attempt that reported tokens."""
        return sum(attempt.cost_usd or 0.0 for attempt in self.attempts)


@dataclass(frozen=True, slots=True)
class Estimate:
    """What a request would cost on the path that would serve it, before sending it."""

    tier: str
    path: str
    """The path whose token counting route counted the input."""
    model: str
    input_tokens: int
    input_cost_usd: float
    max_output_cost_usd: float | None
    """What ``max_tokens`` of output would cost at most, when ``max_tokens`` was given."""

    @property
    def max_cost_usd(self) -> float | None:
        """Input plus the most the output could cost."""
        if self.max_output_cost_usd is None:
            return None
        return self.input_cost_usd + self.max_output_cost_usd


# --- what the router keeps per tier and path ----------------------------------------------


@dataclass(eq=False, slots=True)
class _Candidate:
    entry: PathEntry
    tier: str
    model: str
    price: Price | None
    breaker: CircuitBreaker
    created: LatencyWindow
    streamed: LatencyWindow
    raw_headers: bool
    """Whether the request id is only in the headers (Bedrock), so the raw response is read."""


@dataclass(slots=True)
class _Routing:
    """One request on its way through its candidates: what all its attempts share."""

    tier: str
    candidates: tuple[_Candidate, ...]
    params: Mapping[str, Any]
    stream: bool
    deadline_at: float
    attempts: list[Attempt] = field(default_factory=list)
    """Every attempt that ended, in that order."""
    skipped: list[str] = field(default_factory=list)
    """Paths skipped because their circuit breaker was open."""


@dataclass(slots=True)
class _Flight:
    """An attempt in progress."""

    candidate: _Candidate
    permit: Permit
    started: float
    hedged: bool


@dataclass(slots=True)
class _Primed:
    """A stream that has been read up to its first content event (or its end)."""

    stream: Any
    iterator: Any
    buffer: deque[Any]
    events: int
    characters: int
    ended: bool


def _is_content(event: Any) -> bool:
    kind = event.type
    if kind == "content_block_delta":
        return True
    return kind == "content_block_start" and bool(getattr(event.content_block, "text", None))


def _content_characters(event: Any) -> int:
    kind = event.type
    if kind == "content_block_delta":
        delta = event.delta
        text = (
            getattr(delta, "text", None)
            or getattr(delta, "thinking", None)
            or getattr(delta, "partial_json", None)
        )
        return len(text) if isinstance(text, str) else 0
    if kind == "content_block_start":
        text = getattr(event.content_block, "text", None)
        return len(text) if isinstance(text, str) else 0
    return 0


def _message_text(message: Any) -> str:
    if message is None:
        return ""
    return "".join(getattr(block, "text", "") or "" for block in message.content)


def _names(value: str | Iterable[str] | None, option: str) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset((value,))
    names = frozenset(value)
    if not all(isinstance(name, str) for name in names):
        raise TypeError(f"Expected {option} to be path names, got {value!r}")
    return names


def _positive(name: str, value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"Expected {name} to be a number of seconds > 0, got {value!r}")
    return float(value)


# --- what both routers share --------------------------------------------------------------


class _RouterCore:
    """Configuration, candidates, breakers and accounting; no I/O."""

    _asynchronous: bool = False

    def __init__(
        self,
        manifest: Manifest,
        *,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        first_byte_timeout: float = DEFAULT_FIRST_BYTE_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        breaker_threshold: int = DEFAULT_BREAKER_THRESHOLD,
        breaker_cooldown: float = DEFAULT_BREAKER_COOLDOWN,
        hedge: float | str | Hedging | None = None,
        allow_emulator: bool = False,
        choose_tier: Callable[[Mapping[str, Any]], str] | None = choose_by_stakes,
        log_content: bool = False,
        on_attempt: Callable[[dict[str, Any]], None] | None = None,
        on_transition: Callable[[Transition], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        wrap_transport: TransportWrapper | None = None,
    ) -> None:
        if not isinstance(manifest, Manifest):
            raise TypeError(
                f"Expected manifest to be a Manifest (use from_manifest for a dict or a file), "
                f"got {type(manifest).__name__}"
            )
        if not manifest.paths:
            raise ValueError(f"The manifest of stack {manifest.stack!r} has no paths")
        self._connect = _positive("connect_timeout", connect_timeout)
        self._first_byte = _positive("first_byte_timeout", first_byte_timeout)
        self._deadline = _positive("deadline", deadline)
        self._hedging = Hedging.of(hedge)
        if choose_tier is not None and not callable(choose_tier):
            raise TypeError(f"Expected choose_tier to be callable, got {choose_tier!r}")
        if on_attempt is not None and not callable(on_attempt):
            raise TypeError(f"Expected on_attempt to be callable, got {on_attempt!r}")

        import anthropic

        self.manifest = manifest
        self._choose_tier = choose_tier
        self._log_content = bool(log_content)
        self._on_attempt = on_attempt
        self._stack = manifest.stack
        self._not_given: Any = anthropic.NOT_GIVEN
        self._timeout_type: Any = anthropic.Timeout
        self._longest = max(self._connect, self._first_byte, WRITE_TIMEOUT)
        self._factory = ClientFactory(
            timeout=anthropic.Timeout(
                connect=self._connect,
                read=self._first_byte,
                write=WRITE_TIMEOUT,
                pool=self._connect,
            ),
            max_retries=0,
            asynchronous=self._asynchronous,
            allow_emulator=allow_emulator,
            wrap_transport=wrap_transport,
        )

        # One breaker per path; one candidate (model, price, latency windows) per tier and path.
        window = self._hedging.window if self._hedging is not None else 200
        self._breakers: dict[str, CircuitBreaker] = {
            entry.name: CircuitBreaker(
                entry.name,
                threshold=breaker_threshold,
                cooldown=breaker_cooldown,
                clock=clock,
                on_transition=on_transition,
            )
            for entry in manifest.ordered()
        }
        self._plans: dict[str, tuple[_Candidate, ...]] = {}
        for entry in manifest.ordered():
            for tier, model in entry.models.items():
                candidate = _Candidate(
                    entry=entry,
                    tier=tier,
                    model=model,
                    price=manifest.prices.get(tier),
                    breaker=self._breakers[entry.name],
                    created=LatencyWindow(window),
                    streamed=LatencyWindow(window),
                    raw_headers=entry.kind == "bedrock",
                )
                self._plans[tier] = (*self._plans.get(tier, ()), candidate)

    @classmethod
    def from_manifest(
        cls: type[_R], manifest: Manifest | Mapping[str, Any] | str | Path, **options: Any
    ) -> _R:
        """A router over ``manifest``: a :class:`Manifest`, a dict, or a JSON file path.

        :raises routing.manifest.ManifestError: when the manifest cannot be read.
        """
        if not isinstance(manifest, Manifest):
            manifest = load_manifest(
                manifest if isinstance(manifest, str | Path) else dict(manifest)
            )
        return cls(manifest, **options)

    # --- state ----------------------------------------------------------------------------

    def health(self) -> dict[str, BreakerSnapshot]:
        """Each path's breaker: state, consecutive failures, last error, when it opened."""
        return {name: breaker.snapshot() for name, breaker in self._breakers.items()}

    def transitions(self) -> list[Transition]:
        """Every breaker transition still remembered, oldest first."""
        merged = [t for breaker in self._breakers.values() for t in breaker.transitions]
        return sorted(merged, key=lambda transition: transition.at)

    @property
    def paths(self) -> list[PathEntry]:
        """The manifest's paths, in priority order."""
        return self.manifest.ordered()

    # --- choosing tier and candidates -----------------------------------------------------

    def _prepare(
        self,
        tier: str | None,
        stakes: Any,
        pin: str | Iterable[str] | None,
        exclude: str | Iterable[str] | None,
        params: dict[str, Any],
    ) -> tuple[str, tuple[_Candidate, ...]]:
        """Check a call's arguments: its tier, and the candidates for it in priority order."""
        tier = self._tier_of(tier, stakes, params)
        return tier, self._candidates(tier, pin, exclude)

    def _tier_of(self, tier: str | None, stakes: Any, params: dict[str, Any]) -> str:
        if "model" in params:
            raise ValueError(
                "Expected no 'model' in the request: the router sends each path its own model "
                "id for the tier; pass tier='haiku', 'sonnet' or 'opus' instead"
            )
        if "stream" in params:
            raise ValueError(
                "Expected no 'stream' in the request: call the router's stream() to stream"
            )
        if tier is None:
            if self._choose_tier is None:
                raise ValueError("Expected a tier, as this router has no tier chooser")
            tier = self._choose_tier(params if stakes is None else {**params, "stakes": stakes})
        if tier not in self._plans:
            offered = sorted(self._plans)
            raise ValueError(
                f"Expected tier to be one of {offered} (what the paths of stack "
                f"{self._stack!r} offer), got {tier!r}"
            )
        return tier

    def _candidates(
        self,
        tier: str,
        pin: str | Iterable[str] | None,
        exclude: str | Iterable[str] | None,
    ) -> tuple[_Candidate, ...]:
        plan = self._plans[tier]
        if pin is None and exclude is None:
            return plan
        pinned, excluded = _names(pin, "pin"), _names(exclude, "exclude")
        named = (pinned or frozenset()) | (excluded or frozenset())
        unknown = sorted(name for name in named if name not in self._breakers)
        if unknown:
            raise ValueError(
                f"Expected pin and exclude to name paths of stack {self._stack!r} "
                f"({', '.join(self._breakers)}), got {', '.join(map(repr, unknown))}"
            )
        chosen = tuple(
            candidate
            for candidate in plan
            if (pinned is None or candidate.entry.name in pinned)
            and (excluded is None or candidate.entry.name not in excluded)
        )
        if not chosen:
            raise ValueError(
                f"No path offering tier {tier!r} is left with pin={sorted(pinned or ())} and "
                f"exclude={sorted(excluded or ())}"
            )
        return chosen

    def _timeout(self, remaining: float) -> Any:
        """The attempt's timeouts: the router's own, capped by the deadline's remainder."""
        if remaining >= self._longest:
            return self._not_given
        return self._timeout_type(
            connect=min(self._connect, remaining),
            read=min(self._first_byte, remaining),
            write=min(WRITE_TIMEOUT, remaining),
            pool=min(self._connect, remaining),
        )

    # --- recording attempts ---------------------------------------------------------------

    def _answered(
        self, routing: _Routing, flight: _Flight, value: Any, request_id: str | None
    ) -> Attempt:
        """Record an attempt that answered; a message is accounted now, a stream at its end.

        The caller adds the attempt to ``routing.attempts`` once the losers are abandoned.
        """
        candidate, permit, stream = flight.candidate, flight.permit, routing.stream
        seconds = time.perf_counter() - flight.started
        # A stream's verdict waits for its end (see _StreamState._settle), except that
        # a probe's first content is enough to close the breaker: the path answers.
        if not stream or permit is Permit.PROBE:
            candidate.breaker.success(permit)
        (candidate.streamed if stream else candidate.created).add(seconds)
        input_tokens, output_tokens = accounting.usage_tokens(None if stream else value.usage)
        entry = candidate.entry
        attempt = Attempt(
            path=entry.name,
            kind=entry.kind,
            region=entry.region,
            model=candidate.model,
            tier=candidate.tier,
            outcome=Outcome.OK,
            category=None,
            status=200,
            latency_ms=seconds * 1000.0,
            request_id=request_id,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost_usd=accounting.cost_usd(candidate.price, input_tokens, output_tokens),
            hedged=flight.hedged,
            stream=stream,
        )
        if not stream:
            self._account(attempt, routing.params, value)
        return attempt

    def _failed(self, routing: _Routing, flight: _Flight, error: BaseException) -> bool:
        """Record an attempt that raised ``error``.

        :returns: whether ``error`` is a caller error, which the caller raises again at
            once since no other path would take the request either.
        :raises: ``error`` itself when it is a programming error, after freeing the permit.
        """
        candidate, permit = flight.candidate, flight.permit
        seconds = time.perf_counter() - flight.started
        if isinstance(error, _PROGRAMMING_ERRORS):
            candidate.breaker.release(permit)
            raise error
        failure = classify(error)
        if failure.caller_error:
            candidate.breaker.success(permit)
            outcome = Outcome.CALLER_ERROR
        else:
            candidate.breaker.failure(failure, permit)
            outcome = Outcome.FAILED
        entry = candidate.entry
        attempt = Attempt(
            path=entry.name,
            kind=entry.kind,
            region=entry.region,
            model=candidate.model,
            tier=candidate.tier,
            outcome=outcome,
            category=failure.category.value,
            status=failure.status,
            latency_ms=seconds * 1000.0,
            detail=failure.detail,
            request_id=failure.request_id,
            hedged=flight.hedged,
            stream=routing.stream,
        )
        self._account(attempt, routing.params, None)
        routing.attempts.append(attempt)
        return failure.caller_error

    def _abandoned(self, routing: _Routing, flight: _Flight, now: float, reason: str) -> None:
        """Record an attempt that another one won, or that the deadline cut off."""
        flight.candidate.breaker.release(flight.permit)
        entry = flight.candidate.entry
        attempt = Attempt(
            path=entry.name,
            kind=entry.kind,
            region=entry.region,
            model=flight.candidate.model,
            tier=flight.candidate.tier,
            outcome=Outcome.CANCELLED,
            category=None,
            status=None,
            latency_ms=(now - flight.started) * 1000.0,
            detail=reason,
            hedged=flight.hedged,
            stream=routing.stream,
        )
        self._account(attempt, None, None)
        routing.attempts.append(attempt)

    def _account(self, attempt: Attempt, params: Mapping[str, Any] | None, message: Any) -> None:
        content: Callable[[], Mapping[str, Any]] | None = None
        if self._log_content:

            def content() -> Mapping[str, Any]:
                fields: dict[str, Any] = {}
                if params is not None:
                    fields["prompt"] = {
                        key: params[key] for key in ("system", "messages") if key in params
                    }
                if message is not None:
                    fields["completion"] = _message_text(message)
                return fields

        accounting.emit(attempt, stack=self._stack, content=content, hook=self._on_attempt)

    def _estimate_of(
        self, candidate: _Candidate, input_tokens: int, params: Mapping[str, Any]
    ) -> Estimate:
        price = candidate.price
        max_tokens = params.get("max_tokens")
        return Estimate(
            tier=candidate.tier,
            path=candidate.entry.name,
            model=candidate.model,
            input_tokens=input_tokens,
            input_cost_usd=accounting.cost_usd(price, input_tokens, 0) or 0.0,
            max_output_cost_usd=(
                accounting.cost_usd(price, 0, int(max_tokens))
                if isinstance(max_tokens, int)
                else None
            ),
        )

    def _count_plan(
        self,
        tier: str | None,
        stakes: Any,
        pin: str | Iterable[str] | None,
        exclude: str | Iterable[str] | None,
        params: dict[str, Any],
    ) -> tuple[str, list[_Candidate], dict[str, Any]]:
        """An estimate's tier, the paths that can count it (open breakers last), what they count."""
        tier, candidates = self._prepare(tier, stakes, pin, exclude, params)
        able = [c for c in candidates if c.entry.kind in COUNTING_KINDS]
        order = sorted(able, key=lambda c: c.breaker.state.value != "closed")
        counted = {key: value for key, value in params.items() if key in _COUNT_PARAMS}
        return tier, order, counted

    def _count_failed(
        self, attempts: list[Attempt], candidate: _Candidate, error: BaseException, started: float
    ) -> bool:
        """Add a failed count to ``attempts``; whether it is a caller error, raised at once.

        :raises: ``error`` itself when it is a programming error.
        """
        if isinstance(error, _PROGRAMMING_ERRORS):
            raise error
        failure = classify(error)
        entry = candidate.entry
        attempt = Attempt(
            path=entry.name,
            kind=entry.kind,
            region=entry.region,
            model=candidate.model,
            tier=candidate.tier,
            outcome=Outcome.CALLER_ERROR if failure.caller_error else Outcome.FAILED,
            category=failure.category.value,
            status=failure.status,
            latency_ms=(time.perf_counter() - started) * 1000.0,
            detail=failure.detail,
        )
        attempts.append(attempt)
        return failure.caller_error

    # --- the failover loops' shared steps -------------------------------------------------

    def _turns(self, routing: _Routing) -> Iterator[tuple[_Flight, Any]]:
        """The candidates one after the other, for a loop that tries them in turn.

        Each comes as a flight holding its breaker's permit, with its attempt's timeouts;
        a candidate whose breaker is open is skipped.

        :raises DeadlineExceeded: when the deadline has passed before a candidate's turn.
        """
        for candidate in routing.candidates:
            permit = candidate.breaker.acquire()
            if permit is Permit.DENIED:
                routing.skipped.append(candidate.entry.name)
                continue
            started = time.perf_counter()
            remaining = routing.deadline_at - started
            if remaining <= 0:
                candidate.breaker.release(permit)
                raise self._too_late(routing)
            yield _Flight(candidate, permit, started, False), self._timeout(remaining)

    def _take(
        self, routing: _Routing, queue: deque[_Candidate], hedged: bool
    ) -> tuple[_Flight, Any] | None:
        """The next queued candidate its breaker lets through, as a flight, with its timeouts.

        Candidates whose breaker is open are skipped on the way. ``None`` when the queue
        runs out, or when the deadline has passed (no permit is held then).
        """
        while queue:
            candidate = queue.popleft()
            permit = candidate.breaker.acquire()
            if permit is Permit.DENIED:
                routing.skipped.append(candidate.entry.name)
                continue
            now = time.perf_counter()
            remaining = routing.deadline_at - now
            if remaining <= 0:
                candidate.breaker.release(permit)
                return None
            return _Flight(candidate, permit, now, hedged), self._timeout(remaining)
        return None

    def _hedge_wait(
        self, routing: _Routing, running: Mapping[Any, _Flight], may_hedge: bool
    ) -> tuple[float, bool]:
        """How long a hedged loop waits for its attempts, and whether a hedge is due then.

        A lone attempt, while a hedge may still be sent, is waited for up to its hedge
        delay; otherwise the wait is what is left of the deadline.
        """
        assert self._hedging is not None
        now = time.perf_counter()
        wait = routing.deadline_at - now
        if may_hedge and len(running) == 1:
            flight = next(iter(running.values()))
            window = flight.candidate.streamed if routing.stream else flight.candidate.created
            delay = hedge_delay(self._hedging, window) - (now - flight.started)
            if delay < wait:
                return max(0.0, delay), True
        return max(0.0, wait), False

    def _too_late(self, routing: _Routing) -> DeadlineExceeded:
        """What to raise when the deadline ran out before a path answered."""
        why = (
            f"the deadline of {self._deadline:g} s ran out before a path answered "
            f"tier {routing.tier!r}"
        )
        return DeadlineExceeded(routing.tier, routing.attempts, routing.skipped, why=why)

    def _exhausted(self, routing: _Routing) -> AllPathsFailed:
        """What to raise when no candidate is left and none answered."""
        if routing.attempts and time.perf_counter() >= routing.deadline_at:
            return self._too_late(routing)
        return AllPathsFailed(routing.tier, routing.attempts, routing.skipped)


_R = TypeVar("_R", bound=_RouterCore)


# --- the synchronous router ---------------------------------------------------------------


class Router(_RouterCore):
    """Routes Claude requests across a manifest's paths, with failover (sync).

    :param manifest: the paths manifest (see :meth:`from_manifest` for dicts and files).
    :param connect_timeout: seconds to connect to a path, per attempt.
    :param first_byte_timeout: seconds to wait for a path's first byte (for a stream, also
        the longest gap between chunks), per attempt. A non-streamed answer's first byte
        comes when the whole answer is ready: raise this for long answers, or stream.
    :param deadline: seconds for the whole request, every attempt included; the remainder
        caps each attempt's timeouts. For a stream it covers the wait for first content.
    :param breaker_threshold: consecutive failures that open a path's circuit breaker.
    :param breaker_cooldown: seconds an open breaker waits before one probe goes through.
    :param hedge: ``None`` (no hedging), seconds, ``"p95"``, or a :class:`Hedging`.
    :param allow_emulator: accept the emulator's test credentials (loopback URLs only).
    :param choose_tier: picks the tier when a call gives none; see :mod:`routing.tiers`.
        ``None`` makes ``tier`` required.
    :param log_content: add prompts and completions to accounting events.
    :param on_attempt: also called with every accounting event (a dict).
    :param on_transition: called with every breaker transition.
    :param clock: monotonic seconds for the breakers; tests inject their own.
    :param wrap_transport: wraps each path's HTTP transport (fault injection in drills).
    :param max_workers: threads for hedged attempts.
    """

    def __init__(self, manifest: Manifest, *, max_workers: int = 32, **options: Any) -> None:
        super().__init__(manifest, **options)
        if not isinstance(max_workers, int) or max_workers < 2:
            raise ValueError(f"Expected max_workers to be an integer >= 2, got {max_workers!r}")
        self._max_workers = max_workers
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def close(self) -> None:
        """Close every path's client and the hedging threads."""
        self._factory.close()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> Router:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def warm_up(
        self, *, tier: str = "haiku", pin: str | Iterable[str] | None = None
    ) -> dict[str, Attempt]:
        """Send one tiny request (one output token) to each path, or each pinned one.

        The first request on a path pays for resolving its credentials and loading the
        SDK's signing code (hundreds of milliseconds for Bedrock); a warm-up moves that
        cost out of the first real request. It also says which paths answer at all.
        The requests go through the breakers like any other.

        :returns: each path's attempt, ``ok`` or not.
        """
        results: dict[str, Attempt] = {}
        tier = self._tier_of(tier, None, {})
        for candidate in self._candidates(tier, pin, None):
            try:
                answer = self.create(
                    tier,
                    pin=candidate.entry.name,
                    max_tokens=1,
                    messages=[{"role": "user", "content": "ping"}],
                )
                results[candidate.entry.name] = answer.attempts[-1]
            except AllPathsFailed as error:
                results[candidate.entry.name] = (
                    error.attempts[-1] if error.attempts else _skipped(candidate)
                )
            except Exception as error:  # a caller error: the path answered, and refused
                failure = classify(error)
                results[candidate.entry.name] = replace(
                    _skipped(candidate),
                    outcome=Outcome.CALLER_ERROR,
                    category=failure.category.value,
                    status=failure.status,
                    detail=failure.detail,
                )
        return results

    # --- public calls ---------------------------------------------------------------------

    def create(
        self,
        tier: str | None = None,
        *,
        stakes: Any = None,
        pin: str | Iterable[str] | None = None,
        exclude: str | Iterable[str] | None = None,
        **params: Any,
    ) -> RouteResult:
        """Send one Messages request down the best available path.

        ``params`` are the SDK's ``messages.create`` parameters, without ``model``.

        :param tier: ``haiku``, ``sonnet``, ``opus``...; ``None`` asks ``choose_tier``.
        :param stakes: a signal for the tier chooser, never sent.
        :param pin: only these paths may serve the request (in manifest order).
        :param exclude: these paths may not.
        :raises AllPathsFailed: when no path answered (:class:`DeadlineExceeded` when the
            deadline ran out first).
        :raises anthropic.BadRequestError: (and the 413 error) at once, with no failover.
        """
        tier, candidates = self._prepare(tier, stakes, pin, exclude, params)

        def call(candidate: _Candidate, timeout: Any) -> tuple[Any, str | None]:
            client = self._factory.client(candidate.entry)
            if candidate.raw_headers:
                raw = client.messages.with_raw_response.create(
                    model=candidate.model, timeout=timeout, **params
                )
                return raw.parse(), request_id_of(raw.headers)
            message = client.messages.create(model=candidate.model, timeout=timeout, **params)
            return message, message._request_id

        return _result(*self._route(tier, candidates, call, params, False))

    def stream(
        self,
        tier: str | None = None,
        *,
        stakes: Any = None,
        pin: str | Iterable[str] | None = None,
        exclude: str | Iterable[str] | None = None,
        **params: Any,
    ) -> RoutedStream:
        """Start a streamed Messages request on the best available path.

        Routing happens here, up to the stream's first content event; use the result as
        a context manager so that it is closed (and accounted) however the loop ends:

        ```py
        with router.stream(tier="haiku", max_tokens=256, messages=messages) as stream:
            for text in stream.text_stream:
                print(text, end="")
        print(stream.get_final_message().usage)
        ```

        :raises AllPathsFailed: when no path got as far as first content.
        """
        tier, candidates = self._prepare(tier, stakes, pin, exclude, params)

        def call(candidate: _Candidate, timeout: Any) -> tuple[_Primed, str | None]:
            client = self._factory.client(candidate.entry)
            stream = client.messages.stream(
                model=candidate.model, timeout=timeout, **params
            ).__enter__()
            try:
                return _prime(stream), request_id_of(stream.response.headers)
            except BaseException:
                stream.close()
                raise

        return RoutedStream(self, *self._route(tier, candidates, call, params, True))

    def estimate(
        self,
        tier: str | None = None,
        *,
        stakes: Any = None,
        pin: str | Iterable[str] | None = None,
        exclude: str | Iterable[str] | None = None,
        **params: Any,
    ) -> Estimate:
        """Count the request's input tokens on a path that can, and price them.

        Bedrock InvokeModel paths cannot count tokens; the first other path offering the
        tier counts (paths with an open breaker last). Nothing is generated or billed.

        :raises AllPathsFailed: when no path could count.
        """
        tier, order, counted = self._count_plan(tier, stakes, pin, exclude, params)
        attempts: list[Attempt] = []
        for candidate in order:
            started = time.perf_counter()
            try:
                client = self._factory.client(candidate.entry)
                result = client.messages.count_tokens(model=candidate.model, **counted)
            except Exception as error:
                if self._count_failed(attempts, candidate, error, started):
                    raise
                continue
            return self._estimate_of(candidate, int(result.input_tokens), params)
        raise AllPathsFailed(tier, attempts, why=_no_count(tier, attempts))

    # --- the failover loop ----------------------------------------------------------------

    def _route(
        self,
        tier: str,
        candidates: tuple[_Candidate, ...],
        call: Callable[[_Candidate, Any], tuple[_T, str | None]],
        params: Mapping[str, Any],
        stream: bool,
    ) -> tuple[_T, _Candidate, _Routing]:
        deadline_at = time.perf_counter() + self._deadline
        routing = _Routing(tier, candidates, params, stream, deadline_at)
        if self._hedging is not None and len(candidates) > 1:
            return self._route_hedged(routing, call)
        for flight, timeout in self._turns(routing):
            try:
                value, request_id = call(flight.candidate, timeout)
            except Exception as error:
                if self._failed(routing, flight, error):
                    raise
                continue
            except BaseException:
                flight.candidate.breaker.release(flight.permit)
                raise
            routing.attempts.append(self._answered(routing, flight, value, request_id))
            return value, flight.candidate, routing
        raise self._exhausted(routing)

    def _executor(self) -> concurrent.futures.ThreadPoolExecutor:
        if self._pool is None:
            with self._pool_lock:
                if self._pool is None:
                    self._pool = concurrent.futures.ThreadPoolExecutor(
                        max_workers=self._max_workers, thread_name_prefix="claude-access-hedge"
                    )
        return self._pool

    def _route_hedged(
        self, routing: _Routing, call: Callable[[_Candidate, Any], tuple[_T, str | None]]
    ) -> tuple[_T, _Candidate, _Routing]:
        pool = self._executor()
        queue = deque(routing.candidates)
        running: dict[concurrent.futures.Future[tuple[_T, str | None]], _Flight] = {}

        def launch(hedged: bool) -> None:
            taken = self._take(routing, queue, hedged)
            if taken is not None:
                flight, timeout = taken
                running[pool.submit(call, flight.candidate, timeout)] = flight

        def abandon(reason: str) -> None:
            now = time.perf_counter()
            for future, flight in running.items():
                self._abandoned(routing, flight, now, reason)
                future.cancel()
                future.add_done_callback(_discard_late)
            running.clear()

        launch(False)
        hedge_sent = False
        try:
            while running:
                wait, hedge_due = self._hedge_wait(routing, running, not hedge_sent and bool(queue))
                done, _ = concurrent.futures.wait(
                    running, timeout=wait, return_when=concurrent.futures.FIRST_COMPLETED
                )
                if not done:
                    if hedge_due:
                        hedge_sent = True
                        launch(True)
                        continue
                    abandon("the request's deadline ran out")
                    raise self._too_late(routing)
                for future in done:
                    flight = running.pop(future)
                    try:
                        value, request_id = future.result()
                    except Exception as error:
                        if self._failed(routing, flight, error):
                            abandon("another attempt was refused as a caller error")
                            raise
                        continue
                    attempt = self._answered(routing, flight, value, request_id)
                    abandon(f"{flight.candidate.entry.name} answered first")
                    routing.attempts.append(attempt)
                    return value, flight.candidate, routing
                if not running:
                    launch(False)
        except BaseException:
            abandon("the request ended")
            raise
        raise self._exhausted(routing)


def _discard_late(future: concurrent.futures.Future[Any]) -> None:
    """Close what an abandoned attempt produced, if it produced anything."""
    if future.cancelled() or future.exception() is not None:
        return
    value = future.result()[0]
    if isinstance(value, _Primed):
        value.stream.close()


def _result(message: Any, candidate: _Candidate, routing: _Routing) -> RouteResult:
    return RouteResult(
        message=message,
        path=candidate.entry,
        tier=routing.tier,
        model=candidate.model,
        attempts=tuple(routing.attempts),
        skipped=tuple(routing.skipped),
    )


def _skipped(candidate: _Candidate) -> Attempt:
    entry = candidate.entry
    return Attempt(
        path=entry.name,
        kind=entry.kind,
        region=entry.region,
        model=candidate.model,
        tier=candidate.tier,
        outcome=Outcome.FAILED,
        category="breaker-open",
        status=None,
        latency_ms=0.0,
        detail="skipped: its circuit breaker is open",
    )


def _no_count(tier: str, attempts: list[Attempt]) -> str:
    if not attempts:
        return (
            f"no path offering tier {tier!r} can count tokens (Bedrock InvokeModel paths "
            "have no token counting route)"
        )
    return f"no path could count tokens for tier {tier!r}"


def _prime(stream: Any) -> _Primed:
    """Read ``stream`` up to its first content event (or its end), holding the events."""
    iterator = iter(stream)
    buffer: deque[Any] = deque()
    for event in iterator:
        buffer.append(event)
        if (primed := _primed(stream, iterator, buffer)) is not None:
            return primed
    raise _EndedEarly()


async def _aprime(stream: Any) -> _Primed:
    """:func:`_prime` for an ``AsyncMessageStream``."""
    iterator = stream.__aiter__()
    buffer: deque[Any] = deque()
    async for event in iterator:
        buffer.append(event)
        if (primed := _primed(stream, iterator, buffer)) is not None:
            return primed
    raise _EndedEarly()


def _primed(stream: Any, iterator: Any, buffer: deque[Any]) -> _Primed | None:
    """The stream once its last held event is its first content or its end, else ``None``."""
    event = buffer[-1]
    if _is_content(event):
        characters, ended = _content_characters(event), False
    elif event.type == "message_stop":
        characters, ended = 0, True
    else:
        return None
    events = sum(1 for held in buffer if held.type in _RAW_EVENTS)
    return _Primed(stream, iterator, buffer, events, characters, ended)


class _EndedEarly(ConnectionResetError):
    """A stream that closed cleanly but without ``message_stop``: the answer is cut short."""

    def __init__(self) -> None:
        super().__init__("the stream ended before its message_stop event")


_ENDED_EARLY: Final = Failure(
    Category.STREAM_BROKEN, "the stream ended before its message_stop event"
)


# --- streams ------------------------------------------------------------------------------


class _StreamState:
    """What a routed stream has received and whether it is settled; shared sync and async."""

    def __init__(
        self,
        router: _RouterCore,
        primed: _Primed,
        candidate: _Candidate,
        routing: _Routing,
    ) -> None:
        self._router = router
        self._primed = primed
        self._candidate = candidate
        self._params = routing.params
        self._stopped = primed.ended
        self._settled = False
        self.attempts: list[Attempt] = routing.attempts
        """Every attempt; the last is this stream's, updated when the stream ends."""
        self.skipped: tuple[str, ...] = tuple(routing.skipped)
        self.path: PathEntry = candidate.entry
        """The path that is streaming."""
        self.tier: str = candidate.tier
        self.model: str = candidate.model
        self.events_received: int = primed.events
        """Stream events received from the path so far."""
        self.characters_received: int = primed.characters
        """Characters of content (text, thinking, tool input) received so far."""

    @property
    def request_id(self) -> str | None:
        return self.attempts[-1].request_id

    def _count(self, event: Any) -> None:
        kind = event.type
        if kind in _RAW_EVENTS:
            self.events_received += 1
            if kind == "message_stop":
                self._stopped = True
            else:
                self.characters_received += _content_characters(event)

    def _snapshot(self) -> Any:
        try:
            return self._primed.stream.current_message_snapshot
        except AssertionError:
            return None

    def _settle(self, outcome: Outcome, failure: Failure | None = None) -> None:
        """Account for the stream once, with its final usage and outcome."""
        if self._settled:
            return
        self._settled = True
        candidate = self._candidate
        if failure is not None:
            candidate.breaker.failure(failure)
        else:
            candidate.breaker.success()
        message = self._snapshot()
        input_tokens, output_tokens = accounting.usage_tokens(
            None if message is None else message.usage
        )
        attempt = replace(
            self.attempts[-1],
            outcome=outcome,
            category=None if failure is None else failure.category.value,
            status=self.attempts[-1].status if failure is None else failure.status,
            detail=None if failure is None else failure.detail,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost_usd=accounting.cost_usd(candidate.price, input_tokens, output_tokens),
        )
        self.attempts[-1] = attempt
        self._router._account(attempt, self._params, message)

    def _end(self) -> None:
        """The path's events ran out: settle the stream, or raise if it was cut short.

        :raises StreamInterrupted: when the events ended without ``message_stop``.
        """
        if not self._stopped:
            raise self._interrupted(_EndedEarly()) from None
        self._settle(Outcome.OK)

    def _interrupted(self, error: BaseException) -> StreamInterrupted:
        failure = _ENDED_EARLY if isinstance(error, _EndedEarly) else classify(error)
        self._settle(Outcome.INTERRUPTED, failure)
        return StreamInterrupted(
            self.path.name,
            events=self.events_received,
            characters=self.characters_received,
            failure=failure,
            attempts=self.attempts,
        )


class RoutedStream(_StreamState):
    """A stream committed to one path: iterate it for the SDK's ``MessageStream`` events.

    The events are those of ``client.messages.stream()``: the raw stream events and
    the SDK's derived ``text``... events beside them.

    :raises StreamInterrupted: from iteration, when the stream breaks.
    """

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        primed = self._primed
        if primed.buffer:
            return primed.buffer.popleft()
        if self._settled:
            raise StopIteration
        try:
            event = next(primed.iterator)
        except StopIteration:
            self._end()
            raise
        except Exception as error:
            if isinstance(error, _PROGRAMMING_ERRORS):
                raise
            primed.stream.close()
            raise self._interrupted(error) from error
        self._count(event)
        return event

    @property
    def text_stream(self) -> Iterator[str]:
        """Just the text, as it arrives."""
        for event in self:
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                yield event.delta.text

    def until_done(self) -> None:
        for _ in self:
            pass

    def get_final_message(self) -> Any:
        """Read the stream to its end and return the whole ``Message``."""
        self.until_done()
        return self._primed.stream.get_final_message()

    def get_final_text(self) -> str:
        return _message_text(self.get_final_message())

    def close(self) -> None:
        """Stop reading; a stream closed before its end is accounted as ``closed-early``."""
        if not self._settled:
            self._primed.stream.close()
            self._settle(Outcome.OK if self._stopped else Outcome.CLOSED_EARLY)

    def __enter__(self) -> RoutedStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncRoutedStream(_StreamState):
    """:class:`RoutedStream` for the :class:`AsyncRouter`: iterate with ``async for``."""

    def __aiter__(self) -> AsyncIterator[Any]:
        return self

    async def __anext__(self) -> Any:
        primed = self._primed
        if primed.buffer:
            return primed.buffer.popleft()
        if self._settled:
            raise StopAsyncIteration
        try:
            event = await primed.iterator.__anext__()
        except StopAsyncIteration:
            self._end()
            raise
        except Exception as error:
            if isinstance(error, _PROGRAMMING_ERRORS):
                raise
            await primed.stream.close()
            raise self._interrupted(error) from error
        self._count(event)
        return event

    @property
    async def text_stream(self) -> AsyncIterator[str]:
        async for event in self:
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                yield event.delta.text

    async def until_done(self) -> None:
        async for _ in self:
            pass

    async def get_final_message(self) -> Any:
        await self.until_done()
        return await self._primed.stream.get_final_message()

    async def get_final_text(self) -> str:
        return _message_text(await self.get_final_message())

    async def close(self) -> None:
        if not self._settled:
            await self._primed.stream.close()
            self._settle(Outcome.OK if self._stopped else Outcome.CLOSED_EARLY)

    async def __aenter__(self) -> AsyncRoutedStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


class _AsyncStreamStart:
    """What :meth:`AsyncRouter.stream` returns: ``async with`` it, or ``await`` it."""

    def __init__(self, start: Callable[[], Awaitable[AsyncRoutedStream]]) -> None:
        self._start = start
        self._stream: AsyncRoutedStream | None = None

    def __await__(self) -> Any:
        return self._start().__await__()

    async def __aenter__(self) -> AsyncRoutedStream:
        self._stream = await self._start()
        return self._stream

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            await self._stream.close()


# --- the asynchronous router --------------------------------------------------------------


class AsyncRouter(_RouterCore):
    """:class:`Router` for asyncio: the same options, rules, results and events.

    ```py
    async with AsyncRouter.from_manifest(manifest) as router:
        result = await router.create(tier="haiku", max_tokens=64, messages=messages)
        async with router.stream(tier="haiku", max_tokens=64, messages=messages) as stream:
            async for text in stream.text_stream:
                ...
    ```

    A hedge that loses is cancelled: its task is cancelled and its connection closed.
    """

    _asynchronous = True

    async def aclose(self) -> None:
        await self._factory.aclose()

    async def __aenter__(self) -> AsyncRouter:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def create(
        self,
        tier: str | None = None,
        *,
        stakes: Any = None,
        pin: str | Iterable[str] | None = None,
        exclude: str | Iterable[str] | None = None,
        **params: Any,
    ) -> RouteResult:
        """See :meth:`Router.create`."""
        tier, candidates = self._prepare(tier, stakes, pin, exclude, params)

        async def call(candidate: _Candidate, timeout: Any) -> tuple[Any, str | None]:
            client = self._factory.client(candidate.entry)
            if candidate.raw_headers:
                raw = await client.messages.with_raw_response.create(
                    model=candidate.model, timeout=timeout, **params
                )
                return await raw.parse(), request_id_of(raw.headers)
            message = await client.messages.create(model=candidate.model, timeout=timeout, **params)
            return message, message._request_id

        return _result(*await self._route(tier, candidates, call, params, False))

    def stream(
        self,
        tier: str | None = None,
        *,
        stakes: Any = None,
        pin: str | Iterable[str] | None = None,
        exclude: str | Iterable[str] | None = None,
        **params: Any,
    ) -> _AsyncStreamStart:
        """See :meth:`Router.stream`; use ``async with router.stream(...) as stream``."""
        tier, candidates = self._prepare(tier, stakes, pin, exclude, params)

        async def call(candidate: _Candidate, timeout: Any) -> tuple[_Primed, str | None]:
            client = self._factory.client(candidate.entry)
            stream = await client.messages.stream(
                model=candidate.model, timeout=timeout, **params
            ).__aenter__()
            try:
                return await _aprime(stream), request_id_of(stream.response.headers)
            except BaseException:
                await stream.close()
                raise

        async def start() -> AsyncRoutedStream:
            return AsyncRoutedStream(self, *await self._route(tier, candidates, call, params, True))

        return _AsyncStreamStart(start)

    async def estimate(
        self,
        tier: str | None = None,
        *,
        stakes: Any = None,
        pin: str | Iterable[str] | None = None,
        exclude: str | Iterable[str] | None = None,
        **params: Any,
    ) -> Estimate:
        """See :meth:`Router.estimate`."""
        tier, order, counted = self._count_plan(tier, stakes, pin, exclude, params)
        attempts: list[Attempt] = []
        for candidate in order:
            started = time.perf_counter()
            try:
                client = self._factory.client(candidate.entry)
                result = await client.messages.count_tokens(model=candidate.model, **counted)
            except Exception as error:
                if self._count_failed(attempts, candidate, error, started):
                    raise
                continue
            return self._estimate_of(candidate, int(result.input_tokens), params)
        raise AllPathsFailed(tier, attempts, why=_no_count(tier, attempts))

    # --- the failover loop ----------------------------------------------------------------

    async def _route(
        self,
        tier: str,
        candidates: tuple[_Candidate, ...],
        call: Callable[[_Candidate, Any], Awaitable[tuple[_T, str | None]]],
        params: Mapping[str, Any],
        stream: bool,
    ) -> tuple[_T, _Candidate, _Routing]:
        deadline_at = time.perf_counter() + self._deadline
        routing = _Routing(tier, candidates, params, stream, deadline_at)
        if self._hedging is not None and len(candidates) > 1:
            return await self._route_hedged(routing, call)
        for flight, timeout in self._turns(routing):
            try:
                value, request_id = await call(flight.candidate, timeout)
            except Exception as error:
                if self._failed(routing, flight, error):
                    raise
                continue
            except BaseException:
                flight.candidate.breaker.release(flight.permit)
                raise
            routing.attempts.append(self._answered(routing, flight, value, request_id))
            return value, flight.candidate, routing
        raise self._exhausted(routing)

    async def _route_hedged(
        self,
        routing: _Routing,
        call: Callable[[_Candidate, Any], Awaitable[tuple[_T, str | None]]],
    ) -> tuple[_T, _Candidate, _Routing]:
        queue = deque(routing.candidates)
        running: dict[asyncio.Task[tuple[_T, str | None]], _Flight] = {}

        def launch(hedged: bool) -> None:
            taken = self._take(routing, queue, hedged)
            if taken is not None:
                flight, timeout = taken
                running[asyncio.ensure_future(call(flight.candidate, timeout))] = flight

        async def abandon(reason: str) -> None:
            now = time.perf_counter()
            tasks = list(running)
            for task, flight in running.items():
                self._abandoned(routing, flight, now, reason)
                task.cancel()
            running.clear()
            if tasks:
                await asyncio.wait(tasks, timeout=1.0)
                for task in tasks:
                    if task.done() and not task.cancelled() and task.exception() is None:
                        value = task.result()[0]
                        if isinstance(value, _Primed):
                            await value.stream.close()

        launch(False)
        hedge_sent = False
        try:
            while running:
                wait, hedge_due = self._hedge_wait(routing, running, not hedge_sent and bool(queue))
                done, _ = await asyncio.wait(
                    running, timeout=wait, return_when=asyncio.FIRST_COMPLETED
                )
                if not done:
                    if hedge_due:
                        hedge_sent = True
                        launch(True)
                        continue
                    await abandon("the request's deadline ran out")
                    raise self._too_late(routing)
                winner: tuple[asyncio.Task[tuple[_T, str | None]], _Flight] | None = None
                for task in done:
                    flight = running.pop(task)
                    error = task.exception()
                    if error is None:
                        if winner is None:
                            winner = (task, flight)
                        else:
                            running[task] = flight  # a second winner is closed as a loser
                        continue
                    if self._failed(routing, flight, error):
                        await abandon("another attempt was refused as a caller error")
                        raise error
                if winner is not None:
                    task, flight = winner
                    value, request_id = task.result()
                    attempt = self._answered(routing, flight, value, request_id)
                    await abandon(f"{flight.candidate.entry.name} answered first")
                    routing.attempts.append(attempt)
                    return value, flight.candidate, routing
                if not running:
                    launch(False)
        except BaseException:
            await abandon("the request ended")
            raise
        raise self._exhausted(routing)
