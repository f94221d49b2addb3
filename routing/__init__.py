"""Reading the paths manifest, and routing Claude requests across its paths.

```py
from routing import Router

with Router.from_manifest("paths.json") as router:
    result = router.create(tier="haiku", max_tokens=64, messages=[...])
```

The names below are loaded on first use, so that importing ``routing.manifest`` (as the
smoke tests and the command line do) does not import the ``anthropic`` SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from routing.accounting import Attempt, Outcome
    from routing.breaker import BreakerSnapshot, BreakerState, Transition
    from routing.exceptions import (
        AllPathsFailed,
        DeadlineExceeded,
        RoutingError,
        StreamInterrupted,
    )
    from routing.faults import FaultInjector, FaultMode
    from routing.hedging import Hedging
    from routing.router import (
        AsyncRoutedStream,
        AsyncRouter,
        Estimate,
        RoutedStream,
        Router,
        RouteResult,
    )
    from routing.tiers import choose_by_stakes

__all__ = [
    "AllPathsFailed",
    "AsyncRoutedStream",
    "AsyncRouter",
    "Attempt",
    "BreakerSnapshot",
    "BreakerState",
    "DeadlineExceeded",
    "Estimate",
    "FaultInjector",
    "FaultMode",
    "Hedging",
    "Outcome",
    "RouteResult",
    "RoutedStream",
    "Router",
    "RoutingError",
    "StreamInterrupted",
    "Transition",
    "choose_by_stakes",
]

_HOMES = {
    "Attempt": "routing.accounting",
    "Outcome": "routing.accounting",
    "BreakerSnapshot": "routing.breaker",
    "BreakerState": "routing.breaker",
    "Transition": "routing.breaker",
    "AllPathsFailed": "routing.exceptions",
    "DeadlineExceeded": "routing.exceptions",
    "RoutingError": "routing.exceptions",
    "StreamInterrupted": "routing.exceptions",
    "FaultInjector": "routing.faults",
    "FaultMode": "routing.faults",
    "Hedging": "routing.hedging",
    "AsyncRoutedStream": "routing.router",
    "AsyncRouter": "routing.router",
    "Estimate": "routing.router",
    "RoutedStream": "routing.router",
    "RouteResult": "routing.router",
    "Router": "routing.router",
    "choose_by_stakes": "routing.tiers",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'routing' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
