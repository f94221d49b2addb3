"""The program the Pulumi CLI runs for ``--policy-pack policies``: serves claude-access-guard.

This is the only module that constructs the ``PolicyPack``; doing so starts the policy
server and never returns, which is why the rules and the offline checker live elsewhere
and can be imported without it.

The CLI runs this file by path, with the pack directory on ``sys.path`` but not its
parent, so the directory is first made importable as a package under its own name: the
modules inside import each other relatively and need one.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from pulumi_policy import PolicyPack


def _package() -> str:
    """Import this directory as a package, once, and return the package's name."""
    here = Path(__file__).resolve().parent
    # A published pack is unpacked into a directory such as "pack-0.1.0", which is no
    # package name; a fixed one serves there.
    name = here.name if here.name.isidentifier() else "claude_access_guard"
    loaded = sys.modules.get(name)
    if loaded is not None and Path(getattr(loaded, "__file__", "") or "").resolve().parent == here:
        return name
    spec = importlib.util.spec_from_file_location(
        name, here / "__init__.py", submodule_search_locations=[str(here)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"Cannot load the policy pack in {here} as a package")
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return name


_pack = importlib.import_module(f"{_package()}.pack")

PolicyPack(
    name=_pack.PACK_NAME,
    description=_pack.PACK_DESCRIPTION,
    policies=_pack.build_policies(_pack.stack_environment()),
)
