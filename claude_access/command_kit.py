"""What every ``claude-access`` command shares: exit codes, usage errors, manifest options.

Exit codes are the same for every subcommand: 0 when the job is done and clean, 1 when
the job ran and found a problem (a failed check, a violated policy, a lost request), 2
when the input was wrong (a bad flag, an invalid stack config, an unreadable file). A
user mistake is one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

__all__ = ["FOUND_PROBLEMS", "USAGE_ERROR", "fail", "manifest_source"]

USAGE_ERROR = 2
FOUND_PROBLEMS = 1

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    """End the command with one line on stderr and the exit code."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def manifest_source(command: F) -> F:
    """Add ``--stack ENV`` and ``--manifest FILE`` (as ``stack`` and ``manifest_file``)."""
    command = click.option(
        "--manifest",
        "manifest_file",
        metavar="FILE",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Read the manifest from this JSON file instead.",
    )(command)
    command = click.option(
        "--stack",
        metavar="ENV",
        help="Read the manifest from this stack's claudePaths output (needs the pulumi CLI).",
    )(command)
    return command
