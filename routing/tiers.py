"""Choosing a tier for a request: an example chooser to start from.

A router calls its ``choose_tier`` hook with the request's parameters whenever
``create``, ``stream`` or ``estimate`` is called without a ``tier``. The hook returns
``"haiku"``, ``"sonnet"`` or ``"opus"`` (any tier the manifest prices). The parameters
it sees are exactly what will be sent, plus ``stakes`` when the caller gives one: a
routing signal the router takes out before sending.

:func:`choose_by_stakes` is an example, meant to be copied and tuned, not a policy:

==========================================  ==========
signal                                      tier
==========================================  ==========
``stakes="high"`` (or ``"critical"``)       ``opus``
``stakes="moderate"`` (or ``"medium"``)     ``sonnet``
``stakes="low"`` (or ``"simple"``)          ``haiku``
no stakes; tools, or a long prompt, or a    ``sonnet``
long answer asked for
no stakes; a short prompt and answer        ``haiku``
==========================================  ==========
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["LONG_ANSWER_TOKENS", "LONG_PROMPT_CHARACTERS", "choose_by_stakes"]

LONG_PROMPT_CHARACTERS: Final = 4000
"""A prompt longer than this (system and messages, text only) is not simple."""

LONG_ANSWER_TOKENS: Final = 1024
"""Asking for more than this many output tokens is not simple."""

_BY_STAKES: Final = {
    "high": "opus",
    "critical": "opus",
    "moderate": "sonnet",
    "medium": "sonnet",
    "low": "haiku",
    "simple": "haiku",
}


def choose_by_stakes(params: Mapping[str, Any]) -> str:
    """The tier for a request, by its stakes or else by how big it is (see the module)."""
    stakes = params.get("stakes")
    if stakes is not None:
        tier = _BY_STAKES.get(str(stakes).lower())
        if tier is None:
            raise ValueError(f"Expected stakes to be one of {sorted(_BY_STAKES)}, got {stakes!r}")
        return tier
    if params.get("tools") or params.get("max_tokens", 0) > LONG_ANSWER_TOKENS:
        return "sonnet"
    if _prompt_characters(params) > LONG_PROMPT_CHARACTERS:
        return "sonnet"
    return "haiku"


def _prompt_characters(params: Mapping[str, Any]) -> int:
    total = _text_length(params.get("system"))
    for message in params.get("messages") or ():
        if isinstance(message, Mapping):
            total += _text_length(message.get("content"))
    return total


def _text_length(content: Any) -> int:
    if isinstance(content, str):
        return len(content)
    if isinstance(content, list | tuple):
        return sum(len(block.get("text", "")) for block in content if isinstance(block, Mapping))
    return 0
