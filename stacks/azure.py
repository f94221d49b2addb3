"""The Azure side of the program: the foundry path."""

from __future__ import annotations

from components.config import StackConfig
from stacks.deployment import Deployment

__all__ = ["deploy"]


def deploy(config: StackConfig) -> Deployment:
    """Compose the azure components the config asks for."""
    return Deployment()
