"""``claude-access drill``: force a failover on purpose and show that traffic moves and returns.

This module imports only click at import time; everything else is imported when the
command runs, so that the rest of the command line stays quick to start.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from claude_access.command_kit import FOUND_PROBLEMS, fail, manifest_source

__all__ = ["drill", "quiet_routing_logs"]


def quiet_routing_logs() -> None:
    """Keep the router's own warnings (breaker transitions) out of a drill's output.

    The drill's report lists every transition with its time already; ``-v`` shows the
    log lines as well.
    """
    if logging.getLogger().getEffectiveLevel() > logging.INFO:
        logging.getLogger("claude_access.routing").setLevel(logging.ERROR)


@click.command()
@manifest_source
@click.option(
    "--offline",
    is_flag=True,
    help="Allow the emulator's test credentials (a manifest from `claude-access emulate`); "
    "with neither --stack nor --manifest, drill an in-process emulator of every path kind.",
)
@click.option(
    "--fail",
    "fail_paths",
    metavar="PATH",
    multiple=True,
    help="The path to break (repeatable; default: every path in turn).",
)
@click.option(
    "--mode",
    default="refuse",
    show_default=True,
    metavar="refuse|blackhole|status:NNN",
    help="How the path fails: connections refused, no answer at all, or an error status.",
)
@click.option(
    "--requests",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Requests sent while the path is failing.",
)
@click.option(
    "--bound",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds within which another path must answer once the fault starts.",
)
@click.option(
    "--cooldown",
    type=click.FloatRange(min=0, min_open=True),
    default=2.0,
    show_default=True,
    help="Seconds the broken path's circuit breaker stays open before a probe.",
)
@click.option(
    "--threshold",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Consecutive failures that open a circuit breaker.",
)
@click.option(
    "--attempt-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=5.0,
    show_default=True,
    help="Seconds each attempt waits for a first byte (what a blackhole costs).",
)
@click.option(
    "--recover-within",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds after the fault clears for the path to serve again.",
)
@click.option("--tier", metavar="TIER", help="The tier to request (default: haiku).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def drill(
    stack: str | None,
    manifest_file: Path | None,
    offline: bool,
    fail_paths: tuple[str, ...],
    mode: str,
    requests: int,
    bound: float,
    cooldown: float,
    threshold: int,
    attempt_timeout: float,
    recover_within: float,
    tier: str | None,
    as_json: bool,
) -> None:
    """Break a path on the client side and prove that requests fail over, then come back.

    For each drilled path: warm up every path, inject the fault (the same way against
    real endpoints as against the emulator), send a burst of requests through the
    router, clear the fault, then send until the path serves again. Reports requests
    sent, answered and lost, which path served them, time to failover, breaker
    transitions and recovery. Exits 0 when no request was lost, failover came within
    --bound and every path recovered; 1 otherwise; 2 when the input cannot be used.
    """
    from routing.drill import DrillInputError, DrillSettings, format_report, run_drills, to_json
    from routing.faults import FaultMode
    from routing.manifest import ManifestError, manifest_from, refuse_emulated

    # 1. Validate the input: one manifest source, a fault mode, the settings.
    if stack is not None and manifest_file is not None:
        fail("pass one of --stack ENV and --manifest FILE, not both")
    if stack is None and manifest_file is None and not offline:
        fail("pass --stack ENV or --manifest FILE, or --offline to drill the emulator")
    try:
        settings = DrillSettings(
            mode=FaultMode.parse(mode),
            requests=requests,
            bound=bound,
            cooldown=cooldown,
            threshold=threshold,
            attempt_timeout=attempt_timeout,
            recover_within=recover_within,
            tier=tier,
        )
    except (ValueError, DrillInputError) as error:
        fail(str(error).replace("a fault mode", "--mode"))

    quiet_routing_logs()

    # 2. Find the manifest, starting the emulator when it is the target.
    emulator = None
    try:
        try:
            if stack is None and manifest_file is None:
                emulator, manifest = _emulated()
            else:
                manifest = manifest_from(stack, manifest_file)
                refuse_emulated(manifest, allowed=offline)
        except (ManifestError, DrillInputError) as error:
            fail(str(error))

        # 3. Drill, then report.
        progress = None if as_json else (lambda line: click.echo(line, err=True))
        try:
            reports = run_drills(
                manifest,
                list(fail_paths) or None,
                settings,
                allow_emulator=offline,
                progress=progress,
            )
        except DrillInputError as error:
            fail(str(error))
    finally:
        if emulator is not None:
            emulator.stop()

    if as_json:
        click.echo(json.dumps(to_json(manifest.stack, settings, reports), indent=2))
    else:
        click.echo(format_report(manifest.stack, settings, reports))
    if not all(report.passed for report in reports):
        sys.exit(FOUND_PROBLEMS)


def _emulated() -> tuple[Any, Any]:
    from routing.manifest import load_manifest
    from smoke_tests.emulator import Emulator

    emulator = Emulator().start()
    return emulator, load_manifest(emulator.manifest(stack="emulator"))
