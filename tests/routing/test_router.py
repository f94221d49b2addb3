"""The sync router against the emulator, through the real SDK clients: failover rules,
pin and exclude, tiers, deadlines, the all-paths-failed error and token estimates."""

from __future__ import annotations

import time
from collections.abc import Callable

import anthropic
import pytest

from routing import AllPathsFailed, DeadlineExceeded, Outcome, Router
from routing.manifest import Manifest, load_manifest
from smoke_tests.emulator import PATH_KINDS, Emulator, Fault
from tests.routing.conftest import MESSAGES

MakeRouter = Callable[..., Router]


def ask(router: Router, **options: object):  # type: ignore[no-untyped-def]
    return router.create(max_tokens=16, messages=MESSAGES, **options)  # type: ignore[arg-type]


def test_a_healthy_first_path_serves_with_its_own_model_id(
    make_router: MakeRouter, manifest: Manifest
) -> None:
    first = manifest.ordered()[0]
    result = ask(make_router(), tier="sonnet")
    assert result.path.name == first.name
    assert result.model == first.models["sonnet"]
    assert first.models["sonnet"] in result.message.content[0].text
    assert [(a.path, a.outcome) for a in result.attempts] == [(first.name, Outcome.OK)]


@pytest.mark.parametrize(
    ("fault", "category"),
    [
        (Fault(error_status=529), "overloaded"),
        (Fault(error_status=429), "rate-limited"),
        (Fault(error_status=500), "server-error"),
        (Fault(error_status=503), "overloaded"),
        (Fault(error_status=401), "authentication"),
        (Fault(error_status=403), "permission"),
        (Fault(error_status=404), "model-not-found"),
        (Fault(refuse=True), "network-refused"),
        (Fault(malformed=True), "malformed-response"),
    ],
)
def test_path_failures_move_to_the_next_path(
    emu: Emulator, make_router: MakeRouter, names: list[str], fault: Fault, category: str
) -> None:
    emu.set_fault(names[0], fault)
    result = ask(make_router(), tier="haiku")
    assert result.path.name == names[1]
    failed, served = result.attempts
    assert (failed.path, failed.outcome, failed.category) == (names[0], Outcome.FAILED, category)
    assert failed.status == fault.error_status
    assert served.outcome is Outcome.OK


@pytest.mark.parametrize("kind", PATH_KINDS)
def test_an_overloaded_path_of_every_kind_fails_over(
    emu: Emulator, make_router: MakeRouter, manifest: Manifest, kind: str
) -> None:
    name = next(entry.name for entry in manifest.ordered() if entry.kind == kind)
    emu.set_fault(name, Fault(error_status=529))
    result = ask(make_router(first=name), tier="haiku")
    assert result.path.name != name
    assert result.attempts[0].status == 529
    assert result.attempts[0].category == "overloaded"


