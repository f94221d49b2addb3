"""Accounting: one structured event per attempt, priced from the manifest, and no prompt
or completion text unless the router was asked to log content."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

from routing import Router
from routing.accounting import Attempt, Outcome, cost_usd, emit
from routing.manifest import Manifest, Price
from smoke_tests.emulator import Emulator, Fault
from tests.routing.conftest import MESSAGES

MakeRouter = Callable[..., Router]

FIELDS = {
    "event",
    "stack",
    "path",
    "kind",
    "region",
    "model",
    "tier",
    "outcome",
    "category",
    "status",
    "latencyMs",
    "inputTokens",
    "outputTokens",
    "costUsd",
    "requestId",
    "hedged",
    "stream",
}


def events(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [
        record.event
        for record in caplog.records
        if record.name == "claude_access.routing"
        and getattr(record, "event", {}).get("event") == "claude.attempt"
    ]


def test_every_attempt_is_one_event_with_tokens_cost_and_request_id(
    emu: Emulator,
    make_router: MakeRouter,
    manifest: Manifest,
    names: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="claude_access.routing")
    emu.set_fault(names[0], Fault(error_status=529))
    result = make_router().create(tier="sonnet", max_tokens=16, messages=MESSAGES)

    failed, served = events(caplog)
    assert failed.keys() >= FIELDS and served.keys() >= FIELDS
    assert (failed["path"], failed["outcome"], failed["category"], failed["status"]) == (
        names[0],
        "failed",
        "overloaded",
        529,
    )
    assert failed["requestId"], "the platform's request id of a failure is kept"
    usage = result.message.usage
    price = manifest.prices["sonnet"]
    assert served["path"] == names[1] and served["outcome"] == "ok"
    assert served["tier"] == "sonnet" and served["model"] == result.model
    assert (served["inputTokens"], served["outputTokens"]) == (5, usage.output_tokens)
    assert served["costUsd"] == pytest.approx(
        (5 * price.input_per_mtok + usage.output_tokens * price.output_per_mtok) / 1e6
    )
    assert served["requestId"] == result.attempts[-1].request_id and served["requestId"]
    assert served["stack"] == manifest.stack
    assert result.cost_usd == pytest.approx(served["costUsd"])


def test_the_log_message_is_the_event_as_json(
    make_router: MakeRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="claude_access.routing")
    make_router().create(tier="haiku", max_tokens=16, messages=MESSAGES)
    record = next(r for r in caplog.records if hasattr(r, "event"))
    assert json.loads(record.getMessage()) == record.event


def test_bedrock_request_ids_come_from_its_own_header(
    make_router: MakeRouter, names: list[str]
) -> None:
    result = make_router().create(tier="haiku", pin=names[0], max_tokens=16, messages=MESSAGES)
    assert result.path.kind == "bedrock"
    assert result.attempts[0].request_id, "x-amzn-RequestId is read for Bedrock"


def test_no_prompt_or_completion_is_logged_by_default(
    make_router: MakeRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="claude_access.routing")
    secret_prompt = "the launch code is swordfish"
    result = make_router().create(
        tier="haiku", max_tokens=16, messages=[{"role": "user", "content": secret_prompt}]
    )
    (event,) = events(caplog)
    assert "prompt" not in event and "completion" not in event
    assert "swordfish" not in caplog.text
    assert "swordfish" in result.message.content[0].text, "the emulator echoes the prompt"


def test_content_is_logged_when_the_router_is_asked_to(
    make_router: MakeRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="claude_access.routing")
    result = make_router(log_content=True).create(
        tier="haiku", system="be brief", max_tokens=16, messages=MESSAGES
    )
    (event,) = events(caplog)
    assert event["prompt"] == {"system": "be brief", "messages": MESSAGES}
    assert event["completion"] == result.message.content[0].text


def test_a_hook_receives_events_even_when_logging_is_off(make_router: MakeRouter) -> None:
    received: list[dict[str, Any]] = []
    logging.getLogger("claude_access.routing").setLevel(logging.WARNING)
    try:
        make_router(on_attempt=received.append).create(
            tier="haiku", max_tokens=16, messages=MESSAGES
        )
    finally:
        logging.getLogger("claude_access.routing").setLevel(logging.NOTSET)
    assert [event["outcome"] for event in received] == ["ok"]


def test_nothing_is_built_when_nobody_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    monkeypatch.setattr("routing.accounting.build_event", lambda *a, **k: built.append(a) or {})
    logging.getLogger("claude_access.routing").setLevel(logging.WARNING)
    try:
        attempt = Attempt("p", "anthropic", None, "m", "haiku", Outcome.OK, None, 200, 1.0)
        emit(attempt, stack="dev", content=lambda: {"prompt": "x"})
    finally:
        logging.getLogger("claude_access.routing").setLevel(logging.NOTSET)
    assert built == []


def test_cost_uses_the_tier_prices_per_million_tokens() -> None:
    price = Price(input_per_mtok=3.0, output_per_mtok=15.0)
    assert cost_usd(price, 1_000_000, 0) == pytest.approx(3.0)
    assert cost_usd(price, 1000, 2000) == pytest.approx(0.003 + 0.03)
    assert cost_usd(price, None, None) is None
    assert cost_usd(None, 10, 10) is None
