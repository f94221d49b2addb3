"""``claude-access smoke``: output formats, exit codes, and nothing secret in any output."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from subprocess import PIPE
from typing import Any

import pytest
from click.testing import CliRunner

from claude_access.cli import cli
from smoke_tests.emulator import Emulator, Fault, all_test_credentials

CLI = Path(sys.executable).parent / "claude-access"


pytestmark = pytest.mark.usefixtures("no_faults")


@pytest.fixture(scope="module")
def manifest_file(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("command") / "paths.json"
    emulator.write_manifest(target)
    return target


def smoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["smoke", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


# --- output ---------------------------------------------------------------------------


def test_a_healthy_run_prints_the_table_and_a_passing_summary_and_exits_0(
    manifest_file: Path,
) -> None:
    code, out, err = smoke("--manifest", str(manifest_file), "--offline", "--tier", "haiku")

    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == [
        "path",
        "tier",
        "check",
        "result",
        "latency",
        "ms",
        "TTFT",
        "ms",
        "tokens",
        "request",
        "id",
    ]
    rows = [line.split() for line in lines[1:16]]
    assert [row[0] for row in rows[:3]] == ["bedrock-us-east-1"] * 3
    assert rows[2][3:7] == ["skipped", "(not", "supported", "on"]
    stream = next(row for row in rows if row[0] == "anthropic" and row[2] == "stream")
    assert stream[3] == "ok" and stream[5].isdigit() and stream[6] == "6/12"
    assert stream[7].startswith("req_")
    assert lines[-1].startswith("smoke passed for stack 'dev': 5 paths, 14 ok, 0 failed, 1 skipped")
    assert "FAIL" not in out


def test_a_failing_path_gets_a_line_with_its_category_detail_and_hint_and_exits_1(
    emulator: Emulator, manifest_file: Path
) -> None:
    emulator.set_fault("vertex-us-east5", Fault(error_status=404))

    code, out, _ = smoke(
        "--manifest", str(manifest_file), "--offline", "--path", "vertex-us-east5", "--tier", "opus"
    )

    assert code == 1
    failures = [line for line in out.splitlines() if line.startswith("FAIL ")]
    assert len(failures) == 3
    assert failures[0].startswith("FAIL vertex-us-east5 opus message: model-not-found: HTTP 404")
    assert failures[0].endswith(
        "-- hint: enable the model in Model Garden for the project and "
        "check that it is offered in this location"
    )
    assert "FAIL model-not-found" in out
    assert out.splitlines()[-1].startswith("smoke FAILED for stack 'dev': 1 path, 0 ok, 3 failed")


def test_json_gives_result_records_and_a_summary(emulator: Emulator, manifest_file: Path) -> None:
    emulator.set_fault("foundry", Fault(error_status=429))

    code, out, _ = smoke("--manifest", str(manifest_file), "--offline", "--json")

    assert code == 1
    document = json.loads(out)
    summary = document["summary"]
    assert (summary["total"], summary["ok"], summary["failed"], summary["skipped"]) == (
        45,
        33,
        9,
        3,
    )
    assert summary["passed"] is False and summary["paths"] == 5
    foundry = [record for record in document["results"] if record["path"] == "foundry"]
    assert {record["category"] for record in foundry} == {"rate-limited"}
    assert {record["status"] for record in foundry} == {429}
    assert all("raise the deployment's capacity" in record["hint"] for record in foundry)
    ok = next(r for r in document["results"] if r["path"] == "anthropic" and r["check"] == "stream")
    assert ok["result"] == "ok" and ok["ttft_ms"] > 0 and ok["request_id"].startswith("req_")


def test_junit_has_a_suite_per_path_and_a_case_per_tier_and_check(
    emulator: Emulator, manifest_file: Path, tmp_path: Path
) -> None:
    emulator.set_fault("bedrock-us-east-1", Fault(refuse=True))
    report = tmp_path / "reports" / "smoke.xml"

    code, out, _ = smoke(
        "--manifest", str(manifest_file), "--offline", "--tier", "sonnet", "--junit", str(report)
    )

    assert code == 1
    assert f"JUnit report written to {report}" in out
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("15", "2", "1")
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert list(suites) == [
        "bedrock-us-east-1",
        "bedrock-mantle-us-east-1",
        "anthropic",
        "vertex-us-east5",
        "foundry",
    ]
    bedrock = suites["bedrock-us-east-1"]
    cases = {case.get("name"): case for case in bedrock.findall("testcase")}
    assert list(cases) == ["sonnet.message", "sonnet.stream", "sonnet.count-tokens"]
    failure = cases["sonnet.message"].find("failure")
    assert failure is not None
    assert failure.get("type") == "network-refused"
    assert failure.get("message") == "network-refused: the connection was refused"
    assert "hint: check the bedrock-runtime VPC endpoint" in (failure.text or "")
    skipped = cases["sonnet.count-tokens"].find("skipped")
    assert skipped is not None and skipped.get("message") == "not supported on bedrock"
    healthy = suites["anthropic"]
    assert healthy.get("failures") == "0" and healthy.find("testcase/failure") is None


# --- exit code 2: the input cannot be used -------------------------------------------------


def test_a_missing_manifest_file_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = smoke("--manifest", str(tmp_path / "absent.json"))

    assert code == 2 and out == ""
    assert err.startswith("error: ") and "absent.json cannot be read" in err
    assert "Traceback" not in err


def test_a_manifest_that_breaks_the_schema_is_a_usage_error(
    emulator: Emulator, tmp_path: Path
) -> None:
    document = emulator.manifest()
    document["paths"][1]["kind"] = "openai"
    target = tmp_path / "bad.json"
    target.write_text(json.dumps(document))

    code, _, err = smoke("--manifest", str(target), "--offline")

    assert code == 2
    assert "paths.1.kind" in err and "Traceback" not in err


def test_a_manifest_without_paths_is_a_usage_error(emulator: Emulator, tmp_path: Path) -> None:
    target = tmp_path / "empty.json"
    target.write_text(json.dumps({**emulator.manifest(stack="qa"), "paths": []}))

    code, _, err = smoke("--manifest", str(target))

    assert code == 2 and "the manifest of stack 'qa' lists no paths to check" in err


def test_a_file_that_is_not_json_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "paths.json"
    target.write_text("{not json")

    code, _, err = smoke("--manifest", str(target))

    assert code == 2 and "is not JSON" in err


def test_emulator_credentials_without_offline_are_a_usage_error(manifest_file: Path) -> None:
    code, out, err = smoke("--manifest", str(manifest_file))

    assert code == 2 and out == ""
    assert "carry the emulator's test credentials, so pass --offline" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "pass exactly one of --stack ENV and --manifest FILE"),
        (("--stack", "dev", "--manifest", "x.json"), "pass exactly one of --stack ENV"),
        (("--path", "nowhere"), "path 'nowhere' is not in the manifest"),
        (("--tier", "mythos"), "tier 'mythos' is not offered by any selected path"),
        (("--timeout", "0"), "Invalid value for '--timeout'"),
        (("--deadline", "-1"), "Invalid value for '--deadline'"),
    ],
)
def test_bad_options_are_usage_errors(
    manifest_file: Path, args: tuple[str, ...], expected: str
) -> None:
    needs_manifest = args and args[0] in ("--path", "--tier", "--timeout", "--deadline")
    source = ("--manifest", str(manifest_file), "--offline") if needs_manifest else ()

    code, _, err = smoke(*source, *args)

    assert code == 2
    assert expected in err and "Traceback" not in err


def test_stack_without_the_pulumi_cli_is_a_usage_error_that_suggests_manifest(
    tmp_path: Path,
) -> None:
    code, out, err = smoke("--stack", "dev", env={"PATH": str(tmp_path)})

    assert code == 2 and out == ""
    assert "the pulumi CLI is not on PATH" in err
    assert "pass --manifest" in err
    assert len(err.strip().splitlines()) == 1


def fake_pulumi(directory: Path, body: str) -> Path:
    """A ``pulumi`` on PATH that answers only ``stack output --json claudePaths --stack dev``."""
    script = directory / "pulumi"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$*" != "stack output --json claudePaths --stack dev" ]; then\n'
        '  echo "error: unexpected arguments: $*" >&2; exit 3\n'
        "fi\n" + body
    )
    script.chmod(0o755)
    return directory


def test_stack_reads_the_manifest_with_the_pulumi_cli(manifest_file: Path, tmp_path: Path) -> None:
    bin_dir = fake_pulumi(tmp_path, f"/bin/cat {manifest_file}\n")

    code, out, err = smoke(
        "--stack", "dev", "--offline", "--path", "anthropic", env={"PATH": str(bin_dir)}
    )

    assert code == 0, err
    assert "smoke passed for stack 'dev': 1 path" in out


def test_a_failing_pulumi_cli_is_a_usage_error_with_its_first_line(tmp_path: Path) -> None:
    bin_dir = fake_pulumi(
        tmp_path, "echo \"error: no stack named 'dev' found\" >&2\necho detail >&2\nexit 255\n"
    )

    code, _, err = smoke("--stack", "dev", env={"PATH": str(bin_dir)})

    assert code == 2
    assert "`pulumi stack output` for stack 'dev' failed (error: no stack named 'dev' found)" in err
    assert "detail" not in err


# --- nothing secret in any output ----------------------------------------------------------


def assert_no_credentials(*texts: str) -> None:
    for credential in all_test_credentials():
        for text in texts:
            assert credential not in text


@pytest.fixture
def failing_auth(emulator: Emulator) -> None:
    """Failures whose details come from the platforms, next to paths that pass."""
    emulator.set_fault("anthropic", Fault(error_status=401))
    emulator.set_fault("foundry", Fault(malformed=True))


@pytest.mark.usefixtures("failing_auth")
def test_no_credential_reaches_the_table_json_junit_or_logs_of_the_command(
    manifest_file: Path, tmp_path: Path
) -> None:
    report = tmp_path / "smoke.xml"
    # ANTHROPIC_LOG=debug would make the SDK log request headers; the command must not let it.
    env = {**os.environ, "ANTHROPIC_LOG": "debug"}
    base = [str(CLI), "-v", "smoke", "--manifest", str(manifest_file), "--offline"]

    # Both commands run at once: each spends most of its time importing the SDK.
    table, as_json = (
        subprocess.Popen(command, stdout=PIPE, stderr=PIPE, text=True, env=env)
        for command in ([*base, "--junit", str(report)], [*base, "--json"])
    )
    table_out, table_err = table.communicate(timeout=60)
    json_out, json_err = as_json.communicate(timeout=60)

    assert table.returncode == 1 and as_json.returncode == 1
    assert "INFO httpx2: HTTP Request: POST" in table_err  # the log was on, at INFO
    assert "FAIL authentication" in table_out
    assert json.loads(json_out)["summary"]["failed"] == 18
    assert_no_credentials(table_out, table_err, json_out, json_err, report.read_text())


@pytest.mark.usefixtures("failing_auth")
def test_no_credential_reaches_log_records_in_process(
    manifest_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    result: Any = CliRunner().invoke(
        cli, ["-v", "smoke", "--manifest", str(manifest_file), "--offline", "--json"]
    )

    assert result.exit_code == 1
    assert any(record.name == "httpx2" for record in caplog.records)
    messages = [record.getMessage() for record in caplog.records]
    assert_no_credentials(result.stdout, result.stderr, caplog.text, *messages)
