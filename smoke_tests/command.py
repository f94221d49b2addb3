"""``claude-access smoke``: call Claude on every path of a stack and say what is broken.

The command reads the paths manifest (from the stack with the Pulumi CLI, or from a
file), runs :mod:`smoke_tests.runner` over it and prints :mod:`smoke_tests.report`'s
table or JSON. Exit codes are those of every ``claude-access`` command: 0 when every
check passed (skips allowed), 1 when one failed, 2 when the input cannot be used.

Only ``click`` and light modules are imported at the top, so that ``claude-access
--help`` does not pay for the SDK, boto3 or pydantic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from claude_access.command_kit import FOUND_PROBLEMS, fail, manifest_source
from smoke_tests.runner import DEFAULT_DEADLINE, DEFAULT_TIMEOUT

__all__ = ["smoke"]


@click.command()
@manifest_source
@click.option(
    "--offline",
    is_flag=True,
    help="Allow the emulator's test credentials, for a manifest from `claude-access emulate`.",
)
@click.option(
    "--path",
    "paths",
    metavar="NAME",
    multiple=True,
    help="Check only this path (repeatable; default: every path).",
)
@click.option(
    "--tier",
    "tiers",
    metavar="TIER",
    multiple=True,
    help="Check only this tier (repeatable; default: every tier in the manifest).",
)
@click.option(
    "--timeout",
    metavar="SECONDS",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds each call may take.",
)
@click.option(
    "--deadline",
    metavar="SECONDS",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_DEADLINE,
    show_default=True,
    help="Seconds the whole run may take; unfinished checks then fail as timeouts.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option(
    "--junit",
    "junit_file",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the results as JUnit XML to this file.",
)
def smoke(
    stack: str | None,
    manifest_file: Path | None,
    offline: bool,
    paths: tuple[str, ...],
    tiers: tuple[str, ...],
    timeout: float,
    deadline: float,
    as_json: bool,
    junit_file: Path | None,
) -> None:
    """Call Claude on every path of a stack and report what is broken and why.

    Per path and tier: one small message, one streamed message (timed to its first
    token) and a token count where the path offers one, all paths in parallel. Exits 0
    when every check passed, 1 when one failed, 2 when the input cannot be used.
    """
    from smoke_tests import report, runner

    # 1. Validate the input: one manifest source, a usable selection, a writable report.
    if (stack is None) == (manifest_file is None):
        fail("pass exactly one of --stack ENV and --manifest FILE")
    if junit_file is not None:
        try:
            junit_file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            fail(f"the JUnit report cannot be written to {junit_file}: {error.strerror}")
    from routing.manifest import ManifestError, manifest_from

    try:
        manifest = manifest_from(stack, manifest_file)
    except ManifestError as error:
        fail(str(error))
    try:
        cases = runner.prepare(manifest, paths=paths, tiers=tiers, offline=offline)
    except runner.SelectionError as error:
        fail(str(error))

    # 2. Run every check.
    result = runner.run(manifest, cases, timeout=timeout, deadline=deadline, allow_emulator=offline)

    # 3. Report, then exit with the verdict.
    if as_json:
        click.echo(json.dumps(report.to_json(result), indent=2))
    else:
        click.echo(report.format_report(result))
    if junit_file is not None:
        try:
            report.write_junit(result, junit_file)
        except OSError as error:
            fail(f"the JUnit report cannot be written to {junit_file}: {error.strerror}")
        if not as_json:
            click.echo(f"JUnit report written to {junit_file}")
    if not result.passed:
        sys.exit(FOUND_PROBLEMS)
