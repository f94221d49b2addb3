"""Ids and computed properties of gcp resources under the mock engine.

Each maker takes (name, inputs, account id, region) and returns (id, state), derived
deterministically from the name as in :mod:`claude_access.fakes`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["MAKERS"]

State = dict[str, Any]

MAKERS: dict[str, Callable[[str, State, str, str], tuple[str, State]]] = {}
