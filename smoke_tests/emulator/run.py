"""Running the emulator as a foreground process, for ``claude-access emulate``.

This is the one place in the package that writes to the terminal, through the ``echo``
callable it is given, so that the command-line layer decides how output looks.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from smoke_tests.emulator.faults import Fault
from smoke_tests.emulator.paths import (
    DEFAULT_FOUNDRY_REGION,
    DEFAULT_REGION,
    DEFAULT_VERTEX_LOCATION,
    PATH_KINDS,
    default_path,
)
from smoke_tests.emulator.server import Emulator

__all__ = ["run_forever"]

logger = logging.getLogger(__name__)

_POLL_SECONDS: Final = 0.5
"""How often the foreground wait wakes, so that Ctrl+C is noticed promptly everywhere."""


def run_forever(
    *,
    kinds: Sequence[str] | None = None,
    region: str = DEFAULT_REGION,
    vertex_location: str = DEFAULT_VERTEX_LOCATION,
    foundry_region: str = DEFAULT_FOUNDRY_REGION,
    host: str = "127.0.0.1",
    base_port: int = 0,
    admin_port: int | None = 0,
    manifest_path: str | os.PathLike[str] | None = None,
    stack: str = "dev",
    seed: int = 0,
    faults: Mapping[str, Fault] | None = None,
    echo: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Serve every path until interrupted (Ctrl+C) or until ``stop`` is set.

    :param kinds: the path kinds to serve, in priority order; ``None`` serves all five.
    :param region: the AWS region of the ``bedrock`` and ``bedrock-mantle`` paths.
    :param vertex_location: the location of the ``vertex`` path.
    :param foundry_region: the Azure region of the ``foundry`` path.
    :param host: the address to listen on; keep it on loopback.
    :param base_port: the first of consecutive ports, one per path in order; 0 picks free
        ports, which is what parallel test runs want.
    :param admin_port: the admin listener's port (0 for any free one), or ``None`` for no
        admin listener.
    :param manifest_path: where to write the paths manifest, if anywhere.
    :param stack: the stack name written into the manifest.
    :param seed: seeds the faults' random choices.
    :param faults: faults to set at start, by path name.
    :param echo: receives each line to show the user; the command line passes its own.
    :param stop: set it from another thread to return; ``None`` waits for Ctrl+C only.
    """
    if base_port and not 1 <= base_port <= 65535 - len(kinds or PATH_KINDS):
        raise ValueError(f"Expected base_port to leave room for every path, got {base_port!r}")

    # 1. Decide the paths and their ports.
    specs = [
        default_path(
            kind,
            region=region,
            vertex_location=vertex_location,
            foundry_region=foundry_region,
            port=base_port + index if base_port else 0,
        )
        for index, kind in enumerate(kinds or PATH_KINDS)
    ]
    emulator = Emulator(specs, seed=seed, host=host, faults=faults, admin_port=admin_port)

    # 2. Start, tell the user where everything is, and wait.
    stop = stop or threading.Event()
    with emulator:
        if manifest_path is not None:
            emulator.write_manifest(manifest_path, stack=stack)
        for spec in emulator.paths:
            echo(f"{spec.name:<28} {spec.kind:<15} {emulator.url(spec.name)}")
        if emulator.admin_url is not None:
            echo(f"{'admin':<28} {'':<15} {emulator.admin_url}")
        if manifest_path is not None:
            echo(f"manifest written to {os.fspath(manifest_path)}")
        echo("Serving until interrupted (Ctrl+C).")
        try:
            while not stop.wait(_POLL_SECONDS):
                pass
        except KeyboardInterrupt:
            logger.info("Interrupted; stopping the emulator")
