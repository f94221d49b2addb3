"""The example tier chooser: stakes first, then the size of the request."""

from __future__ import annotations

import pytest

from routing.tiers import LONG_ANSWER_TOKENS, LONG_PROMPT_CHARACTERS, choose_by_stakes


@pytest.mark.parametrize(
    ("stakes", "tier"),
    [("high", "opus"), ("critical", "opus"), ("moderate", "sonnet"), ("LOW", "haiku")],
)
def test_stakes_decide_the_tier(stakes: str, tier: str) -> None:
    assert choose_by_stakes({"stakes": stakes, "max_tokens": 10, "messages": []}) == tier


def test_unknown_stakes_are_refused() -> None:
    with pytest.raises(ValueError, match="stakes"):
        choose_by_stakes({"stakes": "extreme"})


def test_a_short_request_gets_haiku() -> None:
    assert choose_by_stakes(
        {"max_tokens": 100, "messages": [{"role": "user", "content": "hi"}]}
    ) == ("haiku")


def test_a_long_prompt_tools_or_a_long_answer_get_sonnet() -> None:
    long_text = "x" * (LONG_PROMPT_CHARACTERS + 1)
    blocks = [{"role": "user", "content": [{"type": "text", "text": long_text}]}]
    assert choose_by_stakes({"max_tokens": 10, "messages": blocks}) == "sonnet"
    assert choose_by_stakes({"max_tokens": 10, "system": long_text, "messages": []}) == "sonnet"
    assert choose_by_stakes({"max_tokens": LONG_ANSWER_TOKENS + 1, "messages": []}) == "sonnet"
    assert choose_by_stakes({"max_tokens": 10, "tools": [{"name": "t"}], "messages": []}) == (
        "sonnet"
    )
