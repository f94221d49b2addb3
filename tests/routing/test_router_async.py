"""The async router follows the same rules as the sync one, through the async SDK clients."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anthropic
import pytest

from routing import (
    AllPathsFailed,
    AsyncRouter,
    BreakerState,
    DeadlineExceeded,
    Outcome,
    StreamInterrupted,
)
from routing.manifest import Manifest
from smoke_tests.emulator import Emulator, Fault
from tests.routing.conftest import MESSAGES, run_async

T = TypeVar("T")


def run(manifest: Manifest, body: Callable[[AsyncRouter], Awaitable[T]], **options: Any) -> T:
    async def main() -> T:
        options.setdefault("first_byte_timeout", 2.0)
        async with AsyncRouter(manifest, allow_emulator=True, **options) as router:
            return await body(router)

    return run_async(main())


async def ask(router: AsyncRouter, **options: Any) -> Any:
    return await router.create(max_tokens=16, messages=MESSAGES, **options)


@pytest.mark.parametrize(
    "fault", [Fault(error_status=529), Fault(error_status=429), Fault(refuse=True)]
)
def test_path_failures_fail_over(
    emu: Emulator, manifest: Manifest, names: list[str], fault: Fault
) -> None:
    emu.set_fault(names[0], fault)
    result = run(manifest, lambda router: ask(router, tier="haiku"))
    assert result.path.name == names[1]
    assert [attempt.outcome for attempt in result.attempts] == [Outcome.FAILED, Outcome.OK]


def test_a_blackhole_costs_the_attempt_timeout(
    emu: Emulator, manifest: Manifest, names: list[str]
) -> None:
    emu.set_fault(names[0], Fault(blackhole=True))
    result = run(manifest, lambda router: ask(router, tier="haiku"), first_byte_timeout=0.3)
    assert result.path.name == names[1]
    assert result.attempts[0].category == "timeout"


def test_caller_errors_are_raised_at_once(
    emu: Emulator, manifest: Manifest, names: list[str]
) -> None:
    emu.set_fault(names[0], Fault(error_status=400))
    before = emu.stats()[names[1]]["requests"]
    with pytest.raises(anthropic.BadRequestError):
        run(manifest, lambda router: ask(router, tier="haiku"))
    assert emu.stats()[names[1]]["requests"] == before


def test_all_paths_failing_lists_every_attempt(
    emu: Emulator, manifest: Manifest, names: list[str]
) -> None:
    for name in names:
        emu.set_fault(name, Fault(error_status=500))
    with pytest.raises(AllPathsFailed) as raised:
        run(manifest, lambda router: ask(router, tier="haiku"))
    assert [attempt.path for attempt in raised.value.attempts] == names


def test_the_deadline_caps_attempts(emu: Emulator, manifest: Manifest, names: list[str]) -> None:
    for name in names:
        emu.set_fault(name, Fault(blackhole=True))
    started = time.perf_counter()
    with pytest.raises(DeadlineExceeded):
        run(manifest, lambda router: ask(router, tier="haiku"), first_byte_timeout=30, deadline=0.5)
    assert time.perf_counter() - started < 5.0


def test_breakers_open_and_skip(emu: Emulator, manifest: Manifest, names: list[str]) -> None:
    emu.set_fault(names[0], Fault(error_status=503))

    async def body(router: AsyncRouter) -> tuple[Any, Any]:
        await ask(router, tier="haiku")
        result = await ask(router, tier="haiku")
        return result, router.health()[names[0]]

    result, health = run(manifest, body, breaker_threshold=1, breaker_cooldown=60)
    assert result.skipped == (names[0],)
    assert health.state is BreakerState.OPEN


def test_pin_and_exclude(manifest: Manifest, names: list[str]) -> None:
    async def body(router: AsyncRouter) -> list[str]:
        pinned = await ask(router, tier="haiku", pin=[names[3]])
        excluded = await ask(router, tier="haiku", exclude=names[:2])
        return [pinned.path.name, excluded.path.name]

    assert run(manifest, body) == [names[3], names[2]]


def test_streams_fail_over_before_content_and_raise_after(
    emu: Emulator, manifest: Manifest, names: list[str]
) -> None:
    emu.set_fault(names[0], Fault(cut_after_events=1))

    async def body(router: AsyncRouter) -> tuple[str, str, StreamInterrupted]:
        async with router.stream(tier="haiku", max_tokens=16, messages=MESSAGES) as stream:
            text = "".join([t async for t in stream.text_stream])
        served = stream.path.name
        emu.set_fault(names[1], Fault(cut_after_events=4))
        with pytest.raises(StreamInterrupted) as raised:
            async with router.stream(
                tier="haiku", pin=names[1], max_tokens=64, messages=MESSAGES
            ) as broken:
                await broken.until_done()
        return served, text, raised.value

    served, text, interrupted = run(manifest, body)
    assert served == names[1]
    assert served in text
    assert interrupted.path == names[1] and interrupted.characters > 0


def test_estimate(manifest: Manifest, names: list[str]) -> None:
    estimate = run(
        manifest, lambda router: router.estimate(tier="haiku", max_tokens=10, messages=MESSAGES)
    )
    assert (estimate.path, estimate.input_tokens) == (names[1], 5)
