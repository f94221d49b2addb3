"""The offline plan: the real program under mocks, written as a stable document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from claude_access import plan as planning
from claude_access import schemas
from routing.manifest import load_manifest
from tests.helpers import Plan, render, stack_config


def test_the_same_input_gives_byte_identical_json() -> None:
    first = planning.render_stack("prod").to_json()
    second = planning.render_stack("prod").to_json()

    assert first == second


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_the_plan_document_follows_its_schema(stack: str) -> None:
    document = json.loads(planning.render_stack(stack).to_json())

    jsonschema.validate(document, schemas.generate("plan"))
    jsonschema.validate(document["outputs"]["claudePaths"], schemas.generate("manifest"))


def test_resources_are_recorded_as_the_engine_sees_them(dev_plan: Plan) -> None:
    endpoint = dev_plan.one("aws:ec2/vpcEndpoint:VpcEndpoint", "runtime")
    by_urn = {r["urn"]: r for r in dev_plan.resources}

    assert endpoint["urn"] == (
        "urn:pulumi:dev::claude-access::claude-access:aws:BedrockPrivateAccess"
        "$aws:ec2/vpcEndpoint:VpcEndpoint::private-us-east-1-bedrock-runtime"
    )
    assert endpoint["custom"] is True
    assert endpoint["id"].startswith("vpce-")
    assert by_urn[endpoint["parent"]]["type"] == "claude-access:aws:BedrockPrivateAccess"
    assert by_urn[endpoint["provider"]]["props"]["region"] == "us-east-1"
    assert "privateDnsEnabled" in endpoint["props"]
    assert dev_plan.resources == sorted(dev_plan.resources, key=lambda r: r["urn"])


def test_components_are_typed_and_parent_their_children(prod_plan: Plan) -> None:
    components = {r["type"] for r in prod_plan.resources if not r["custom"]}
    by_urn = {r["urn"]: r for r in prod_plan.resources}
    cloud_of = {"aws": "aws", "gcp": "gcp", "azure-native": "azure"}

    assert {c for c in components if c.startswith("claude-access:aws:")} == {
        "claude-access:aws:KitKey",
        "claude-access:aws:BedrockPrivateAccess",
        "claude-access:aws:InvocationLogging",
        "claude-access:aws:BedrockAlarms",
        "claude-access:aws:BedrockBudget",
        "claude-access:aws:InvokerRole",
        "claude-access:aws:AnthropicApiKey",
    }
    assert {c for c in components if c.startswith("claude-access:azure:")} == {
        "claude-access:azure:FoundryAccount",
        "claude-access:azure:ClaudeDeployments",
        "claude-access:azure:FoundryPrivateAccess",
        "claude-access:azure:FoundryCallers",
        "claude-access:azure:FoundryDiagnostics",
        "claude-access:azure:FoundryAlerts",
        "claude-access:azure:FoundryBudget",
    }
    for resource in prod_plan.custom():
        if resource["type"].startswith("pulumi:providers:"):
            continue
        cloud = cloud_of[resource["type"].split(":", 1)[0]]
        parent = by_urn[resource["parent"]]["type"]
        assert parent.startswith(f"claude-access:{cloud}:"), resource["urn"]


def test_providers_pin_region_and_account(prod_plan: Plan) -> None:
    providers = prod_plan.of_type("pulumi:providers:aws")

    assert sorted(p["props"]["region"] for p in providers) == ["us-east-1", "us-west-2"]
    for provider in providers:
        assert json.loads(provider["props"]["allowedAccountIds"]) == ["333344445555"]


def test_secret_values_never_appear_in_the_document() -> None:
    values, secret_keys = stack_config("dev")
    values["claude-access:anthropicApiKey"] = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz"
    plan = planning.render(values, secret_keys, stack="dev")

    text = plan.to_json()
    assert "sk-ant-api03" not in text
    assert planning.SECRET_MARKER in text


def test_a_plaintext_api_key_is_refused() -> None:
    values, _ = stack_config("dev")

    with pytest.raises(planning.ConfigError) as caught:
        planning.render(values, [], stack="dev")

    (sentence,) = caught.value.problems
    assert "claude-access:anthropicApiKey is stored in plain text" in sentence
    assert "offline-placeholder" not in sentence


def test_a_missing_api_key_is_reported_when_the_direct_path_is_on() -> None:
    values, secret_keys = stack_config("dev", anthropicApiKey=None)

    with pytest.raises(planning.ConfigError) as caught:
        planning.render(values, secret_keys, stack="dev")

    assert "pulumi config set --secret claude-access:anthropicApiKey" in caught.value.problems[0]


def test_the_manifest_lists_every_path_in_priority_order(prod_plan: Plan) -> None:
    manifest = load_manifest(prod_plan.manifest)

    assert [(p.name, p.priority) for p in manifest.ordered()] == [
        ("bedrock-us-east-1", 1),
        ("bedrock-us-west-2", 2),
        ("bedrock-mantle-us-east-1", 3),
        ("bedrock-mantle-us-west-2", 4),
        ("anthropic", 5),
        ("vertex-us-east5", 6),
        ("vertex-europe-west1", 7),
        ("foundry-eastus2", 8),
    ]
    bedrock = manifest.ordered()[1]
    assert bedrock.base_url == "https://bedrock-runtime.us-west-2.amazonaws.com"
    assert (
        bedrock.private_dns_name and ".bedrock-runtime.us-west-2.vpce." in bedrock.private_dns_name
    )
    assert bedrock.auth.type == "aws-iam-role"
    assert bedrock.models["sonnet"] == "us.anthropic.claude-sonnet-4-6"
    assert manifest.prices["opus"].output_per_mtok == 25.0


def test_the_path_order_is_configurable() -> None:
    order = ["anthropic", "bedrock-mantle", "bedrock", "vertex", "foundry"]
    manifest = load_manifest(render("dev", pathOrder=order).manifest)

    assert [p.kind for p in manifest.ordered()] == ["anthropic", "bedrock-mantle", "bedrock"]


def test_the_manifest_holds_references_to_secrets_never_values(dev_plan: Plan) -> None:
    anthropic = next(p for p in dev_plan.manifest["paths"] if p["kind"] == "anthropic")

    assert anthropic["auth"]["secretArn"].startswith("arn:aws:secretsmanager:us-east-1:")
    assert set(anthropic["auth"]) == {"type", "secretArn", "region", "readerRoleArn"}


def test_the_versioned_schemas_match_the_models() -> None:
    for which, filename in schemas.FILES.items():
        stored = json.loads((schemas.SCHEMAS_DIR / filename).read_text())
        assert stored == schemas.generate(which), f"run `make schemas` to refresh {filename}"


def test_stacks_of_other_folders_can_be_planned(tmp_path: Path) -> None:
    source = Path(planning.STACKS_DIR / "Pulumi.dev.yaml").read_text()
    (tmp_path / "Pulumi.sandbox.yaml").write_text(
        source.replace("environment: dev", "environment: sandbox")
    )

    plan = planning.render_stack("sandbox", tmp_path)

    assert plan.document["environment"] == "sandbox"


def test_the_program_entry_point_registers_nothing_on_bad_config(tmp_path: Path) -> None:
    """Run stacks/__main__.py as `pulumi up` would, with a bad value in the config."""
    values, secrets = stack_config("dev", owner="nobody")
    script = (
        "import json, os, sys\n"
        "from pulumi.runtime import mocks, settings\n"
        "class M(mocks.Mocks):\n"
        "    def new_resource(self, args):\n"
        "        print('REGISTERED', args.typ); return args.name, args.inputs\n"
        "    def call(self, args): return {}\n"
        "mocks.set_mocks(M(), project='claude-access', stack='dev')\n"
        "import runpy\n"
        "try:\n"
        "    runpy.run_path('stacks', run_name='__main__')\n"
        "except Exception as error:\n"
        "    print(type(error).__name__, str(error))\n"
    )
    env = {
        "PULUMI_CONFIG": json.dumps(values),
        "PULUMI_CONFIG_SECRET_KEYS": json.dumps(secrets),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(planning.STACKS_DIR).parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert "REGISTERED" not in result.stdout
    assert result.stdout.startswith("RunError invalid stack config:")
    assert "claude-access:owner is 'nobody'" in result.stdout
