"""The failover drill and its command: verdicts, report shapes, exit codes, no secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from routing.drill import DrillSettings, run_drill
from routing.drill_command import drill
from routing.faults import FaultMode
from routing.manifest import Manifest
from smoke_tests.emulator import Emulator, all_test_credentials

QUICK = ["--requests", "4", "--cooldown", "0.2", "--recover-within", "5"]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(drill, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("mode", ["refuse", "status:529"])
def test_a_drill_of_one_path_passes_when_traffic_fails_over_and_returns(
    manifest: Manifest, names: list[str], mode: str
) -> None:
    settings = DrillSettings(mode=FaultMode.parse(mode), requests=5, cooldown=0.2)
    report = run_drill(manifest, names[2], settings, allow_emulator=True)
    assert report.passed, report.problems
    assert report.sent >= 6 and report.lost == 0
    during = [record.path for record in report.records if record.phase == "fault"]
    assert during == [names[0]] * 5, "the next path in order takes the traffic"
    assert report.records[-1].path == names[2], "the drilled path serves again at the end"
    assert report.failover_path == names[0]
    assert report.failover_seconds is not None and report.failover_seconds < 5
    assert report.recovered and report.recovery_seconds is not None
    assert [(t["path"], t["to"]) for t in report.transitions] == [
        (names[2], "open"),
        (names[2], "half-open"),
        (names[2], "closed"),
    ]


def test_a_blackhole_drill_fails_over_after_one_attempt_timeout(
    manifest: Manifest, names: list[str]
) -> None:
    settings = DrillSettings(
        mode=FaultMode("blackhole"), requests=3, cooldown=0.2, attempt_timeout=0.3, threshold=1
    )
    report = run_drill(manifest, names[1], settings, allow_emulator=True)
    assert report.passed, report.problems
    assert report.failover_seconds is not None and 0.3 <= report.failover_seconds < 5


def test_failover_slower_than_the_bound_fails_the_drill(
    manifest: Manifest, names: list[str]
) -> None:
    settings = DrillSettings(
        mode=FaultMode("blackhole"), requests=2, cooldown=0.2, attempt_timeout=0.4, bound=0.1
    )
    report = run_drill(manifest, names[1], settings, allow_emulator=True)
    assert not report.passed
    assert any("over the bound" in problem for problem in report.problems)


def test_the_command_drills_every_path_in_turn_and_exits_0(emu: Emulator, tmp_path: Path) -> None:
    file = tmp_path / "paths.json"
    emu.write_manifest(file)
    code, output = invoke("--manifest", str(file), "--offline", *QUICK)
    assert code == 0, output
    for spec in emu.paths:
        assert f"path {spec.name} ({spec.kind})" in output
    assert "drill PASSED: 5 of 5" in output


def test_a_lost_request_fails_the_drill_with_exit_1(tmp_path: Path) -> None:
    with Emulator(["anthropic"]) as single:
        file = tmp_path / "single.json"
        single.write_manifest(file)
        code, output = invoke("--manifest", str(file), "--offline", *QUICK, "--json")
    assert code == 1
    report = json.loads(output)
    assert report["passed"] is False
    (only,) = report["drills"]
    assert only["requests"]["lost"] >= 4
    assert only["failover"]["seconds"] is None
    assert any("got no answer" in problem for problem in only["problems"])


def test_the_json_report_has_the_documented_shape(emu: Emulator, tmp_path: Path) -> None:
    file = tmp_path / "paths.json"
    emu.write_manifest(file)
    name = emu.paths[3].name
    code, output = invoke(
        "--manifest",
        str(file),
        "--offline",
        "--fail",
        name,
        "--mode",
        "status:529",
        *QUICK,
        "--json",
    )
    assert code == 0, output
    report = json.loads(output)
    assert set(report) == {"stack", "passed", "settings", "drills"}
    assert report["settings"]["mode"] == "status:529"
    (one,) = report["drills"]
    assert set(one) >= {
        "path",
        "kind",
        "mode",
        "passed",
        "problems",
        "requests",
        "servedBy",
        "failover",
        "recovery",
        "transitions",
        "records",
    }
    assert one["path"] == name and one["passed"] is True
    assert one["requests"]["sent"] == one["requests"]["answered"] + one["requests"]["lost"]
    assert sum(one["servedBy"].values()) == one["requests"]["answered"]
    assert one["recovery"]["recovered"] is True
    assert {"path", "from", "to", "atSeconds", "wallTime", "reason"} <= set(one["transitions"][0])


def test_no_credential_appears_in_the_drill_output(emu: Emulator, tmp_path: Path) -> None:
    file = tmp_path / "paths.json"
    emu.write_manifest(file)
    outputs = [
        invoke("--manifest", str(file), "--offline", "--fail", emu.paths[0].name, *QUICK)[1],
        invoke("--manifest", str(file), "--offline", "--fail", emu.paths[4].name, *QUICK, "--json")[
            1
        ],
    ]
    for output in outputs:
        for secret in all_test_credentials():
            assert secret not in output


def test_stack_without_the_pulumi_cli_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    code, output = invoke("--stack", "dev")
    assert code == 2
    assert "pulumi CLI" in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--stack ENV or --manifest FILE"),
        (["--offline", "--mode", "drop"], "--mode"),
        (["--offline", "--fail", "nowhere"], "nowhere"),
        (["--offline", "--tier", "sonet"], "'sonet'"),
        (["--stack", "dev", "--manifest", "x.json"], "not both"),
        (["--manifest", "/nonexistent/paths.json"], "cannot be read"),
    ],
)
def test_usage_errors_exit_2_in_one_sentence(args: list[str], message: str) -> None:
    code, output = invoke(*args)
    assert code == 2
    assert message in output and "Traceback" not in output


def test_an_emulator_manifest_needs_offline(emu: Emulator, tmp_path: Path) -> None:
    file = tmp_path / "paths.json"
    emu.write_manifest(file)
    code, output = invoke("--manifest", str(file))
    assert code == 2 and "--offline" in output
