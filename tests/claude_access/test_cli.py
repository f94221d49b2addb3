"""The command line: output, exit codes, and clear errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from claude_access.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_plan_prints_a_tree_grouped_by_component_with_counts(tmp_path: Path) -> None:
    target = tmp_path / "out" / "dev.json"

    code, out, _ = run("plan", "--stack", "dev", "--json", str(target))

    assert code == 0
    assert "claude-access:aws:BedrockPrivateAccess  private-us-east-1  (3 resources)" in out
    assert "    + aws:ec2/vpcEndpoint:VpcEndpoint  private-us-east-1-bedrock-runtime" in out
    assert "aws:cloudwatch/metricAlarm:MetricAlarm" in out
    assert "plan for stack 'dev': 31 resources, 1 provider, 7 components, 3 paths" in out
    assert json.loads(target.read_text())["stack"] == "dev"


def test_plan_reports_every_bad_value_and_exits_2(tmp_path: Path) -> None:
    source = Path("stacks/Pulumi.dev.yaml").read_text()
    bad = source.replace('accountId: "111122223333"', 'accountId: "42"').replace(
        "costCenter: cc-4821", "costCenter: 'cc#4821'"
    )
    (tmp_path / "Pulumi.dev.yaml").write_text(bad)

    code, out, err = run("plan", "--stack", "dev", "--stacks-dir", str(tmp_path))

    assert code == 2
    assert out == ""
    assert "claude-access:aws.accountId is '42', but it must be a 12-digit AWS account id." in err
    assert "claude-access:costCenter is 'cc#4821'" in err
    assert "Traceback" not in err


def test_plan_of_an_unknown_stack_says_which_file_is_missing() -> None:
    code, _, err = run("plan", "--stack", "qa")

    assert code == 2
    assert "Pulumi.qa.yaml does not exist" in err


def test_plan_of_broken_yaml_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text("config: [unclosed\n")

    code, _, err = run("plan", "--stack", "dev", "--stacks-dir", str(tmp_path))

    assert code == 2
    assert "is not valid YAML" in err


def test_schema_prints_each_contract() -> None:
    for which, title in (
        ("config", "claude-access stack config"),
        ("manifest", "claudePaths manifest, version 1"),
        ("plan", "claude-access plan document, version 1"),
    ):
        code, out, _ = run("schema", which)
        assert code == 0
        assert json.loads(out)["title"] == title


def test_an_unknown_schema_is_a_usage_error() -> None:
    code, _, err = run("schema", "stack")

    assert code == 2
    assert "'stack' is not one of 'config', 'manifest', 'plan'" in err


def plan_file(tmp_path: Path, stack: str) -> Path:
    target = tmp_path / f"{stack}.json"
    assert run("plan", "--stack", stack, "--quiet", "--json", str(target))[0] == 0
    return target


def test_the_shipped_stacks_pass_every_mandatory_policy(tmp_path: Path) -> None:
    for stack in ("dev", "staging", "prod"):
        code, out, _ = run("policy-check", str(plan_file(tmp_path, stack)), "--json")

        assert code == 0, out
        assert all(v["enforcement"] == "advisory" for v in json.loads(out))


def test_policy_check_fails_a_plan_that_breaks_a_mandatory_rule(tmp_path: Path) -> None:
    target = plan_file(tmp_path, "prod")
    document = json.loads(target.read_text())
    for resource in document["resources"]:
        if resource["type"] == "aws:ec2/vpcEndpoint:VpcEndpoint":
            resource["props"]["privateDnsEnabled"] = False
    target.write_text(json.dumps(document))

    code, out, _ = run("policy-check", str(target))

    assert code == 1
    assert "[mandatory] bedrock-endpoint-private" in out
    assert "private-us-east-1-bedrock-runtime" in out


def test_policy_check_of_an_unreadable_plan_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text("{not json")

    code, _, err = run("policy-check", str(tmp_path / "plan.json"))

    assert code == 2
    assert "is not JSON" in err and "Traceback" not in err


def test_demo_plans_and_checks_the_dev_stack(tmp_path: Path) -> None:
    code, out, _ = run("demo", "--stack", "dev", "--out", str(tmp_path))

    assert code == 0
    assert "== 1. plan" in out and "== 2. policy check" in out
    assert "0 mandatory" in out
    assert (tmp_path / "dev.plan.json").exists()
