"""Running the checks on every path at once, each call and the whole run under a deadline.

Why threads and not asyncio with the SDK's async clients: the slow or hanging parts of a
smoke run are not all HTTP. Getting a path's credentials means STS ``AssumeRole`` through
boto3, a google-auth token refresh, or ``DefaultAzureCredential`` probing for a managed
identity, and all of those block. On one event loop a single stalled credential probe
would stall every path and every deadline with it. Here each path's client is built on a
thread of its own, each check runs on a thread of its own, and the runner only waits on a
queue with its own clock. A thread that overruns its deadline is abandoned, not joined:
the threads are daemon threads, so neither the report nor the process exit waits for them,
and the per-call timeout that the SDK client was also given ends them soon after.

Steps of :func:`run`:

1. Cases that cannot run (a check the path's kind does not offer, a tier the path lacks)
   are settled at once as skipped.
2. Every path's client is built in parallel, each under the per-call timeout. A path
   whose credentials cannot be had fails all its checks with category ``credentials``.
3. As soon as a path's client is ready, all of its checks start in parallel, each under
   the per-call timeout.
4. When the run's deadline passes, every case not settled yet fails with category
   ``timeout``, and :func:`run` returns at once.
"""

from __future__ import annotations

import importlib
import logging
import queue
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from routing.errors import Category, Failure
from smoke_tests.checks import (
    CHECKS,
    Case,
    CheckResult,
    failed,
    passed,
    run_check,
    skipped,
    supports,
)

if TYPE_CHECKING:
    from routing.manifest import Manifest, PathEntry

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_TIMEOUT",
    "SelectionError",
    "SmokeRun",
    "load_sdk",
    "prepare",
    "quiet_debug_logging",
    "run",
    "select_cases",
    "select_paths",
]

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT: Final = 30.0
"""Seconds one call may take, the whole of a streamed answer included."""

DEFAULT_DEADLINE: Final = 120.0
"""Seconds the whole run may take."""

GRACE_SECONDS: Final = 0.25
"""How long past a call's timeout the runner waits before it gives up on the call itself.

The SDK client is given the same timeout and normally ends the call first, with a more
precise error; this margin only matters when the client cannot (a stalled credential
provider, a stream that trickles in under its read timeout).
"""

KNOWN_TIERS: Final = ("haiku", "sonnet", "opus")
"""The catalog's tiers, in the order reports list them; any other tier follows by name."""

_LOUD_LOGGERS: Final = ("anthropic", "httpx2", "httpx", "httpcore", "botocore", "urllib3")
"""Loggers that print request headers, credentials included, at DEBUG level."""


class SelectionError(ValueError):
    """The manifest cannot be run as asked: no paths, an unknown path or tier, or emulator
    credentials that were not allowed. The message says which, in one sentence."""


@dataclass(frozen=True)
class SmokeRun:
    """Every result of one run, in manifest priority order, then tier, then check."""

    stack: str
    results: tuple[CheckResult, ...]
    elapsed_s: float
    timeout_s: float
    deadline_s: float

    @property
    def failures(self) -> list[CheckResult]:
        return [result for result in self.results if result.result == "failed"]

    @property
    def passed(self) -> bool:
        """Whether nothing failed; skipped checks do not count against a run."""
        return not self.failures

    def count(self, outcome: str) -> int:
        return sum(1 for result in self.results if result.result == outcome)

    @property
    def paths(self) -> list[str]:
        return list(dict.fromkeys(result.path for result in self.results))

    def result_of(self, case: Case) -> CheckResult:
        """The result of ``case``; :class:`KeyError` when the run did not include it."""
        for result in self.results:
            if (result.path, result.tier, result.check) == case.key:
                return result
        raise KeyError(case.key)


def _tier_order(tier: str) -> tuple[int, str]:
    return (KNOWN_TIERS.index(tier), "") if tier in KNOWN_TIERS else (len(KNOWN_TIERS), tier)


def select_paths(manifest: Manifest, names: Iterable[str] = ()) -> list[PathEntry]:
    """The manifest's paths in priority order, only those named when any are.

    :raises SelectionError: when a name is not a path of the manifest.
    """
    ordered = manifest.ordered()
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return ordered
    known = [entry.name for entry in ordered]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise SelectionError(
            f"path {unknown[0]!r} is not in the manifest of stack {manifest.stack!r}; "
            f"its paths are {', '.join(known)}"
        )
    return [entry for entry in ordered if entry.name in wanted]


def select_cases(
    manifest: Manifest, *, paths: Iterable[str] = (), tiers: Iterable[str] = ()
) -> list[Case]:
    """Every check of every selected path and tier, in report order.

    With no tiers given, every tier that any selected path has is checked; a path without
    one of them gets skipped checks for it rather than failed ones.

    :raises SelectionError: for a path or tier that is not in the manifest.
    """
    entries = select_paths(manifest, paths)
    offered = {tier for entry in entries for tier in entry.models}
    wanted = list(dict.fromkeys(tiers))
    unknown = [tier for tier in wanted if tier not in offered]
    if unknown:
        raise SelectionError(
            f"tier {unknown[0]!r} is not offered by any selected path; the tiers are "
            f"{', '.join(sorted(offered, key=_tier_order))}"
        )
    chosen = wanted or sorted(offered, key=_tier_order)
    return [
        Case(
            path=entry.name,
            kind=entry.kind,
            tier=tier,
            check=check,
            model=entry.models.get(tier),
        )
        for entry in entries
        for tier in chosen
        for check in CHECKS
    ]


