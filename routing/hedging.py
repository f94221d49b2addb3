"""Hedged requests: when the preferred path is slow, ask the next one too.

A request that has no answer after the hedge delay is also sent to the next eligible
path; the first good answer wins and the other attempt is cancelled. The delay is a
fixed number of seconds, or ``"p95"``: the 95th percentile of the path's recent
latencies (a rolling window of successful attempts), never below a floor, so that only
the slowest few percent of requests pay for a second attempt.

```py
Router.from_manifest(manifest, hedge=0.5)                # after half a second
Router.from_manifest(manifest, hedge="p95")              # after the path's p95
Router.from_manifest(manifest, hedge=Hedging("p95", floor=0.2, initial=2.0))
```
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["DEFAULT_FLOOR", "Hedging", "LatencyWindow", "hedge_delay"]

DEFAULT_FLOOR: Final = 0.05
"""Seconds: a ``p95`` hedge never fires sooner, however fast the path has been."""


@dataclass(frozen=True)
class Hedging:
    """When to hedge.

    :param after: seconds, or ``"p95"`` for the path's recent 95th percentile latency.
    :param floor: the least delay of a ``p95`` hedge, in seconds.
    :param initial: the delay of a ``p95`` hedge until the window holds ``min_samples``.
    :param window: how many recent latencies per path the percentile is taken over.
    :param min_samples: latencies needed before the percentile is trusted.
    """

    after: float | Literal["p95"]
    floor: float = DEFAULT_FLOOR
    initial: float = 1.0
    window: int = 200
    min_samples: int = 20

    def __post_init__(self) -> None:
        if self.after != "p95" and not (
            isinstance(self.after, int | float)
            and not isinstance(self.after, bool)
            and self.after >= 0
        ):
            raise ValueError(f"Expected hedge to be seconds >= 0 or 'p95', got {self.after!r}")
        for name in ("floor", "initial"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ValueError(f"Expected hedge {name} to be seconds >= 0, got {value!r}")
        if not isinstance(self.window, int) or self.window < 1:
            raise ValueError(f"Expected hedge window to be an integer >= 1, got {self.window!r}")
        if not isinstance(self.min_samples, int) or not 1 <= self.min_samples <= self.window:
            raise ValueError(
                f"Expected hedge min_samples to be 1..window ({self.window}), "
                f"got {self.min_samples!r}"
            )

    @classmethod
    def of(cls, value: float | str | Hedging | None) -> Hedging | None:
        """The router's ``hedge`` option as a :class:`Hedging`, or ``None`` for no hedging."""
        if value is None or isinstance(value, Hedging):
            return value
        if value == "p95":
            return cls("p95")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return cls(float(value))
        raise ValueError(f"Expected hedge to be seconds, 'p95', a Hedging or None, got {value!r}")


class LatencyWindow:
    """The latest latencies of one path, and their 95th percentile.

    The percentile is recomputed at most every ``window // 10`` samples, so that asking
    for it on every request costs a comparison, not a sort.
    """

    __slots__ = ("_cached", "_lock", "_samples", "_since", "_stale_after")

    def __init__(self, size: int) -> None:
        self._samples: deque[float] = deque(maxlen=size)
        self._lock = threading.Lock()
        self._cached: float | None = None
        self._since = 0
        self._stale_after = max(1, size // 10)

    def __len__(self) -> int:
        return len(self._samples)

    def add(self, seconds: float) -> None:
        with self._lock:
            self._samples.append(seconds)
            self._since += 1

    def p95(self) -> float | None:
        """The 95th percentile (nearest rank) of the window, or ``None`` when empty."""
        with self._lock:
            if self._cached is None or self._since >= self._stale_after:
                if not self._samples:
                    return None
                ordered = sorted(self._samples)
                self._cached = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
                self._since = 0
            return self._cached


def hedge_delay(hedging: Hedging, window: LatencyWindow | None) -> float:
    """Seconds to wait for the first attempt before sending the hedge."""
    if hedging.after != "p95":
        return float(hedging.after)
    if window is None or len(window) < hedging.min_samples:
        return max(hedging.floor, hedging.initial)
    p95 = window.p95()
    return hedging.floor if p95 is None else max(hedging.floor, p95)
