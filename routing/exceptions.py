"""What the router raises when it cannot give an answer.

```
Exception
 └── RoutingError
      ├── AllPathsFailed        every eligible path failed, or none could be tried
      │    └── DeadlineExceeded  the request's overall deadline ran out first
      └── StreamInterrupted     a stream broke after its first content event
```

A request that is itself at fault (HTTP 400 or 413) is not wrapped: the SDK's own
``anthropic.BadRequestError`` (or the 413 ``APIStatusError``) is raised unchanged,
because no other path would accept it either.

Messages name paths, failure categories, statuses and the platform's own short error
text; they never carry a credential, a prompt or a completion.
"""

from __future__ import annotations

from collections.abc import Sequence

from routing.accounting import Attempt
from routing.errors import Failure

__all__ = ["AllPathsFailed", "DeadlineExceeded", "RoutingError", "StreamInterrupted"]


class RoutingError(Exception):
    """The router could not give an answer."""


class AllPathsFailed(RoutingError):
    """Every eligible path was tried and failed, or was skipped with its breaker open.

    :ivar attempts: every attempt, in the order they ended.
    :ivar skipped: the paths skipped because their circuit breaker was open.
    """

    def __init__(
        self, tier: str, attempts: Sequence[Attempt], skipped: Sequence[str] = (), *, why: str = ""
    ) -> None:
        self.tier = tier
        self.attempts = tuple(attempts)
        self.skipped = tuple(skipped)
        super().__init__(self._describe(why))

    def _describe(self, why: str) -> str:
        tried = {attempt.path for attempt in self.attempts}
        if not why and not self.attempts and self.skipped:
            why = (
                f"no path was tried for tier {self.tier!r}: the circuit breaker of every "
                "eligible path is open"
            )
        head = why or (
            f"every path failed for tier {self.tier!r} "
            f"({len(tried)} path{'s' if len(tried) != 1 else ''} tried, "
            f"{len(self.attempts)} attempt{'s' if len(self.attempts) != 1 else ''})"
        )
        lines = [head + ":"] if self.attempts or self.skipped else [head]
        for attempt in self.attempts:
            detail = f": {attempt.detail}" if attempt.detail else ""
            status = (
                f", HTTP {attempt.status}"
                if attempt.status is not None and f"HTTP {attempt.status}" not in detail
                else ""
            )
            lines.append(
                f"  - {attempt.path} ({attempt.kind}): {attempt.outcome.value}, "
                f"{attempt.category or 'no category'}{status}{detail}"
            )
        if self.skipped:
            lines.append(f"  - skipped, circuit breaker open: {', '.join(self.skipped)}")
        return "\n".join(lines)


class DeadlineExceeded(AllPathsFailed):
    """The request's overall deadline ran out before any path answered."""


class StreamInterrupted(RoutingError):
    """A stream broke after content had started to arrive; the answer is incomplete.

    The router never fails a stream over once content has been handed to the caller,
    because the caller would see the answer start again. What arrived is reported.

    :ivar path: the name of the path that was streaming.
    :ivar events: stream events received from the path before the break.
    :ivar characters: characters of content (text, thinking, tool input) received.
    :ivar failure: why it broke.
    """

    def __init__(
        self,
        path: str,
        *,
        events: int,
        characters: int,
        failure: Failure,
        attempts: Sequence[Attempt] = (),
    ) -> None:
        self.path = path
        self.events = events
        self.characters = characters
        self.failure = failure
        self.attempts = tuple(attempts)
        status = f", HTTP {failure.status}" if failure.status is not None else ""
        super().__init__(
            f"the stream from path {path!r} broke after {events} event"
            f"{'s' if events != 1 else ''} and {characters} character"
            f"{'s' if characters != 1 else ''} of content ({failure.category.value}{status}: "
            f"{failure.detail}); the answer is incomplete"
        )