def prepare(
    manifest: Manifest,
    *,
    paths: Iterable[str] = (),
    tiers: Iterable[str] = (),
    offline: bool = False,
    offline_option: str = "--offline",
) -> list[Case]:
    """The cases to run, once the selection and the credentials are known to be usable.

    :param offline: whether the caller allowed the emulator's test credentials.
    :param offline_option: how the caller's user allows them, for the error message.
    :raises SelectionError: for a manifest without paths, an unknown path or tier, or
        emulator credentials that were not allowed.
    """
    paths = list(paths)
    if not manifest.paths:
        raise SelectionError(f"the manifest of stack {manifest.stack!r} lists no paths to check")
    cases = select_cases(manifest, paths=paths, tiers=tiers)
    from routing.manifest import ManifestError, refuse_emulated

    try:
        refuse_emulated(manifest, allowed=offline, names=paths, option=offline_option)
    except ManifestError as error:
        raise SelectionError(str(error).rstrip(".")) from None
    return cases


def quiet_debug_logging() -> None:
    """Raise the SDK's and its transports' loggers to INFO if something set them to DEBUG.

    ``ANTHROPIC_LOG=debug`` or a debug root logger would make the SDK print request
    headers, and with them API keys and tokens.
    """
    for name in _LOUD_LOGGERS:
        target = logging.getLogger(name)
        if target.getEffectiveLevel() < logging.INFO:
            logger.warning(
                "DEBUG logging of %r is turned off for the smoke run: it prints credentials",
                name,
            )
            target.setLevel(logging.INFO)
    # azure-identity logs every failed credential probe, on every call, as a long WARNING;
    # the report's credentials failure says the same in one line, so it speaks only with -v.
    azure = logging.getLogger("azure.identity")
    if azure.getEffectiveLevel() > logging.INFO:
        azure.setLevel(logging.ERROR)


def load_sdk(kinds: Iterable[str]) -> None:
    """Import the SDK and the signing libraries of ``kinds`` before any clock starts.

    Importing ``anthropic`` alone takes about a second on a cold machine, and threads that
    import in parallel wait on each other; counted against a call's timeout, that would
    fail healthy paths. A library that is missing is left for the path's check to report.
    """
    modules = ["anthropic"]
    if {"bedrock", "bedrock-mantle"} & set(kinds):
        modules += ["boto3", "botocore.auth", "botocore.awsrequest"]
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            logger.warning("%s cannot be imported; the paths that need it will fail", name)


_Key = tuple[str, ...]
"""A check's ``(path, tier, check)``, or ``(BUILD, path)`` for building a path's client."""

BUILD: Final = "build"


