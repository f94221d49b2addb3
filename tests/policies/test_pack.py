"""The CrossGuard side: what the pack registers, and the rules run through the engine's types."""

from __future__ import annotations

import runpy
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pulumi_policy
import pytest
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE, unknown_checking_proxy

from policies import offline, pack
from policies.rules import RULES, RULES_BY_NAME
from policies.rules.base import UNKNOWN
from tests.policies.plans import FOUNDRY_ID, SG_ID, compliant

POLICIES_DIR = Path(__file__).parents[2] / "policies"
FAKE_KEY = "sk-ant-api03-" + "z9Y8" * 20


class _CapturedPack:
    """Stands in for PolicyPack, whose constructor would serve the engine forever."""

    calls: list[dict[str, Any]] = []

    def __init__(self, **kwargs: Any) -> None:
        _CapturedPack.calls.append(kwargs)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What ``policies/__main__.py`` hands to PolicyPack, as the Pulumi CLI would run it."""
    monkeypatch.setattr(pulumi_policy, "PolicyPack", _CapturedPack)
    monkeypatch.setenv("PULUMI_STACK", "acme/prod")
    _CapturedPack.calls.clear()

    runpy.run_path(str(POLICIES_DIR), run_name="__main__")

    [call] = _CapturedPack.calls
    return call


def _options() -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


class _Reports:
    """Collects what a policy reports, as the engine's report_violation would."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str | None]] = []

    def __call__(self, message: str, urn: str | None = None) -> None:
        self.items.append((message, urn))

    @property
    def messages(self) -> list[str]:
        return [message for message, _ in self.items]


def _policy(name: str, environment: str = "prod") -> Any:
    return pack.build_policies(environment, [RULES_BY_NAME[name]])[0]


def _validate_resource(
    name: str,
    resource_type: str,
    props: dict[str, Any],
    config: Mapping[str, Any] | None = None,
    provider: PolicyProviderResource | None = None,
) -> list[str]:
    policy = _policy(name)
    reports = _Reports()
    args = ResourceValidationArgs(
        resource_type,
        unknown_checking_proxy(props),
        f"urn:pulumi:prod::claude-access::{resource_type}::subject",
        "subject",
        _options(),
        provider,
        config,
    )
    policy.validate(args, reports)
    return reports.messages


def _stack_resource(
    resource_type: str,
    name: str,
    props: dict[str, Any],
    dependencies: dict[str, list[PolicyResource]] | None = None,
) -> PolicyResource:
    return PolicyResource(
        resource_type,
        unknown_checking_proxy(props),
        f"urn:pulumi:prod::claude-access::{resource_type}::{name}",
        name,
        _options(),
        None,
        None,
        [],
        dependencies or {},
    )


def _validate_stack(name: str, resources: list[PolicyResource]) -> list[tuple[str, str | None]]:
    reports = _Reports()
    _policy(name).validate(StackValidationArgs(resources, None), reports)
    return reports.items


# --- what the pack registers ----------------------------------------------------------------


def test_pack_registers_exactly_the_functions_the_offline_check_runs(
    served: dict[str, Any],
) -> None:
    registered = {policy.rule.check_function for policy in served["policies"]}

    assert registered == offline.rule_functions()
    assert len(served["policies"]) == len(RULES)


def test_pack_is_named_and_described(served: dict[str, Any]) -> None:
    assert served["name"] == "claude-access-guard"
    assert "Claude" in served["description"]


def test_each_policy_carries_its_rules_metadata(served: dict[str, Any]) -> None:
    for policy in served["policies"]:
        rule = policy.rule
        assert policy.name == rule.name
        assert policy.description == rule.description
        assert policy.severity == Severity(rule.severity)
        assert policy.remediation_steps == rule.remediation
        assert policy.config_schema.properties == rule.config_schema()
        kind = ResourceValidationPolicy if rule.kind == "resource" else StackValidationPolicy
        assert isinstance(policy, kind)


def test_config_schema_defaults_match_the_offline_defaults() -> None:
    schema = _policy("log-group-retention").config_schema.properties

    assert schema["minRetentionDays"]["default"] == 365
    assert schema["environments"]["default"] == ["*"]
    assert _policy("log-bucket-object-lock").config_schema.properties["environments"][
        "default"
    ] == ["prod", "production"]


def test_stack_name_decides_dev_relaxation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pulumi_policy, "PolicyPack", _CapturedPack)
    monkeypatch.setenv("PULUMI_STACK", "acme/dev")
    _CapturedPack.calls.clear()

    runpy.run_path(str(POLICIES_DIR), run_name="__main__")

    levels = {p.name: p.enforcement_level for p in _CapturedPack.calls[0]["policies"]}
    assert levels["required-tags"] == EnforcementLevel.ADVISORY
    assert levels["iam-no-wildcard-actions"] == EnforcementLevel.MANDATORY


