"""``claude-access demo``: the offline main job, through the smoke checks and the drill."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from claude_access.cli import cli
from routing.manifest import EmulatorAuth, load_manifest
from smoke_tests.emulator import PATH_KINDS, all_test_credentials


def test_demo_plans_checks_policies_smoke_tests_and_drills(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--stack", "dev", "--out", str(tmp_path)])

    assert result.exit_code == 0, result.stdout + result.stderr
    out = result.stdout
    headings = [line for line in out.splitlines() if line.startswith("== ")]
    assert [heading.split(":")[0] for heading in headings] == [
        "== 1. plan",
        "== 2. policy check",
        "== 3. smoke tests",
        "== 4. failover drill",
    ]

    manifest_file = tmp_path / "dev.emulator-paths.json"
    manifest = load_manifest(manifest_file)
    assert sorted(entry.kind for entry in manifest.paths) == sorted(PATH_KINDS)
    assert all(isinstance(entry.auth, EmulatorAuth) for entry in manifest.paths)
    assert "smoke passed for stack 'dev': 5 paths, 42 ok, 0 failed, 3 skipped" in out

    junit = ET.parse(tmp_path / "dev.smoke.xml").getroot()
    assert (junit.get("tests"), junit.get("failures")) == ("45", "0")

    next_steps = out[out.index("files written:") :]
    for expected in (
        str(tmp_path / "dev.plan.json"),
        str(manifest_file),
        str(tmp_path / "dev.smoke.xml"),
        "`claude-access smoke --stack dev`",
        "`claude-access emulate",
        str(tmp_path / "dev.drill.json"),
        "`claude-access drill --stack dev`",
    ):
        assert expected in next_steps
    for credential in all_test_credentials():
        assert credential not in out + result.stderr
    assert json.loads(manifest_file.read_text())["stack"] == "dev"

    drill = json.loads((tmp_path / "dev.drill.json").read_text())
    assert drill["passed"] is True
    (report,) = drill["drills"]
    assert report["path"] == manifest.ordered()[0].name
    assert report["requests"]["lost"] == 0
    assert report["recovery"]["recovered"] is True
    assert "drill PASSED" in out
