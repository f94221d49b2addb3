"""The failover drill: break one path on purpose and prove that traffic moves, then returns.

A drill of one path runs these steps, through a real :class:`routing.Router` and the
real SDK clients of every path:

1. *Warm-up*: one tiny request to every path, so that client set-up is not counted as
   failover time, and so that a path already broken is reported as such.
2. *Fault*: the drilled path is put first in the router's order, and a fault is injected
   on the client side, under its SDK client (:mod:`routing.faults`): connections
   refused, a blackhole, or an error status with the platform's own error body. This
   works the same against real endpoints as against the emulator. A burst of requests
   is sent, one after the other.
3. *Recovery*: the fault is cleared and requests continue, paced, until the drilled
   path serves one again (its breaker's cooldown has passed and its probe succeeded),
   or until the recovery window ends.

The report says how many requests were sent, answered and lost; which path served each;
how long after the fault started the first answer came from another path; every breaker
transition with its time; and whether, and how quickly, the drilled path recovered.

A drill passes when no request was lost, failover came within the bound, and the path
recovered. Nothing in a report is secret: errors are shown by category and the
platform's short message, as :func:`routing.errors.classify` words them.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from routing.accounting import Outcome
from routing.exceptions import RoutingError
from routing.faults import FaultInjector, FaultMode
from routing.manifest import Manifest, PathEntry

__all__ = [
    "DrillInputError",
    "DrillReport",
    "DrillSettings",
    "RequestRecord",
    "first_in_order",
    "format_report",
    "run_drill",
    "run_drills",
    "to_json",
]

PROMPT: Final = "Reply with the single word: ok"


class DrillInputError(Exception):
    """The drill cannot start: the manifest, the path or a setting is unusable."""


@dataclass(frozen=True)
class DrillSettings:
    """How a drill is run.

    :param mode: the fault injected on the drilled path.
    :param requests: requests sent while the fault is on.
    :param bound: seconds from the fault's start within which another path must answer.
    :param cooldown: the router's breaker cooldown: short, so that recovery is quick.
    :param threshold: consecutive failures that open the drilled path's breaker.
    :param connect_timeout: the router's connect timeout per attempt.
    :param attempt_timeout: the router's first-byte timeout per attempt; a blackhole
        costs this much for each request until the breaker opens.
    :param recover_within: seconds after the fault clears for the path to serve again.
    :param tier: the tier to request; ``None`` picks ``haiku`` where the path offers it.
    :param max_tokens: output tokens per request; keep it small, drills cost money.
    """

    mode: FaultMode = field(default_factory=lambda: FaultMode("refuse"))
    requests: int = 10
    bound: float = 10.0
    cooldown: float = 2.0
    threshold: int = 3
    connect_timeout: float = 3.0
    attempt_timeout: float = 5.0
    recover_within: float = 30.0
    tier: str | None = None
    max_tokens: int = 8

    def __post_init__(self) -> None:
        if self.requests < 1:
            raise DrillInputError(f"Expected requests to be 1 or more, got {self.requests!r}")
        for name in ("bound", "cooldown", "connect_timeout", "attempt_timeout", "recover_within"):
            if getattr(self, name) <= 0:
                raise DrillInputError(
                    f"Expected {name} to be seconds > 0, got {getattr(self, name)!r}"
                )

    @property
    def pace(self) -> float:
        """Seconds between recovery requests: a tenth of the cooldown, within 50 ms..1 s."""
        return min(1.0, max(0.05, self.cooldown / 10.0))

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": str(self.mode),
            "requests": self.requests,
            "boundSeconds": self.bound,
            "cooldownSeconds": self.cooldown,
            "threshold": self.threshold,
            "connectTimeoutSeconds": self.connect_timeout,
            "attemptTimeoutSeconds": self.attempt_timeout,
            "recoverWithinSeconds": self.recover_within,
            "tier": self.tier,
            "maxTokens": self.max_tokens,
        }


@dataclass(frozen=True)
class RequestRecord:
    """One request of a drill."""

    phase: str
    """``fault`` or ``recovery``."""
    started: float
    """Seconds after the fault started."""
    latency_ms: float
    path: str | None
    """The path that answered, or ``None`` when the request was lost."""
    error: str | None = None
    """Why it was lost: the first line of the router's error."""

    def to_json(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "startedSeconds": round(self.started, 4),
            "latencyMs": round(self.latency_ms, 2),
            "path": self.path,
            "error": self.error,
        }