def test_a_blackholed_path_costs_one_attempt_timeout_then_fails_over(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    emu.set_fault(names[0], Fault(blackhole=True))
    router = make_router(first_byte_timeout=0.3, deadline=20.0)
    started = time.perf_counter()
    result = ask(router, tier="haiku")
    elapsed = time.perf_counter() - started
    assert result.path.name == names[1]
    assert result.attempts[0].category == "timeout"
    assert 0.25 <= result.attempts[0].latency_ms / 1000 < 3.0
    assert elapsed < 5.0


@pytest.mark.parametrize(("status", "error"), [(400, anthropic.BadRequestError), (413, None)])
def test_caller_errors_are_raised_at_once_without_failover(
    emu: Emulator, make_router: MakeRouter, names: list[str], status: int, error: type | None
) -> None:
    emu.set_fault(names[0], Fault(error_status=status))
    before = emu.stats()[names[1]]["requests"]
    with pytest.raises(anthropic.APIStatusError) as raised:
        ask(make_router(), tier="haiku")
    assert raised.value.status_code == status
    if error is not None:
        assert isinstance(raised.value, error)
    assert emu.stats()[names[1]]["requests"] == before, "no other path may be tried"


def test_a_request_the_path_rejects_is_not_retried_elsewhere(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    before = {name: emu.stats()[name]["requests"] for name in names}
    with pytest.raises(anthropic.BadRequestError):
        make_router().create(tier="haiku", max_tokens=16, messages=[])
    after = {name: emu.stats()[name]["requests"] for name in names}
    assert after[names[0]] == before[names[0]] + 1
    assert all(after[name] == before[name] for name in names[1:])


def test_a_path_whose_credentials_cannot_be_used_fails_over(emu: Emulator) -> None:
    raw = emu.manifest()
    raw["paths"][0]["baseUrl"] = "http://10.255.255.1:9"  # emulator credentials off loopback
    with Router.from_manifest(raw, allow_emulator=True) as router:
        result = ask(router, tier="haiku")
    assert result.attempts[0].category == "credentials"
    assert result.path.name == raw["paths"][1]["name"]


def test_every_path_failing_raises_one_error_listing_every_attempt(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    for index, name in enumerate(names):
        emu.set_fault(name, Fault(error_status=(529, 500, 429, 403, 404)[index]))
    with pytest.raises(AllPathsFailed) as raised:
        ask(make_router(), tier="haiku")
    message = str(raised.value)
    assert len(raised.value.attempts) == len(names)
    for name, status in zip(names, (529, 500, 429, 403, 404), strict=True):
        line = next(line for line in message.splitlines() if f"- {name} " in line)
        assert f"HTTP {status}" in line
    for category in ("overloaded", "server-error", "rate-limited", "permission"):
        assert category in message
    for secret in ("emulator-test", "EMULATORTESTKEYID", "secret/access"):
        assert secret not in message


def test_pin_restricts_and_exclude_removes_paths(make_router: MakeRouter, names: list[str]) -> None:
    router = make_router()
    assert ask(router, tier="haiku", pin=[names[3]]).path.name == names[3]
    assert ask(router, tier="haiku", pin=names[2]).path.name == names[2]
    assert ask(router, tier="haiku", exclude=names[:2]).path.name == names[2]
    with pytest.raises(ValueError, match="nowhere"):
        ask(router, tier="haiku", pin=["nowhere"])
    with pytest.raises(ValueError, match="No path"):
        ask(router, tier="haiku", pin=[names[0]], exclude=[names[0]])


def test_a_pinned_path_that_fails_is_not_replaced(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    emu.set_fault(names[2], Fault(error_status=529))
    with pytest.raises(AllPathsFailed) as raised:
        ask(make_router(), tier="haiku", pin=[names[2]])
    assert [attempt.path for attempt in raised.value.attempts] == [names[2]]


def test_model_in_the_request_is_refused_with_a_clear_error(make_router: MakeRouter) -> None:
    with pytest.raises(ValueError, match="tier="):
        make_router().create(
            tier="haiku", model="claude-haiku-4-5", max_tokens=8, messages=MESSAGES
        )


def test_an_unknown_tier_is_refused(make_router: MakeRouter) -> None:
    with pytest.raises(ValueError, match="'sonet'"):
        ask(make_router(), tier="sonet")


def test_the_tier_chooser_picks_the_tier_when_none_is_given(make_router: MakeRouter) -> None:
    seen: list[dict[str, object]] = []

    def chooser(params: dict[str, object]) -> str:
        seen.append(dict(params))
        return "opus"

    result = ask(make_router(choose_tier=chooser), stakes="high")
    assert result.tier == "opus"
    assert "opus" in result.model
    assert seen[0]["stakes"] == "high"
    assert seen[0]["max_tokens"] == 16


def test_the_default_chooser_goes_by_stakes(make_router: MakeRouter) -> None:
    router = make_router()
    assert ask(router, stakes="high").tier == "opus"
    assert ask(router, stakes="low").tier == "haiku"
    assert ask(router).tier == "haiku"


def test_a_router_without_chooser_needs_a_tier(make_router: MakeRouter) -> None:
    with pytest.raises(ValueError, match="tier"):
        ask(make_router(choose_tier=None))


def test_the_overall_deadline_caps_the_attempts(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    for name in names:
        emu.set_fault(name, Fault(blackhole=True))
    router = make_router(first_byte_timeout=30.0, deadline=0.6)
    started = time.perf_counter()
    with pytest.raises(DeadlineExceeded) as raised:
        ask(router, tier="haiku")
    elapsed = time.perf_counter() - started
    assert 0.5 <= elapsed < 5.0, "the deadline, not the 30 s first-byte timeout, ends it"
    assert raised.value.attempts[0].category == "timeout"
    assert "deadline" in str(raised.value)


def test_estimate_counts_input_tokens_where_the_path_can(
    make_router: MakeRouter, manifest: Manifest, names: list[str]
) -> None:
    estimate = make_router().estimate(tier="sonnet", max_tokens=100, messages=MESSAGES)
    assert estimate.path == names[1], "Bedrock InvokeModel cannot count; the next path does"
    assert estimate.input_tokens == 5
    price = manifest.prices["sonnet"]
    assert estimate.input_cost_usd == pytest.approx(5 * price.input_per_mtok / 1e6)
    assert estimate.max_output_cost_usd == pytest.approx(100 * price.output_per_mtok / 1e6)


def test_estimate_with_only_bedrock_says_why_it_cannot(
    make_router: MakeRouter, names: list[str]
) -> None:
    with pytest.raises(AllPathsFailed, match="count tokens"):
        make_router().estimate(tier="haiku", pin=[names[0]], messages=MESSAGES)


def test_from_manifest_reads_a_file(tmp_path: object, emu: Emulator) -> None:
    from pathlib import Path

    file = Path(str(tmp_path)) / "paths.json"
    emu.write_manifest(file)
    with Router.from_manifest(file, allow_emulator=True) as router:
        assert ask(router, tier="haiku").path.name == load_manifest(file).ordered()[0].name
