"""Every deadline holds: per call, per path's credentials, and for the whole run.

Timings on a shared machine are noisy, so bounds are generous and parallelism is judged
by a ratio measured within the same test, never by a tight absolute figure.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import smoke_tests.runner
from claude_access.cli import cli
from routing.clients import ClientFactory
from routing.manifest import Manifest, load_manifest
from smoke_tests import runner
from smoke_tests.emulator import Emulator, Fault
from smoke_tests.runner import SmokeRun

HEALTHY = ("bedrock-mantle-us-east-1", "vertex-us-east5", "foundry")


pytestmark = pytest.mark.usefixtures("no_faults")


@pytest.fixture(scope="module")
def manifest_file(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("deadlines") / "paths.json"
    emulator.write_manifest(target)
    return target


@pytest.fixture(scope="module")
def manifest(emulator: Emulator) -> Manifest:
    return load_manifest(emulator.manifest())


def smoke_json(*args: str) -> tuple[int, dict[str, Any], float]:
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["smoke", *args, "--offline", "--json"])
    elapsed = time.monotonic() - started
    return result.exit_code, json.loads(result.stdout), elapsed


def timed_run(manifest: Manifest, paths: list[str]) -> SmokeRun:
    cases = runner.prepare(manifest, paths=paths, offline=True)
    return runner.run(manifest, cases, timeout=10.0, deadline=30.0, allow_emulator=True)


def test_a_blackholed_path_fails_as_timeout_within_its_call_timeout(
    emulator: Emulator, manifest_file: Path
) -> None:
    emulator.set_fault("anthropic", Fault(blackhole=True))

    code, document, elapsed = smoke_json(
        "--manifest", str(manifest_file), "--path", "anthropic", "--timeout", "0.5"
    )

    assert code == 1
    assert elapsed < 0.5 + 1.5
    results = document["results"]
    assert len(results) == 9
    assert {result["category"] for result in results} == {"timeout"}
    assert all(result["latency_ms"] < 1500 for result in results)


def test_a_call_that_outlives_the_sdk_timeout_is_still_cut_at_the_runners(
    emulator: Emulator, manifest: Manifest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def hang(client: Any, case: Any) -> Any:
        time.sleep(5)
        raise AssertionError("the runner waited for a hung call")

    monkeypatch.setattr(smoke_tests.runner, "run_check", hang)
    cases = runner.prepare(manifest, paths=["anthropic"], tiers=["haiku"], offline=True)

    started = time.monotonic()
    run = runner.run(manifest, cases, timeout=0.3, deadline=10.0, allow_emulator=True)
    elapsed = time.monotonic() - started

    assert elapsed < 0.3 + 1.5
    assert [result.category for result in run.results] == ["timeout"] * 3
    assert all(result.detail == "no answer within the 0.3 s timeout" for result in run.results)


def test_credentials_that_never_come_fail_the_path_at_its_call_timeout(
    manifest: Manifest, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = ClientFactory.client

    def stalled(self: ClientFactory, entry: Any) -> Any:
        if entry.name == "vertex-us-east5":
            time.sleep(5)
        return original(self, entry)

    monkeypatch.setattr(ClientFactory, "client", stalled)
    cases = runner.prepare(
        manifest, paths=["vertex-us-east5", "foundry"], tiers=["haiku"], offline=True
    )

    started = time.monotonic()
    run = runner.run(manifest, cases, timeout=0.4, deadline=10.0, allow_emulator=True)
    elapsed = time.monotonic() - started

    assert elapsed < 0.4 + 1.5
    vertex = [result for result in run.results if result.path == "vertex-us-east5"]
    assert {result.category for result in vertex} == {"timeout"}
    assert all("credentials were not ready" in (result.detail or "") for result in vertex)
    assert {result.result for result in run.results if result.path == "foundry"} == {"ok"}


def test_the_run_deadline_stops_the_run_and_fails_what_is_unfinished(
    emulator: Emulator, manifest_file: Path
) -> None:
    emulator.set_fault("anthropic", Fault(blackhole=True))
    paths = ["anthropic", *HEALTHY]

    code, document, elapsed = smoke_json(
        "--manifest",
        str(manifest_file),
        *(arg for name in paths for arg in ("--path", name)),
        "--timeout",
        "5",
        "--deadline",
        "1",
    )

    assert code == 1
    assert 0.9 <= document["summary"]["elapsed_s"] < 2.0
    assert elapsed < 1 + 2.0
    for result in document["results"]:
        if result["path"] == "anthropic":
            assert result["category"] == "timeout"
            assert result["detail"] == "the run's 1 s deadline passed before this check finished"
        else:
            assert result["result"] == "ok", result


def test_paths_run_in_parallel(emulator: Emulator, manifest: Manifest) -> None:
    four = ["anthropic", *HEALTHY]
    for name in four:
        emulator.set_fault(name, Fault(latency_ms=400))
    timed_run(manifest, four)  # builds nothing that lasts, but warms imports and code paths

    one = min(timed_run(manifest, ["anthropic"]).elapsed_s for _ in range(2))
    all_four = min(timed_run(manifest, four).elapsed_s for _ in range(2))

    print(f"one path: {one:.3f} s, four paths: {all_four:.3f} s, ratio {all_four / one:.2f}")
    assert one >= 0.4
    assert all_four < 2.5 * one
