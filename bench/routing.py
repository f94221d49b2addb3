"""Benchmarks of the routing client against the emulator, each beside its baseline.

    .venv/bin/python bench/routing.py [--samples N]      (also run by `make bench`)

Every figure is measured in this run, on loopback, through the real SDK clients; the
baseline of each is the bare SDK client of the same kind, built the same way (same
timeouts, SDK retries off unless stated), calling the path the router ends up on.
Samples of a figure and of its baseline are interleaved, so that drift on a shared
machine touches both alike.

a. overhead: a healthy first path, router vs bare client, sync and async; and the
   router with every accounting event formatted and handled.
b. failover: the first path answers 529, or refuses connections, on every request
   (breaker threshold out of reach), vs calling the second path directly.
c. blackhole: the first path never answers. The first request pays one attempt
   timeout; later ones skip the open breaker. Beside it, the bare SDK client with its
   default timeout and retries on the blackholed path, measured up to a cap.
d. hedging: a first path with a slow tail (emulator latency with jitter; and a slow
   share of requests held on the client side), with and without hedging.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from routing import AsyncRouter, FaultInjector, FaultMode, Router  # noqa: E402
from routing.clients import ClientFactory  # noqa: E402
from routing.drill import first_in_order  # noqa: E402
from routing.hedging import DEFAULT_FLOOR  # noqa: E402
from routing.manifest import Manifest, load_manifest  # noqa: E402
from smoke_tests.emulator import Emulator, Fault  # noqa: E402

TARGET_OVERHEAD_MS = 1.0
TARGET_FAILOVER_MS = 10.0
TARGET_OPEN_BREAKER_MS = 2.0
BLACKHOLE_SLACK_MS = 50.0
ATTEMPT_TIMEOUT = 0.5
BARE_CAP_SECONDS = 5.0

PARAMS: dict[str, Any] = {
    "max_tokens": 16,
    "messages": [{"role": "user", "content": "one two three four five"}],
}

verdicts: list[bool] = []


def ms(seconds: float) -> float:
    return seconds * 1000.0


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def interleaved(calls: list[Callable[[], Any]], samples: int) -> list[list[float]]:
    """Time each call ``samples`` times, round-robin, after a few warm-up rounds."""
    for _ in range(5):
        for call in calls:
            call()
    results: list[list[float]] = [[] for _ in calls]
    for _ in range(samples):
        for index, call in enumerate(calls):
            results[index].append(timed(call))
    return results


def added(routed: list[float], direct: list[float]) -> float:
    """The median of paired differences: each routed sample minus the baseline beside it."""
    return statistics.median(r - d for r, d in zip(routed, direct, strict=True))


def verdict(label: str, value: float, target: float, unit: str = "ms") -> None:
    ok = value <= target
    verdicts.append(ok)
    print(f"  target    {label} <= {target:g} {unit}: {'met' if ok else 'MISSED'}")


def line(label: str, value_ms: float, baseline_ms: float | None = None) -> None:
    ratio = f"   {value_ms / baseline_ms:6.2f}x baseline" if baseline_ms else ""
    print(f"  {label:<46} {value_ms:9.3f} ms{ratio}")


def bare(manifest: Manifest, name: str, factory: ClientFactory) -> Callable[[], Any]:
    entry = next(entry for entry in manifest.paths if entry.name == name)
    client = factory.client(entry)
    model = entry.models["haiku"]
    return lambda: client.messages.create(model=model, **PARAMS)


def router_call(router: Router, **options: Any) -> Callable[[], Any]:
    return lambda: router.create(tier="haiku", **options, **PARAMS)


def router_options(**extra: Any) -> dict[str, Any]:
    return {
        "allow_emulator": True,
        "connect_timeout": 2.0,
        "first_byte_timeout": ATTEMPT_TIMEOUT,
        "choose_tier": None,
        **extra,
    }


# --- a. overhead --------------------------------------------------------------------------


def overhead(emu: Emulator, manifest: Manifest, factory: ClientFactory, samples: int) -> None:
    print("a. router overhead on a healthy path (anthropic kind)")
    first = manifest.ordered()[0].name
    with Router(manifest, **router_options()) as router:
        direct, routed = interleaved([bare(manifest, first, factory), router_call(router)], samples)
    base, mine = statistics.median(direct), statistics.median(routed)
    line("bare SDK client, median", ms(base))
    line("router.create, median", ms(mine), ms(base))
    line("added by the router, median of pairs", ms(added(routed, direct)))
    verdict("added latency", ms(added(routed, direct)), TARGET_OVERHEAD_MS)

    # The same with every accounting event built, formatted as JSON and handled.
    events = logging.getLogger("claude_access.routing")
    sink = _CountingHandler()
    events.addHandler(sink)
    events.setLevel(logging.INFO)
    try:
        with Router(manifest, **router_options()) as router:
            direct, routed = interleaved(
                [bare(manifest, first, factory), router_call(router)], samples
            )
    finally:
        events.removeHandler(sink)
        events.setLevel(logging.NOTSET)
    base, mine = statistics.median(direct), statistics.median(routed)
    line("router.create, accounting events logged", ms(mine), ms(base))
    line("added, with events logged, median of pairs", ms(added(routed, direct)))

    direct, routed = asyncio.run(_async_overhead(manifest, first, samples))
    base, mine = statistics.median(direct), statistics.median(routed)
    line("bare async SDK client, median", ms(base))
    line("AsyncRouter.create, median", ms(mine), ms(base))
    line("added by the async router, median of pairs", ms(added(routed, direct)))
    verdict("added latency (async)", ms(added(routed, direct)), TARGET_OVERHEAD_MS)


class _CountingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        record.getMessage()
        self.count += 1


async def _async_overhead(
    manifest: Manifest, name: str, samples: int
) -> tuple[list[float], list[float]]:
    factory = ClientFactory(
        timeout=ATTEMPT_TIMEOUT, max_retries=0, asynchronous=True, allow_emulator=True
    )
    entry = next(entry for entry in manifest.paths if entry.name == name)
    client = factory.client(entry)
    model = entry.models["haiku"]
    direct: list[float] = []
    routed: list[float] = []
    async with AsyncRouter(manifest, **router_options()) as router:
        for index in range(samples + 5):
            started = time.perf_counter()
            await client.messages.create(model=model, **PARAMS)
            middle = time.perf_counter()
            await router.create(tier="haiku", **PARAMS)
            ended = time.perf_counter()
            if index >= 5:
                direct.append(middle - started)
                routed.append(ended - middle)
    await factory.aclose()
    return direct, routed


# --- b. failover --------------------------------------------------------------------------


def failover(emu: Emulator, manifest: Manifest, factory: ClientFactory, samples: int) -> None:
    print("b. failover on every request (breaker threshold out of reach)")
    first, second = (entry.name for entry in manifest.ordered()[:2])
    for label, fault in (("529", Fault(error_status=529)), ("refused", Fault(refuse=True))):
        emu.set_fault(first, fault)
        try:
            with Router(manifest, **router_options(breaker_threshold=10**9)) as router:
                direct, routed = interleaved(
                    [bare(manifest, second, factory), router_call(router)], samples
                )
        finally:
            emu.clear_fault(first)
        base, mine = statistics.median(direct), statistics.median(routed)
        line(f"second path directly, median ({label})", ms(base))
        line(f"router, first path {label}, median", ms(mine), ms(base))
        line(f"added by failover ({label}), median of pairs", ms(added(routed, direct)))
        verdict(f"added latency ({label})", ms(added(routed, direct)), TARGET_FAILOVER_MS)


# --- c. blackhole -------------------------------------------------------------------------


def blackhole(emu: Emulator, manifest: Manifest, factory: ClientFactory, samples: int) -> None:
    print(f"c. blackholed first path (attempt first-byte timeout {ATTEMPT_TIMEOUT:g} s)")
    first, second = (entry.name for entry in manifest.ordered()[:2])
    direct_second = bare(manifest, second, factory)
    base = statistics.median(interleaved([direct_second], samples)[0])

    router = Router(manifest, **router_options(breaker_threshold=1, breaker_cooldown=600.0))
    router.warm_up(tier="haiku")
    emu.set_fault(first, Fault(blackhole=True))
    try:
        first_request = timed(router_call(router))
        bound = ATTEMPT_TIMEOUT + base + BLACKHOLE_SLACK_MS / 1000.0
        line("second path directly, median", ms(base))
        line("router, first request", ms(first_request), ms(base))
        line("bound: attempt timeout + second path + 50 ms", ms(bound))
        verdict("first request (timeout + second + 50 ms)", ms(first_request), ms(bound))
        direct, routed = interleaved([direct_second, router_call(router)], samples)
        base, mine = statistics.median(direct), statistics.median(routed)
        line("router, breaker open, median", ms(mine), ms(base))
        line("added with the breaker open, median of pairs", ms(added(routed, direct)))
        verdict("added latency, breaker open", ms(added(routed, direct)), TARGET_OPEN_BREAKER_MS)

        # The bare client with the SDK's defaults (600 s read timeout, 2 retries).
        import anthropic

        from smoke_tests.emulator import TEST_ANTHROPIC_API_KEY

        default_client = anthropic.Anthropic(
            api_key=TEST_ANTHROPIC_API_KEY, base_url=emu.url(first)
        )
        done = threading.Event()

        def wait_forever() -> None:
            with contextlib.suppress(Exception):
                default_client.messages.create(model="claude-haiku-4-5", **PARAMS)
            done.set()

        started = time.perf_counter()
        threading.Thread(target=wait_forever, daemon=True).start()
        finished = done.wait(BARE_CAP_SECONDS)
        waited = time.perf_counter() - started
        shown = f"{waited:.3f} s" if finished else f">= {BARE_CAP_SECONDS:g} s (cap; still waiting)"
        print(f"  {'bare SDK client, default timeout and retries':<46} {shown:>12}")
        if not finished:
            print(
                f"  {'':<46} {BARE_CAP_SECONDS / (first_request):.1f}x the router's first "
                "request, at least"
            )
    finally:
        emu.clear_fault(first)
        router.close()


# --- d. hedging ---------------------------------------------------------------------------


def hedging(emu: Emulator, manifest: Manifest, samples: int) -> None:
    print("d. hedging, first path with a slow tail")
    first = manifest.ordered()[0].name

    emu.set_fault(first, Fault(latency_ms=30, jitter_ms=30))
    try:
        _hedge_pair(manifest, "emulator latency 0..60 ms (uniform)", 0.02, samples, None)
    finally:
        emu.clear_fault(first)

    faults = FaultInjector(seed=7)
    faults.set(first, FaultMode.parse("slow:250@0.03"))
    _hedge_pair(manifest, "3% of requests held 250 ms", "p95", samples * 2, faults)


def _hedge_pair(
    manifest: Manifest,
    label: str,
    hedge: float | str,
    samples: int,
    faults: FaultInjector | None,
) -> None:
    extra = {} if faults is None else {"wrap_transport": faults.wrap}
    print(f"  {label}:")
    results = {}
    named = f"hedge after {hedge:g} s" if isinstance(hedge, float) else f"hedge {hedge}"
    if hedge == "p95":
        named += f" (floor {DEFAULT_FLOOR * 1000:g} ms)"
    for name, option in (("without hedging", None), (named, hedge)):
        with Router(manifest, **router_options(hedge=option, **extra)) as router:
            call = router_call(router)
            hedged = 0
            latencies = []
            for index in range(samples + 30):  # the first 30 fill the p95 window
                started = time.perf_counter()
                result = call()
                if index >= 30:
                    latencies.append(time.perf_counter() - started)
                    hedged += any(attempt.hedged for attempt in result.attempts)
            results[name] = (percentile(latencies, 0.5), percentile(latencies, 0.99), hedged)
    (_, (p50, p99, _)), (name, (h50, h99, hedged)) = results.items()
    line("  without hedging, p50", ms(p50))
    line("  without hedging, p99", ms(p99))
    line(f"  {name}, p50", ms(h50), ms(p50))
    line(f"  {name}, p99", ms(h99), ms(p99))
    print(f"  {'    requests hedged':<46} {hedged / samples:9.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300, help="samples per figure (300)")
    args = parser.parse_args()
    logging.getLogger("claude_access.routing").addHandler(logging.NullHandler())

    started = time.perf_counter()
    with Emulator(["anthropic", "foundry", "vertex"], seed=5) as emu:
        manifest = load_manifest(emu.manifest(stack="bench"))
        factory = ClientFactory(timeout=ATTEMPT_TIMEOUT, max_retries=0, allow_emulator=True)
        try:
            overhead(emu, manifest, factory, args.samples)
            failover(emu, manifest, factory, args.samples)
            blackhole(emu, manifest, factory, args.samples)
            hedging(emu, first_in_order(manifest, manifest.ordered()[0].name), args.samples // 2)
        finally:
            factory.close()
    print(f"routing benchmarks took {time.perf_counter() - started:.1f} s")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
