"""The stack config's Azure section: the foundry path."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from components.config_base import Model

if TYPE_CHECKING:
    from components.config import StackConfig

__all__ = ["AzureConfig"]


class AzureConfig(Model):
    """The azure section of the stack config."""

    enabled: bool = Field(default=False, description="whether the azure path is deployed")

    def check_stack(self, stack: StackConfig) -> None:
        """Raise :class:`components.config_base.Problem` for problems across sections.

        Paths in the problem are relative to the whole stack config.
        """
