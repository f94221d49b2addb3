"""What each cloud's part of the program hands back to the program."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi

__all__ = ["Deployment"]


@dataclass
class Deployment:
    """Manifest entries (one per path, unnumbered) and extra stack outputs."""

    paths: list[pulumi.Output[dict[str, Any]]] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