@dataclass
class DrillReport:
    """What one drill of one path found."""

    path: str
    kind: str
    mode: str
    tier: str
    bound: float
    warm_up: dict[str, str] = field(default_factory=dict)
    """Each path's warm-up outcome: ``ok``, or the category and detail of its failure."""
    records: list[RequestRecord] = field(default_factory=list)
    failover_seconds: float | None = None
    failover_path: str | None = None
    transitions: list[dict[str, Any]] = field(default_factory=list)
    recovered: bool = False
    recovery_seconds: float | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return len(self.records)

    @property
    def answered(self) -> int:
        return sum(1 for record in self.records if record.path is not None)

    @property
    def lost(self) -> int:
        return self.sent - self.answered

    @property
    def served_by(self) -> dict[str, int]:
        counts = Counter(record.path for record in self.records if record.path is not None)
        return dict(counts.most_common())

    @property
    def passed(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        fault_phase = [record for record in self.records if record.phase == "fault"]
        return {
            "path": self.path,
            "kind": self.kind,
            "mode": self.mode,
            "tier": self.tier,
            "passed": self.passed,
            "problems": list(self.problems),
            "warmUp": dict(self.warm_up),
            "requests": {
                "sent": self.sent,
                "answered": self.answered,
                "lost": self.lost,
                "duringFault": len(fault_phase),
            },
            "servedBy": self.served_by,
            "failover": {
                "seconds": _round(self.failover_seconds),
                "path": self.failover_path,
                "boundSeconds": self.bound,
            },
            "recovery": {"recovered": self.recovered, "seconds": _round(self.recovery_seconds)},
            "transitions": list(self.transitions),
            "records": [record.to_json() for record in self.records],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# --- running a drill ----------------------------------------------------------------------


def first_in_order(manifest: Manifest, name: str) -> Manifest:
    """``manifest`` with path ``name`` first and the others after it in their order."""
    ordered = manifest.ordered()
    chosen = [entry for entry in ordered if entry.name == name]
    if not chosen:
        known = ", ".join(entry.name for entry in ordered)
        raise DrillInputError(
            f"Expected --fail to name a path of the manifest ({known}), got {name!r}"
        )
    rest = [entry for entry in ordered if entry.name != name]
    paths = [
        entry.model_copy(update={"priority": index + 1})
        for index, entry in enumerate([*chosen, *rest])
    ]
    return manifest.model_copy(update={"paths": paths})


def _tier_for(entry: PathEntry, wanted: str | None) -> str:
    if wanted is not None:
        if wanted not in entry.models:
            raise DrillInputError(
                f"Expected --tier to be a tier path {entry.name!r} offers "
                f"({', '.join(entry.models)}), got {wanted!r}"
            )
        return wanted
    return "haiku" if "haiku" in entry.models else next(iter(entry.models))


def run_drill(
    manifest: Manifest,
    path: str,
    settings: DrillSettings,
    *,
    allow_emulator: bool = False,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> DrillReport:
    """Drill one path (see the module's steps) and report what happened."""
    from routing.router import Router

    # 1. Validate, then build a router that prefers the drilled path.
    ordered = first_in_order(manifest, path)
    entry = ordered.ordered()[0]
    tier = _tier_for(entry, settings.tier)
    faults = FaultInjector()
    report = DrillReport(
        path=entry.name, kind=entry.kind, mode=str(settings.mode), tier=tier, bound=settings.bound
    )
    router = Router(
        ordered,
        connect_timeout=settings.connect_timeout,
        first_byte_timeout=settings.attempt_timeout,
        deadline=settings.attempt_timeout * (len(ordered.paths) + 1),
        breaker_threshold=settings.threshold,
        breaker_cooldown=settings.cooldown,
        allow_emulator=allow_emulator,
        choose_tier=None,
        clock=clock,
        wrap_transport=faults.wrap,
    )
    params = {
        "max_tokens": settings.max_tokens,
        "messages": [{"role": "user", "content": PROMPT}],
    }
    try:
        # 2. Warm up every path; the drilled one must answer before it is broken.
        for name, attempt in router.warm_up(tier=tier).items():
            report.warm_up[name] = (
                "ok"
                if attempt.outcome is Outcome.OK
                else f"{attempt.category}: {attempt.detail or 'failed'}"
            )
        if report.warm_up.get(entry.name) != "ok":
            report.problems.append(
                f"path {entry.name} does not answer before the fault "
                f"({report.warm_up.get(entry.name)}); run `claude-access smoke` to see why"
            )
            return report

        # 3. Break the path and send the burst.
        started = clock()
        faults.set(entry.name, settings.mode)
        for _ in range(settings.requests):
            record = _send(router, tier, params, "fault", started, clock)
            report.records.append(record)
            if record.path not in (None, entry.name) and report.failover_seconds is None:
                report.failover_seconds = record.started + record.latency_ms / 1000.0
                report.failover_path = record.path

        # 4. Clear the fault and wait, paced, for the path to serve again.
        faults.clear(entry.name)
        cleared = clock()
        while clock() - cleared <= settings.recover_within:
            record = _send(router, tier, params, "recovery", started, clock)
            report.records.append(record)
            if record.path == entry.name:
                report.recovered = True
                report.recovery_seconds = (
                    started + record.started + record.latency_ms / 1000.0 - cleared
                )
                break
            sleep(settings.pace)

        report.transitions = [
            {
                **transition.to_json(),
                "atSeconds": round(transition.at - started, 4),
                "wallTime": datetime.fromtimestamp(transition.wall_time, UTC).isoformat(
                    timespec="milliseconds"
                ),
            }
            for transition in router.transitions()
            if transition.at >= started
        ]
    finally:
        faults.release_all()
        router.close()

    # 5. The verdict.
    if report.lost:
        report.problems.append(
            f"{report.lost} of {report.sent} request{'s' if report.sent != 1 else ''} "
            "got no answer from any path"
        )
    if report.failover_seconds is None:
        report.problems.append(f"no other path answered while {entry.name} was failing")
    elif report.failover_seconds > settings.bound:
        report.problems.append(
            f"failover took {report.failover_seconds:.2f} s, over the bound of {settings.bound:g} s"
        )
    if not report.recovered:
        report.problems.append(
            f"{entry.name} did not serve again within {settings.recover_within:g} s of the "
            "fault clearing"
        )
    return report


def _send(
    router: Any,
    tier: str,
    params: dict[str, Any],
    phase: str,
    started: float,
    clock: Callable[[], float],
) -> RequestRecord:
    begun = clock()
    try:
        result = router.create(tier, **params)
    except Exception as error:
        if not isinstance(error, RoutingError):
            from routing.errors import classify

            failure = classify(error)
            reason = f"{failure.category.value}: {failure.detail}"
        else:
            reason = str(error).splitlines()[0]
        return RequestRecord(phase, begun - started, (clock() - begun) * 1000.0, None, reason)
    return RequestRecord(phase, begun - started, (clock() - begun) * 1000.0, result.path.name)


def run_drills(
    manifest: Manifest,
    paths: Sequence[str] | None,
    settings: DrillSettings,
    *,
    allow_emulator: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[DrillReport]:
    """Drill each named path in turn, or every path of the manifest in priority order."""
    names = list(paths) if paths else [entry.name for entry in manifest.ordered()]
    for name in names:  # every name and tier is checked before the first drill starts
        _tier_for(first_in_order(manifest, name).ordered()[0], settings.tier)
    reports = []
    for name in names:
        if progress is not None:
            progress(f"drilling {name} ({settings.mode})...")
        reports.append(run_drill(manifest, name, settings, allow_emulator=allow_emulator))
    return reports


# --- reporting ----------------------------------------------------------------------------


def to_json(stack: str, settings: DrillSettings, reports: Sequence[DrillReport]) -> dict[str, Any]:
    """The machine-readable report of a drill run."""
    return {
        "stack": stack,
        "passed": all(report.passed for report in reports),
        "settings": settings.to_json(),
        "drills": [report.to_json() for report in reports],
    }


def format_report(stack: str, settings: DrillSettings, reports: Sequence[DrillReport]) -> str:
    """The readable report of a drill run."""
    lines = [
        f"failover drill of stack {stack!r}: fault {settings.mode}, {settings.requests} "
        f"requests, bound {settings.bound:g} s, breaker threshold {settings.threshold}, "
        f"cooldown {settings.cooldown:g} s"
    ]
    for report in reports:
        lines.append("")
        lines.append(f"path {report.path} ({report.kind}), tier {report.tier}")
        broken = {name: outcome for name, outcome in report.warm_up.items() if outcome != "ok"}
        if broken:
            for name, outcome in broken.items():
                lines.append(f"  warm-up: {name} failed: {outcome}")
        lines.append(
            f"  requests: {report.sent} sent, {report.answered} answered, {report.lost} lost"
        )
        if report.served_by:
            served = ", ".join(f"{name} {count}" for name, count in report.served_by.items())
            lines.append(f"  served by: {served}")
        if report.failover_seconds is not None:
            lines.append(
                f"  failover: {report.failover_path} answered {report.failover_seconds:.3f} s "
                f"after the fault started"
            )
        for transition in report.transitions:
            lines.append(
                f"  breaker {transition['path']}: {transition['from']} -> {transition['to']} "
                f"at +{transition['atSeconds']:.3f} s ({transition['wallTime']}): "
                f"{transition['reason']}"
            )
        if report.recovered and report.recovery_seconds is not None:
            lines.append(
                f"  recovery: {report.path} served again {report.recovery_seconds:.3f} s after "
                "the fault cleared"
            )
        lost = [record for record in report.records if record.error]
        for record in lost[:3]:
            lines.append(f"  lost at +{record.started:.3f} s: {record.error}")
        if len(lost) > 3:
            lines.append(f"  ... and {len(lost) - 3} more lost")
        verdict = "PASS" if report.passed else "FAIL: " + "; ".join(report.problems)
        lines.append(f"  verdict: {verdict}")
    passed = sum(1 for report in reports if report.passed)
    lines.append("")
    lines.append(
        f"drill {'PASSED' if passed == len(reports) else 'FAILED'}: {passed} of {len(reports)} "
        f"path{'s' if len(reports) != 1 else ''} failed over and recovered"
    )
    return "\n".join(lines)
