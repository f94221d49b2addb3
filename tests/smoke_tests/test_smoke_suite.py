"""The smoke checks as a pytest suite, run the way CI runs it, against a live emulator."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from smoke_tests.emulator import Emulator, Fault

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(seed=53) as emu:
        yield emu


@pytest.fixture(scope="module")
def manifest_file(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("suite") / "paths.json"
    emulator.write_manifest(target)
    return target


def pytest_suite(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "smoke_tests/suite", "-p", "no:cacheprovider"]
    return subprocess.run([*command, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_suite_writes_a_junit_case_per_path_tier_and_check(
    emulator: Emulator, manifest_file: Path, tmp_path: Path
) -> None:
    emulator.set_fault("bedrock-mantle-us-east-1", Fault(error_status=529))
    report = tmp_path / "report.xml"
    try:
        answer = pytest_suite(
            "--claude-manifest", str(manifest_file), "--claude-offline", f"--junitxml={report}"
        )
    finally:
        emulator.clear_fault("bedrock-mantle-us-east-1")

    assert answer.returncode == 1, answer.stdout + answer.stderr
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("45", "9", "3")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    failure = cases["test_check[bedrock-mantle-us-east-1-opus-stream]"].find("failure")
    assert failure is not None
    assert failure.get("message", "").startswith("Failed: overloaded: HTTP 529")
    assert "hint: the service is overloaded; retry later or fail over" in failure.get("message", "")
    skipped = cases["test_check[bedrock-us-east-1-haiku-count-tokens]"].find("skipped")
    assert skipped is not None and skipped.get("message") == "not supported on bedrock"
    passed = cases["test_check[vertex-us-east5-sonnet-stream]"]
    assert list(passed) == []
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["claude_stack"] == "dev"


def test_emulator_credentials_without_the_offline_option_stop_pytest(
    manifest_file: Path,
) -> None:
    answer = pytest_suite("--claude-manifest", str(manifest_file))

    assert answer.returncode == pytest.ExitCode.USAGE_ERROR
    assert "pass --claude-offline to run against the local emulator" in answer.stderr


def test_without_a_manifest_the_suite_skips() -> None:
    answer = pytest_suite("-rs")

    assert answer.returncode == pytest.ExitCode.OK
    assert "1 skipped" in answer.stdout
    assert "no manifest given; pass --claude-manifest FILE" in answer.stdout


def test_the_repositorys_own_test_run_does_not_collect_the_suite() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]

    assert settings["ini_options"]["testpaths"] == ["tests"]
