"""Every rule of the claude-access-guard pack, grouped by concern.

``RULES`` is the one list both the CrossGuard adapter and the offline checker read, so
the pack and ``claude-access policy-check`` always evaluate the same functions. Importing
this package never touches the Pulumi engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from . import audit, cost, governance, identity, network
from .base import Rule

__all__ = ["RULES", "RULES_BY_NAME", "Rule"]

RULES: tuple[Rule, ...] = (
    *network.RULES,
    *identity.RULES,
    *audit.RULES,
    *cost.RULES,
    *governance.RULES,
)
"""The pack's rules in the order they are registered and reported."""


def _by_name(rules: tuple[Rule, ...]) -> Mapping[str, Rule]:
    found: dict[str, Rule] = {}
    for rule in rules:
        if rule.name in found:
            raise ValueError(f"Rule name {rule.name!r} is used twice; rule names must be unique")
        found[rule.name] = rule
    return MappingProxyType(found)


RULES_BY_NAME: Mapping[str, Rule] = _by_name(RULES)