def test_stack_environment_falls_back_to_prod(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PULUMI_STACK", raising=False)

    assert pack.stack_environment() == "prod"


def test_importing_rules_and_offline_check_never_loads_the_policy_sdk() -> None:
    code = "import sys, policies.rules, policies.offline\nprint('pulumi_policy' in sys.modules)\n"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=POLICIES_DIR.parent,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert result.stdout.strip() == "False"


def test_pack_loads_from_a_copy_under_another_name(tmp_path: Path) -> None:
    copy = tmp_path / "claude-access-guard-0.1.0"
    shutil.copytree(POLICIES_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    code = (
        "import runpy, pulumi_policy\n"
        "seen = []\n"
        "pulumi_policy.PolicyPack = lambda **kw: seen.append(kw)\n"
        f"runpy.run_path({str(copy)!r}, run_name='__main__')\n"
        "print(seen[0]['name'], len(seen[0]['policies']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert result.stdout.split() == ["claude-access-guard", str(len(RULES))]


# --- resource policies through the engine's types -------------------------------------------


def test_resource_policy_reports_the_rules_messages() -> None:
    props = {
        "serviceName": "com.amazonaws.us-east-1.bedrock-runtime",
        "vpcEndpointType": "Interface",
        "privateDnsEnabled": False,
    }

    [message] = _validate_resource(
        "bedrock-endpoint-private", "aws:ec2/vpcEndpoint:VpcEndpoint", props
    )

    assert "privateDnsEnabled False" in message


def test_unknown_values_are_not_judged_during_preview() -> None:
    props = {
        "serviceName": "com.amazonaws.us-east-1.bedrock-runtime",
        "vpcEndpointType": "Interface",
        "privateDnsEnabled": UNKNOWN_BOOLEAN_VALUE,
    }

    assert (
        _validate_resource("bedrock-endpoint-private", "aws:ec2/vpcEndpoint:VpcEndpoint", props)
        == []
    )


def test_unknown_policy_document_is_not_judged() -> None:
    props = {"policy": UNKNOWN_STRING_VALUE}

    assert _validate_resource("iam-no-wildcard-actions", "aws:iam/policy:Policy", props) == []


def test_config_reaches_the_rule() -> None:
    props = {"kmsKeyId": "k", "retentionInDays": 90}

    assert _validate_resource("log-group-retention", "aws:cloudwatch/logGroup:LogGroup", props)
    assert not _validate_resource(
        "log-group-retention",
        "aws:cloudwatch/logGroup:LogGroup",
        props,
        config={"minRetentionDays": 90},
    )


def test_provider_of_the_resource_reaches_the_rule() -> None:
    provider = PolicyProviderResource(
        "pulumi:providers:aws",
        unknown_checking_proxy({"region": "sa-east-1"}),
        "urn:pulumi:prod::claude-access::pulumi:providers:aws::sa",
        "sa",
    )

    [message] = _validate_resource(
        "allowed-regions", "aws:s3/bucket:Bucket", {"bucket": "b"}, provider=provider
    )

    assert "is in sa-east-1" in message


def test_secret_store_values_are_not_judged_online_where_secrets_arrive_unmasked() -> None:
    store = {"secretId": "claude/anthropic", "secretString": FAKE_KEY}
    leak = {"environment": {"variables": {"KEY": FAKE_KEY}}}

    assert (
        _validate_resource(
            "no-plaintext-api-keys", "aws:secretsmanager/secretVersion:SecretVersion", store
        )
        == []
    )
    assert _validate_resource("no-plaintext-api-keys", "aws:lambda/function:Function", leak)


# --- stack policies through the engine's types ----------------------------------------------


def test_stack_policy_reports_findings_against_their_resources() -> None:
    account = _stack_resource(
        "azure-native:cognitiveservices:Account", "foundry", {"accountName": "claude-foundry"}
    )

    [(message, urn)] = _validate_stack("foundry-private-endpoint", [account])

    assert "has no private endpoint" in message
    assert urn == account.urn


def test_property_dependencies_join_resources_whose_ids_are_unknown() -> None:
    account = _stack_resource("azure-native:cognitiveservices:Account", "foundry", {})
    endpoint = _stack_resource(
        "azure-native:network:PrivateEndpoint",
        "pe",
        {"privateLinkServiceConnections": [{"privateLinkServiceId": "resolved-later"}]},
        dependencies={"privateLinkServiceConnections": [account]},
    )

    assert _validate_stack("foundry-private-endpoint", [account, endpoint]) == []


def test_unknown_join_keys_are_not_judged() -> None:
    account = _stack_resource("azure-native:cognitiveservices:Account", "foundry", {})
    endpoint = _stack_resource(
        "azure-native:network:PrivateEndpoint",
        "pe",
        {"privateLinkServiceConnections": [{"privateLinkServiceId": UNKNOWN_STRING_VALUE}]},
    )

    assert _validate_stack("foundry-private-endpoint", [account, endpoint]) == []


def test_stack_policy_and_offline_check_agree_on_a_plan() -> None:
    plan = compliant("prod")
    plan.props("bedrock-sg")["ingress"][0]["cidrBlocks"] = ["0.0.0.0/0"]
    resources = [
        _stack_resource(entry["type"], entry["name"], {**entry["props"], "id": entry.get("id")})
        for entry in plan.resources
    ]

    online = _validate_stack("bedrock-endpoint-no-open-ingress", resources)
    offline_found = [
        (v.message, v.urn) for v in plan.check() if v.policy == "bedrock-endpoint-no-open-ingress"
    ]

    assert online == offline_found
    assert SG_ID in str(plan.props("bedrock-runtime-us-east-1")["securityGroupIds"])


# --- plain ----------------------------------------------------------------------------------


def test_plain_turns_proxies_into_data_and_unknowns_into_the_marker() -> None:
    proxied = unknown_checking_proxy(
        {"a": [1, UNKNOWN_STRING_VALUE, {"b": UNKNOWN_BOOLEAN_VALUE}], "id": FOUNDRY_ID}
    )

    assert pack.plain(proxied) == {"a": [1, UNKNOWN, {"b": UNKNOWN}], "id": FOUNDRY_ID}
