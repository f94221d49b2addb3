"""``python -m smoke_tests.emulator``: the emulator without the ``claude-access`` command."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence

from smoke_tests.emulator.paths import (
    DEFAULT_FOUNDRY_REGION,
    DEFAULT_REGION,
    DEFAULT_VERTEX_LOCATION,
    PATH_KINDS,
)
from smoke_tests.emulator.run import run_forever


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the emulator until interrupted; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m smoke_tests.emulator",
        description="Serve Claude's endpoints of every path kind on loopback.",
    )
    parser.add_argument(
        "--kind",
        action="append",
        choices=PATH_KINDS,
        dest="kinds",
        help="a path kind to serve; repeat for several (default: all)",
    )
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument("--vertex-location", default=DEFAULT_VERTEX_LOCATION)
    parser.add_argument("--foundry-region", default=DEFAULT_FOUNDRY_REGION)
    parser.add_argument("--base-port", type=int, default=0)
    parser.add_argument("--admin-port", type=int, default=0)
    parser.add_argument("--manifest", dest="manifest_path")
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    run_forever(
        kinds=args.kinds,
        region=args.region,
        vertex_location=args.vertex_location,
        foundry_region=args.foundry_region,
        base_port=args.base_port,
        admin_port=args.admin_port,
        manifest_path=args.manifest_path,
        stack=args.stack,
        seed=args.seed,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
