"""A circuit breaker per path, so that a broken path stops costing every request a timeout.

```
            N consecutive failures                 cooldown elapsed
  closed  ------------------------->  open  --------------------------->  half-open
     ^                                  ^                                     |
     |        the probe succeeds        |        the probe fails              |
     +----------------------------------+-------------------------------------+
```

1. *closed*: every request may use the path; failures are counted, a success resets
   the count.
2. *open*: after ``threshold`` consecutive failures, requests skip the path until
   ``cooldown`` seconds have passed.
3. *half-open*: the first request after the cooldown is let through as the only probe;
   the others keep skipping the path until the probe ends. The probe's success closes
   the breaker; its failure opens it again for another cooldown.

Any success, probe or not, closes the breaker: the path has just shown that it answers.
Every transition is kept (the latest :data:`TRANSITIONS_KEPT`) and logged to
``claude_access.routing``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any, Final

from routing.errors import Failure

__all__ = [
    "TRANSITIONS_KEPT",
    "BreakerSnapshot",
    "BreakerState",
    "CircuitBreaker",
    "Permit",
    "Transition",
]

logger = logging.getLogger("claude_access.routing")

TRANSITIONS_KEPT: Final = 256
"""How many transitions each breaker remembers."""


class BreakerState(StrEnum):
    """Where a path's breaker stands."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class Permit(Enum):
    """What :meth:`CircuitBreaker.acquire` grants."""

    DENIED = 0
    PASS = 1
    PROBE = 2
    """The one request let through a half-open breaker; its verdict decides the state."""


@dataclass(frozen=True, slots=True)
class Transition:
    """One change of a breaker's state."""

    path: str
    from_state: BreakerState
    to_state: BreakerState
    at: float
    """The breaker clock's reading (``time.monotonic`` unless a test injects a clock)."""
    wall_time: float
    """Epoch seconds, for reports."""
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "from": self.from_state.value,
            "to": self.to_state.value,
            "at": self.at,
            "wallTime": self.wall_time,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class BreakerSnapshot:
    """A breaker's state at one moment, as :meth:`Router.health` reports it."""

    path: str
    state: BreakerState
    consecutive_failures: int
    last_error: str | None
    """``category: detail`` of the latest failure, or ``None`` if there was none."""
    opened_at: float | None
    """Clock reading when the breaker last opened, while it is open or half-open."""
    retry_at: float | None
    """Clock reading from which an open breaker lets a probe through."""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "state": self.state.value,
            "consecutiveFailures": self.consecutive_failures,
            "lastError": self.last_error,
            "openedAt": self.opened_at,
            "retryAt": self.retry_at,
        }


