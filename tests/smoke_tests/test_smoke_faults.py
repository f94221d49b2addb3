"""Each fault on each path kind gives the right category and hint, in results and JSON."""

from __future__ import annotations

import pytest

from routing.errors import Category, hint
from routing.manifest import Manifest, load_manifest
from smoke_tests import report, runner
from smoke_tests.emulator import PATH_KINDS, Emulator, Fault

EVERY_CHECK = frozenset({"message", "stream", "count-tokens"})

CASES = [
    (Fault(error_status=401), EVERY_CHECK, Category.AUTHENTICATION),
    (Fault(error_status=403), EVERY_CHECK, Category.PERMISSION),
    (Fault(error_status=404), EVERY_CHECK, Category.NOT_FOUND),
    (Fault(error_status=429), EVERY_CHECK, Category.RATE_LIMITED),
    (Fault(error_status=500), EVERY_CHECK, Category.SERVER_ERROR),
    (Fault(error_status=529), EVERY_CHECK, Category.OVERLOADED),
    (Fault(refuse=True), EVERY_CHECK, Category.REFUSED),
    (Fault(blackhole=True), EVERY_CHECK, Category.TIMEOUT),
    (Fault(cut_after_events=3), frozenset({"stream"}), Category.STREAM_BROKEN),
    (Fault(malformed=True), EVERY_CHECK, Category.MALFORMED),
]


pytestmark = pytest.mark.usefixtures("no_faults")


@pytest.fixture(scope="module")
def manifest(emulator: Emulator) -> Manifest:
    return load_manifest(emulator.manifest())


@pytest.mark.parametrize(
    ("fault", "broken", "category"),
    CASES,
    ids=[f"{category}-{index}" for index, (_, _, category) in enumerate(CASES)],
)
def test_a_fault_on_every_path_kind_is_reported_with_its_category_and_hint(
    emulator: Emulator,
    manifest: Manifest,
    fault: Fault,
    broken: frozenset[str],
    category: Category,
) -> None:
    for spec in emulator.paths:
        emulator.set_fault(spec.name, fault)
    cases = runner.prepare(manifest, tiers=["haiku"], offline=True)

    run = runner.run(manifest, cases, timeout=0.5, deadline=10.0, allow_emulator=True)
    records = report.to_json(run)["results"]

    assert {result.kind for result in run.results} == set(PATH_KINDS)
    assert not run.passed
    for result, record in zip(run.results, records, strict=True):
        if result.kind == "bedrock" and result.check == "count-tokens":
            assert result.result == "skipped"
            continue
        if result.check not in broken:
            assert result.result == "ok", result
            continue
        assert result.result == "failed", result
        assert result.category == str(category), result
        assert result.hint == hint(result.kind, category)
        assert result.detail
        if fault.error_status is not None:
            assert result.status == fault.error_status
            assert result.detail.startswith(f"HTTP {fault.error_status}")
        assert record["result"] == "failed"
        assert record["category"] == str(category)
        assert record["hint"] == result.hint
        assert record["detail"] == result.detail


def test_failures_keep_the_platforms_request_id(emulator: Emulator, manifest: Manifest) -> None:
    for name in ("bedrock-us-east-1", "anthropic", "vertex-us-east5"):
        emulator.set_fault(name, Fault(error_status=500))
    cases = runner.prepare(
        manifest, paths=["bedrock-us-east-1", "anthropic", "vertex-us-east5"], offline=True
    )

    run = runner.run(manifest, cases, timeout=2.0, deadline=10.0, allow_emulator=True)

    failures = run.failures
    assert failures and all(result.request_id for result in failures)
    assert any((result.request_id or "").startswith("req_vrtx_") for result in failures)
