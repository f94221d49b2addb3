"""The smoke checks on healthy paths of every kind, through the real SDK clients."""

from __future__ import annotations

from typing import Any

import pytest

from routing.manifest import Manifest, load_manifest
from smoke_tests import runner
from smoke_tests.checks import PROMPT, Case, failed
from smoke_tests.emulator import PATH_KINDS, Emulator, Fault
from smoke_tests.runner import SelectionError, SmokeRun

pytestmark = pytest.mark.usefixtures("no_faults")


@pytest.fixture(scope="module")
def manifest(emulator: Emulator) -> Manifest:
    return load_manifest(emulator.manifest())


def path_of(manifest: Manifest, kind: str) -> str:
    return next(entry.name for entry in manifest.ordered() if entry.kind == kind)


def smoke(manifest: Manifest, **selection: Any) -> SmokeRun:
    cases = runner.prepare(manifest, offline=True, **selection)
    return runner.run(manifest, cases, timeout=5.0, deadline=30.0, allow_emulator=True)


@pytest.mark.parametrize("kind", PATH_KINDS)
def test_every_check_passes_on_a_healthy_path_of_each_kind(manifest: Manifest, kind: str) -> None:
    name = path_of(manifest, kind)
    models = next(entry.models for entry in manifest.paths if entry.name == name)

    run = smoke(manifest, paths=[name])

    assert run.passed
    assert [(r.tier, r.check) for r in run.results] == [
        (tier, check)
        for tier in ("haiku", "sonnet", "opus")
        for check in ("message", "stream", "count-tokens")
    ]
    prompt_tokens = len(PROMPT.split())
    for result in run.results:
        assert result.path == name and result.kind == kind
        assert result.model == models[result.tier]
        if result.check == "count-tokens" and kind == "bedrock":
            assert result.result == "skipped"
            assert result.detail == "not supported on bedrock"
            continue
        assert result.result == "ok", result
        assert result.latency_ms is not None and result.latency_ms > 0
        assert result.request_id
        assert result.input_tokens == prompt_tokens
        if result.check == "count-tokens":
            assert result.output_tokens is None
        else:
            assert result.output_tokens is not None and 0 < result.output_tokens <= 16
        if result.check == "stream":
            assert result.ttft_ms is not None and 0 < result.ttft_ms <= result.latency_ms
        else:
            assert result.ttft_ms is None


@pytest.mark.parametrize("kind", ["anthropic", "bedrock", "vertex"])
def test_time_to_first_token_includes_the_wait_before_the_first_delta(
    emulator: Emulator, manifest: Manifest, kind: str
) -> None:
    name = path_of(manifest, kind)
    emulator.set_fault(name, Fault(latency_ms=300))

    run = smoke(manifest, paths=[name], tiers=["haiku"])

    stream = next(result for result in run.results if result.check == "stream")
    assert stream.result == "ok"
    assert stream.ttft_ms is not None and stream.latency_ms is not None
    assert 300 <= stream.ttft_ms <= stream.latency_ms


def test_a_tier_missing_on_one_path_is_skipped_there_and_checked_elsewhere(
    emulator: Emulator,
) -> None:
    document = emulator.manifest()
    del document["paths"][2]["models"]["opus"]
    manifest = load_manifest(document)
    lacking = document["paths"][2]["name"]

    run = smoke(manifest, tiers=["opus"])

    assert run.passed
    for result in run.results:
        if result.path == lacking:
            assert result.result == "skipped"
            assert result.detail == "no opus model on this path"
        elif not (result.kind == "bedrock" and result.check == "count-tokens"):
            assert result.result == "ok"


def test_the_selection_keeps_manifest_priority_order(manifest: Manifest) -> None:
    last, first = manifest.ordered()[-1].name, manifest.ordered()[0].name

    cases = runner.prepare(manifest, paths=[last, first], tiers=["sonnet"], offline=True)

    assert [case.path for case in cases] == [first] * 3 + [last] * 3
    assert {case.tier for case in cases} == {"sonnet"}


def test_an_unknown_path_or_tier_is_a_selection_error_naming_what_exists(
    manifest: Manifest,
) -> None:
    with pytest.raises(SelectionError, match=r"path 'nowhere' is not in the manifest.*foundry"):
        runner.prepare(manifest, paths=["nowhere"], offline=True)
    with pytest.raises(SelectionError, match=r"tier 'mythos' .* haiku, sonnet, opus"):
        runner.prepare(manifest, tiers=["mythos"], offline=True)


def test_emulator_credentials_need_the_offline_option(manifest: Manifest) -> None:
    with pytest.raises(SelectionError, match=r"pass --offline to run against the local emulator"):
        runner.prepare(manifest, paths=["anthropic"])


def test_credentials_that_cannot_be_had_fail_that_path_only(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    document = emulator.manifest()
    bedrock = document["paths"][0]
    bedrock["auth"] = {"type": "aws-iam-role", "roleArn": "arn:aws:iam::111122223333:role/invoker"}
    foundry = document["paths"][4]
    foundry["baseUrl"] = "https://emulator-foundry.services.ai.azure.com/anthropic"
    manifest = load_manifest(document)

    run = smoke(manifest, tiers=["haiku"])

    by_path = {result.path: result for result in run.results if result.check == "message"}
    assert by_path[bedrock["name"]].category == "credentials"
    assert "no AWS credentials to assume" in (by_path[bedrock["name"]].detail or "")
    assert "invoker role's trusted principals" in (by_path[bedrock["name"]].hint or "")
    assert by_path["foundry"].category == "credentials"
    assert "not on loopback" in (by_path["foundry"].detail or "")
    assert {by_path[name].result for name in ("anthropic", "vertex-us-east5")} == {"ok"}


def test_a_credential_provider_failing_inside_the_call_is_a_credentials_failure() -> None:
    from azure.core.exceptions import ClientAuthenticationError
    from google.auth.exceptions import RefreshError

    foundry = Case("foundry", "foundry", "haiku", "message", "claude-haiku-4-5")
    vertex = Case("vertex-us-east5", "vertex", "haiku", "message", "claude-haiku-4-5@20251001")

    azure = failed(foundry, ClientAuthenticationError("DefaultAzureCredential failed"), 12.0)
    google = failed(vertex, RefreshError("Unable to acquire impersonated credentials"), 12.0)

    assert (azure.result, azure.category) == ("failed", "credentials")
    assert "az login" in (azure.hint or "")
    assert (google.result, google.category) == ("failed", "credentials")
    assert "gcloud auth application-default login" in (google.hint or "")
