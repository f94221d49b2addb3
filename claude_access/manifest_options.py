"""The ``--stack`` / ``--manifest`` options of the commands that call Claude."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = ["manifest_source"]

F = TypeVar("F", bound=Callable[..., Any])


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
