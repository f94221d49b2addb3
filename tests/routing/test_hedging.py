"""Hedged requests: the second path is asked after the delay, the first good answer wins,
the loser is cancelled and recorded; and how the delay follows a path's p95."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from routing import AsyncRouter, Hedging, Outcome, Router
from routing.hedging import LatencyWindow, hedge_delay
from routing.manifest import Manifest
from smoke_tests.emulator import Emulator, Fault
from tests.routing.conftest import MESSAGES, run_async

MakeRouter = Callable[..., Router]

SLOW_MS = 1500


def test_a_slow_first_path_is_hedged_and_the_fast_answer_wins(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    emu.set_fault(names[0], Fault(latency_ms=SLOW_MS))
    before = emu.stats()
    router = make_router(hedge=0.1)
    started = time.perf_counter()
    result = router.create(tier="haiku", max_tokens=16, messages=MESSAGES)
    elapsed = time.perf_counter() - started

    assert result.path.name == names[1]
    assert names[1] in result.message.content[0].text
    assert elapsed < SLOW_MS / 1000 * 0.6, "the caller does not wait for the slow path"
    loser, winner = result.attempts
    assert (loser.path, loser.outcome, loser.hedged) == (names[0], Outcome.CANCELLED, False)
    assert (winner.path, winner.outcome, winner.hedged) == (names[1], Outcome.OK, True)
    assert loser.latency_ms < SLOW_MS * 0.6
    after = emu.stats()
    assert after[names[0]]["requests"] == before[names[0]]["requests"] + 1, "the loser was sent"
    assert after[names[1]]["requests"] == before[names[1]]["requests"] + 1


def test_a_fast_first_path_is_not_hedged(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    before = emu.stats()[names[1]]["requests"]
    result = make_router(hedge=1.0).create(tier="haiku", max_tokens=16, messages=MESSAGES)
    assert [attempt.path for attempt in result.attempts] == [names[0]]
    assert emu.stats()[names[1]]["requests"] == before


def test_a_hedged_stream_closes_the_losing_stream(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    emu.set_fault(names[0], Fault(latency_ms=SLOW_MS))
    with make_router(hedge=0.1).stream(tier="haiku", max_tokens=16, messages=MESSAGES) as stream:
        text = "".join(stream.text_stream)
    assert stream.path.name == names[1] and names[1] in text
    assert [attempt.outcome for attempt in stream.attempts] == [Outcome.CANCELLED, Outcome.OK]


def test_a_failure_during_a_hedge_fails_over_as_usual(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    emu.set_fault(names[0], Fault(error_status=529))
    result = make_router(hedge=0.5).create(tier="haiku", max_tokens=16, messages=MESSAGES)
    assert result.path.name == names[1]
    assert [attempt.outcome for attempt in result.attempts] == [Outcome.FAILED, Outcome.OK]
    assert result.attempts[1].hedged is False, "a failover is not a hedge"


def test_the_async_router_cancels_the_losing_task_promptly(
    emu: Emulator, manifest: Manifest
) -> None:
    emu.set_fault(manifest.ordered()[0].name, Fault(latency_ms=SLOW_MS))

    async def scenario() -> tuple[object, float, int]:
        async with AsyncRouter(manifest, allow_emulator=True, hedge=0.1) as router:
            started = time.perf_counter()
            result = await router.create(tier="haiku", max_tokens=16, messages=MESSAGES)
            elapsed = time.perf_counter() - started
            pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            return result, elapsed, len(pending)

    result, elapsed, pending = run_async(scenario())
    assert result.path.name == manifest.ordered()[1].name  # type: ignore[attr-defined]
    loser, winner = result.attempts  # type: ignore[attr-defined]
    assert loser.outcome is Outcome.CANCELLED and winner.hedged
    assert elapsed < SLOW_MS / 1000 * 0.6
    assert pending == 0, "the loser's task is cancelled and gone when the answer is returned"


def test_p95_hedging_waits_for_the_paths_recent_tail() -> None:
    hedging = Hedging("p95", floor=0.05, initial=1.0, window=100, min_samples=10)
    window = LatencyWindow(100)
    assert hedge_delay(hedging, window) == 1.0, "too few samples: the initial delay"
    for index in range(100):
        window.add(0.010 if index < 90 else 0.400)
    assert hedge_delay(hedging, window) == pytest.approx(0.4)
    fast = LatencyWindow(100)
    for _ in range(50):
        fast.add(0.002)
    assert hedge_delay(hedging, fast) == 0.05, "never below the floor"
    assert hedge_delay(Hedging(0.25), window) == 0.25


def test_the_p95_window_forgets_old_latencies() -> None:
    window = LatencyWindow(20)
    for _ in range(20):
        window.add(1.0)
    for _ in range(20):
        window.add(0.1)
    assert window.p95() == pytest.approx(0.1)


@pytest.mark.parametrize("value", [-1, "p99", True])
def test_bad_hedge_values_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match="hedge"):
        Hedging.of(value)  # type: ignore[arg-type]