class CircuitBreaker:
    """The breaker of one path. Thread-safe; every method is short and never blocks.

    :param path: the path's name, for transitions and logs.
    :param threshold: consecutive failures that open the breaker (>= 1).
    :param cooldown: seconds an open breaker waits before letting a probe through.
    :param clock: monotonic seconds; tests inject their own.
    :param on_transition: called after each transition, outside the breaker's lock.
    """

    __slots__ = (
        "_clock",
        "_cooldown",
        "_failures",
        "_last_error",
        "_lock",
        "_on_transition",
        "_opened_at",
        "_probing",
        "_state",
        "_threshold",
        "path",
        "transitions",
    )

    def __init__(
        self,
        path: str,
        *,
        threshold: int,
        cooldown: float,
        clock: Callable[[], float] = time.monotonic,
        on_transition: Callable[[Transition], None] | None = None,
    ) -> None:
        if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 1:
            raise ValueError(f"Expected threshold to be an integer >= 1, got {threshold!r}")
        if not isinstance(cooldown, int | float) or isinstance(cooldown, bool) or cooldown < 0:
            raise ValueError(f"Expected cooldown to be a number of seconds >= 0, got {cooldown!r}")

        self.path = path
        self._threshold = threshold
        self._cooldown = float(cooldown)
        self._clock = clock
        self._on_transition = on_transition
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._last_error: str | None = None
        self._opened_at: float | None = None
        self._probing = False
        self.transitions: deque[Transition] = deque(maxlen=TRANSITIONS_KEPT)

    @property
    def state(self) -> BreakerState:
        """The current state; an open breaker whose cooldown has passed still reads open
        until a request asks to go through."""
        return self._state

    def acquire(self) -> Permit:
        """Whether a request may use the path now; a half-open probe must be settled.

        Every :data:`Permit.PROBE` must end in :meth:`success`, :meth:`failure` or
        :meth:`release`.
        """
        if self._state is BreakerState.CLOSED:
            return Permit.PASS
        changed = None
        with self._lock:
            if self._state is BreakerState.CLOSED:
                return Permit.PASS
            if self._probing:
                return Permit.DENIED
            if self._state is BreakerState.OPEN:
                assert self._opened_at is not None
                if self._clock() < self._opened_at + self._cooldown:
                    return Permit.DENIED
                changed = self._move(BreakerState.HALF_OPEN, "cooldown elapsed; one probe")
            self._probing = True
        self._announce(changed)
        return Permit.PROBE

    def success(self, permit: Permit = Permit.PASS) -> None:
        """The path answered (a caller error counts: the path itself worked)."""
        if self._state is BreakerState.CLOSED and not self._failures:
            return
        changed = None
        with self._lock:
            self._failures = 0
            if permit is Permit.PROBE:
                self._probing = False
            if self._state is not BreakerState.CLOSED:
                reason = "the probe succeeded" if permit is Permit.PROBE else "the path answered"
                changed = self._move(BreakerState.CLOSED, reason)
                self._opened_at = None
                self._probing = False
        self._announce(changed)

    def failure(self, failure: Failure, permit: Permit = Permit.PASS) -> None:
        """The path failed in a way that another path may not (see :mod:`routing.router`)."""
        changed = None
        with self._lock:
            self._failures += 1
            self._last_error = f"{failure.category.value}: {failure.detail}"
            if permit is Permit.PROBE:
                self._probing = False
                changed = self._open(f"the probe failed ({failure.category.value})")
            elif self._state is BreakerState.CLOSED and self._failures >= self._threshold:
                changed = self._open(
                    f"{self._failures} consecutive failure{'s' if self._failures > 1 else ''}, "
                    f"the last {failure.category.value}"
                )
        self._announce(changed)

    def release(self, permit: Permit) -> None:
        """The attempt ended with no verdict (cancelled); a probe slot is freed."""
        if permit is not Permit.PROBE:
            return
        with self._lock:
            self._probing = False

    def snapshot(self) -> BreakerSnapshot:
        with self._lock:
            opened_at = self._opened_at
            return BreakerSnapshot(
                path=self.path,
                state=self._state,
                consecutive_failures=self._failures,
                last_error=self._last_error,
                opened_at=opened_at,
                retry_at=None if opened_at is None else opened_at + self._cooldown,
            )

    # --- inside the lock ------------------------------------------------------------------

    def _open(self, reason: str) -> Transition | None:
        self._opened_at = self._clock()
        if self._state is BreakerState.OPEN:
            return None
        return self._move(BreakerState.OPEN, reason)

    def _move(self, to_state: BreakerState, reason: str) -> Transition:
        transition = Transition(
            path=self.path,
            from_state=self._state,
            to_state=to_state,
            at=self._clock(),
            wall_time=time.time(),
            reason=reason,
        )
        self._state = to_state
        self.transitions.append(transition)
        return transition

    # --- outside the lock -----------------------------------------------------------------

    def _announce(self, transition: Transition | None) -> None:
        if transition is None:
            return
        level = logging.WARNING if transition.to_state is BreakerState.OPEN else logging.INFO
        if logger.isEnabledFor(level):
            logger.log(
                level,
                "path %s: circuit breaker %s -> %s (%s)",
                transition.path,
                transition.from_state.value,
                transition.to_state.value,
                transition.reason,
                extra={"event": {"event": "claude.breaker", **transition.to_json()}},
            )
        if self._on_transition is not None:
            self._on_transition(transition)
