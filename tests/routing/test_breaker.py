"""The circuit breaker's states and transitions, on an injected clock, alone and in a router."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from routing import BreakerState, Router
from routing.breaker import CircuitBreaker, Permit, Transition
from routing.errors import Category, Failure
from smoke_tests.emulator import Emulator, Fault
from tests.routing.conftest import MESSAGES

MakeRouter = Callable[..., Router]

REFUSED = Failure(Category.REFUSED, "the connection was refused")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def breaker(clock: Clock, seen: list[Transition] | None = None) -> CircuitBreaker:
    return CircuitBreaker(
        "p",
        threshold=3,
        cooldown=10.0,
        clock=clock,
        on_transition=None if seen is None else seen.append,
    )


def test_it_opens_after_the_threshold_of_consecutive_failures() -> None:
    clock = Clock()
    b = breaker(clock)
    b.failure(REFUSED)
    b.failure(REFUSED)
    assert b.state is BreakerState.CLOSED
    assert b.acquire() is Permit.PASS
    b.failure(REFUSED)
    assert b.state is BreakerState.OPEN
    assert b.acquire() is Permit.DENIED
    snapshot = b.snapshot()
    assert snapshot.consecutive_failures == 3
    assert snapshot.opened_at == 100.0 and snapshot.retry_at == 110.0
    assert snapshot.last_error == "network-refused: the connection was refused"


def test_a_success_resets_the_count() -> None:
    b = breaker(Clock())
    b.failure(REFUSED)
    b.failure(REFUSED)
    b.success()
    b.failure(REFUSED)
    b.failure(REFUSED)
    assert b.state is BreakerState.CLOSED


def test_after_the_cooldown_exactly_one_probe_goes_through() -> None:
    clock = Clock()
    b = breaker(clock)
    for _ in range(3):
        b.failure(REFUSED)
    clock.now += 9.9
    assert b.acquire() is Permit.DENIED
    clock.now += 0.2
    assert b.acquire() is Permit.PROBE
    assert b.state is BreakerState.HALF_OPEN
    assert b.acquire() is Permit.DENIED, "only one probe at a time"


def test_a_successful_probe_closes_it() -> None:
    clock, seen = Clock(), []
    b = breaker(clock, seen)
    for _ in range(3):
        b.failure(REFUSED)
    clock.now += 10
    permit = b.acquire()
    b.success(permit)
    assert b.state is BreakerState.CLOSED
    assert b.acquire() is Permit.PASS
    assert [(t.from_state, t.to_state) for t in seen] == [
        (BreakerState.CLOSED, BreakerState.OPEN),
        (BreakerState.OPEN, BreakerState.HALF_OPEN),
        (BreakerState.HALF_OPEN, BreakerState.CLOSED),
    ]
    assert [t.at for t in seen] == [100.0, 110.0, 110.0]


def test_a_failed_probe_opens_it_again_for_another_cooldown() -> None:
    clock = Clock()
    b = breaker(clock)
    for _ in range(3):
        b.failure(REFUSED)
    clock.now += 10
    permit = b.acquire()
    b.failure(REFUSED, permit)
    assert b.state is BreakerState.OPEN
    assert b.snapshot().opened_at == 110.0
    clock.now += 5
    assert b.acquire() is Permit.DENIED
    clock.now += 5
    assert b.acquire() is Permit.PROBE


def test_a_released_probe_lets_the_next_request_probe() -> None:
    clock = Clock()
    b = breaker(clock)
    for _ in range(3):
        b.failure(REFUSED)
    clock.now += 10
    b.release(b.acquire())
    assert b.state is BreakerState.HALF_OPEN
    assert b.acquire() is Permit.PROBE


def test_transitions_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="claude_access.routing")
    b = breaker(Clock())
    for _ in range(3):
        b.failure(REFUSED)
    (record,) = [r for r in caplog.records if "circuit breaker" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert record.event["from"] == "closed" and record.event["to"] == "open"


@pytest.mark.parametrize("threshold", [0, -1, 1.5, True])
def test_a_bad_threshold_is_refused(threshold: object) -> None:
    with pytest.raises(ValueError, match="threshold"):
        CircuitBreaker("p", threshold=threshold, cooldown=1.0)  # type: ignore[arg-type]


def test_in_a_router_an_open_breaker_skips_the_path_until_a_probe_succeeds(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    clock = Clock()
    router = make_router(breaker_threshold=2, breaker_cooldown=30.0, clock=clock)
    emu.set_fault(names[0], Fault(error_status=503))
    for _ in range(2):
        assert router.create(tier="haiku", max_tokens=8, messages=MESSAGES).path.name == names[1]
    health = router.health()[names[0]]
    assert health.state is BreakerState.OPEN and health.consecutive_failures == 2
    assert "overloaded" in (health.last_error or "")

    before = emu.stats()[names[0]]["requests"]
    result = router.create(tier="haiku", max_tokens=8, messages=MESSAGES)
    assert result.skipped == (names[0],)
    assert [attempt.path for attempt in result.attempts] == [names[1]]
    assert emu.stats()[names[0]]["requests"] == before, "an open path gets no traffic"

    emu.clear_fault(names[0])
    clock.now += 31
    assert router.create(tier="haiku", max_tokens=8, messages=MESSAGES).path.name == names[0]
    assert router.health()[names[0]].state is BreakerState.CLOSED
    assert [(t.path, t.to_state.value) for t in router.transitions()] == [
        (names[0], "open"),
        (names[0], "half-open"),
        (names[0], "closed"),
    ]


def test_in_a_router_a_failed_probe_keeps_the_path_out(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    clock = Clock()
    router = make_router(breaker_threshold=1, breaker_cooldown=5.0, clock=clock)
    emu.set_fault(names[0], Fault(refuse=True))
    router.create(tier="haiku", max_tokens=8, messages=MESSAGES)
    clock.now += 6
    result = router.create(tier="haiku", max_tokens=8, messages=MESSAGES)
    assert result.attempts[0].path == names[0] and result.attempts[0].category == "network-refused"
    assert router.health()[names[0]].state is BreakerState.OPEN
    assert router.create(tier="haiku", max_tokens=8, messages=MESSAGES).skipped == (names[0],)


def test_when_every_breaker_is_open_the_error_says_so(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    from routing import AllPathsFailed

    router = make_router(breaker_threshold=1, breaker_cooldown=60.0, clock=Clock())
    for name in names:
        emu.set_fault(name, Fault(error_status=500))
    with pytest.raises(AllPathsFailed):
        router.create(tier="haiku", max_tokens=8, messages=MESSAGES)
    with pytest.raises(AllPathsFailed) as raised:
        router.create(tier="haiku", max_tokens=8, messages=MESSAGES)
    assert raised.value.attempts == ()
    assert raised.value.skipped == tuple(names)
    assert "circuit breaker open" in str(raised.value)