class _Run:
    """The state of one run; only the thread that calls :meth:`execute` touches it."""

    def __init__(
        self,
        entries: Sequence[PathEntry],
        cases: Sequence[Case],
        *,
        timeout: float,
        deadline: float,
        allow_emulator: bool,
    ) -> None:
        from routing.clients import ClientFactory

        self._entries = {entry.name: entry for entry in entries}
        self._cases = list(cases)
        self._timeout = timeout
        self._deadline = deadline
        self._factory = ClientFactory(timeout=timeout, max_retries=0, allow_emulator=allow_emulator)
        self._events: queue.SimpleQueue[tuple[str, _Key, Any]] = queue.SimpleQueue()
        self._results: dict[_Key, CheckResult] = {}
        self._waiting: dict[_Key, float] = {}
        """What the runner waits for (a path's client or a check), and until when."""
        self._started: dict[_Key, float] = {}

    def execute(self) -> None:
        start = time.monotonic()
        run_ends = start + self._deadline

        # 1. Settle what cannot run.
        runnable: dict[str, list[Case]] = {}
        for case in self._cases:
            if case.model is None:
                self._results[case.key] = skipped(case, f"no {case.tier} model on this path")
            elif not supports(case.kind, case.check):
                self._results[case.key] = skipped(case, f"not supported on {case.kind}")
            else:
                runnable.setdefault(case.path, []).append(case)

        # 2. Build every path's client in parallel.
        for name in runnable:
            self._start((BUILD, name), self._build, self._entries[name])

        # 3. Start each path's checks when its client is ready; 4. stop at the deadline.
        try:
            while True:
                now = time.monotonic()
                self._expire(now, runnable)
                if len(self._results) == len(self._cases):
                    break
                if now >= run_ends:
                    self._settle_unfinished(runnable, self._run_deadline_failure())
                    break
                wait = min([run_ends, *self._waiting.values()]) - now
                try:
                    event, key, value = self._events.get(timeout=max(wait, 0.0))
                except queue.Empty:
                    continue
                if self._waiting.pop(key, None) is None:
                    # Too late: the runner has already reported this one as timed out.
                    continue
                self._receive(event, key, value, runnable)
        finally:
            self._factory.close()

    # --- the threads ------------------------------------------------------------------

    def _start(self, key: _Key, target: Any, *args: Any) -> None:
        now = time.monotonic()
        self._waiting[key] = now + self._timeout + GRACE_SECONDS
        self._started[key] = now
        thread = threading.Thread(
            target=target, args=args, name=f"smoke {' '.join(key)}", daemon=True
        )
        thread.start()

    def _build(self, entry: PathEntry) -> None:
        key = (BUILD, entry.name)
        try:
            client = self._factory.client(entry)
        except Exception as error:
            self._events.put(("build-failed", key, error))
        else:
            self._events.put(("built", key, client))

    def _check(self, client: Any, case: Case) -> None:
        started = time.perf_counter()
        try:
            result = passed(case, run_check(client, case))
        except Exception as error:
            result = failed(case, error, (time.perf_counter() - started) * 1000.0)
        self._events.put(("done", case.key, result))

    # --- what the runner does with what it hears --------------------------------------

    def _receive(self, event: str, key: _Key, value: Any, runnable: dict[str, list[Case]]) -> None:
        if event == "done":
            self._results[key] = value
            return
        path = key[1]
        if event == "built":
            logger.info("path %s: client ready", path)
            for case in runnable[path]:
                self._start(case.key, self._check, value, case)
            return
        logger.info("path %s: no client (%s)", path, type(value).__name__)
        elapsed = (time.monotonic() - self._started[key]) * 1000.0
        for case in runnable[path]:
            self._results[case.key] = failed(case, value, elapsed)

    def _expire(self, now: float, runnable: dict[str, list[Case]]) -> None:
        """Fail what has outrun its own deadline."""
        for key, ends in list(self._waiting.items()):
            if now < ends:
                continue
            del self._waiting[key]
            elapsed = (now - self._started[key]) * 1000.0
            if len(key) == 2:
                failure = Failure(
                    Category.TIMEOUT,
                    f"the path's credentials were not ready within the {self._timeout:g} s timeout",
                )
                for case in runnable[key[1]]:
                    self._results[case.key] = failed(case, failure, elapsed)
            else:
                case = next(case for case in runnable[key[0]] if case.key == key)
                failure = Failure(
                    Category.TIMEOUT, f"no answer within the {self._timeout:g} s timeout"
                )
                self._results[key] = failed(case, failure, elapsed)

    def _run_deadline_failure(self) -> Failure:
        return Failure(
            Category.TIMEOUT,
            f"the run's {self._deadline:g} s deadline passed before this check finished",
        )

    def _settle_unfinished(self, runnable: dict[str, list[Case]], failure: Failure) -> None:
        now = time.monotonic()
        for cases in runnable.values():
            for case in cases:
                if case.key in self._results:
                    continue
                started = self._started.get(case.key) or self._started.get((BUILD, case.path))
                elapsed = (now - started) * 1000.0 if started is not None else None
                self._results[case.key] = failed(case, failure, elapsed)
        self._waiting.clear()

    def results(self) -> tuple[CheckResult, ...]:
        return tuple(self._results[case.key] for case in self._cases)


def run(
    manifest: Manifest,
    cases: Sequence[Case],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float = DEFAULT_DEADLINE,
    allow_emulator: bool = False,
) -> SmokeRun:
    """Run ``cases`` against the manifest's paths, all in parallel, within ``deadline``.

    :param timeout: seconds each call may take; given to the SDK clients and enforced here.
    :param deadline: seconds the whole run may take; unfinished checks then fail as timeouts.
    :param allow_emulator: accept the emulator's test credentials (loopback URLs only).
    """
    if not timeout > 0:
        raise ValueError(f"Expected timeout to be a number of seconds above 0, got {timeout!r}")
    if not deadline > 0:
        raise ValueError(f"Expected deadline to be a number of seconds above 0, got {deadline!r}")

    names = {case.path for case in cases}
    entries = [entry for entry in manifest.ordered() if entry.name in names]
    load_sdk(entry.kind for entry in entries)
    quiet_debug_logging()
    logger.info(
        "smoke run of stack %s: %d paths, %d checks, %g s per call, %g s in all",
        manifest.stack,
        len(entries),
        len(cases),
        timeout,
        deadline,
    )
    started = time.monotonic()
    state = _Run(entries, cases, timeout=timeout, deadline=deadline, allow_emulator=allow_emulator)
    state.execute()
    elapsed = time.monotonic() - started
    logger.info("smoke run of stack %s finished in %.2f s", manifest.stack, elapsed)
    return SmokeRun(
        stack=manifest.stack,
        results=state.results(),
        elapsed_s=elapsed,
        timeout_s=timeout,
        deadline_s=deadline,
    )
