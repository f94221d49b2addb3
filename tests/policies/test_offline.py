"""The offline checker: output fields, config handling, environments, reading files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policies import offline
from policies.rules import RULES_BY_NAME
from tests.policies.plans import PlanBuilder, compliant


@pytest.fixture
def plan() -> PlanBuilder:
    """A prod plan with one resource violation (untagged role) and one stack violation."""
    plan = compliant("prod")
    del plan.props("invoker")["tags"]
    plan.remove("aws-budget")
    return plan


def _levels(violations: list[offline.Violation]) -> dict[str, str]:
    return {v.policy: v.enforcement for v in violations}


# --- what a violation carries ---------------------------------------------------------------


def test_resource_violation_names_policy_resource_message_and_fix(plan: PlanBuilder) -> None:
    [violation] = [v for v in plan.check() if v.policy == "required-tags"]

    assert violation.enforcement == "mandatory"
    assert violation.severity == "low"
    assert violation.type == "aws:iam/role:Role"
    assert violation.name == "invoker"
    assert violation.urn == plan.entry("invoker")["urn"]
    assert violation.message.startswith("missing tags owner")
    assert violation.remediation == RULES_BY_NAME["required-tags"].remediation


def test_stack_violation_has_no_resource(plan: PlanBuilder) -> None:
    [violation] = [v for v in plan.check() if v.policy == "budget-per-cloud"]

    assert (violation.type, violation.name, violation.urn) == ("", "", "")


def test_records_carry_exactly_the_json_fields(plan: PlanBuilder) -> None:
    records = offline.to_records(plan.check())

    assert records
    assert all(list(record) == list(offline.JSON_FIELDS) for record in records)
    assert json.loads(json.dumps(records)) == records


def test_mandatory_and_severe_violations_come_first() -> None:
    plan = compliant("prod")
    del plan.props("invoker")["tags"]
    plan.props("invocations")["retentionInDays"] = 1
    plan.props("bedrock-sg")["ingress"][0]["cidrBlocks"] = ["0.0.0.0/0"]
    config = {"log-group-retention": "advisory"}

    policies = [v.policy for v in plan.check(config)]

    assert policies == ["bedrock-endpoint-no-open-ingress", "required-tags", "log-group-retention"]


def test_has_mandatory(plan: PlanBuilder) -> None:
    violations = plan.check()

    assert offline.has_mandatory(violations)
    assert not offline.has_mandatory([v for v in violations if not v.mandatory])
    assert not offline.has_mandatory([])


# --- text output ------------------------------------------------------------------------------


def test_text_names_policy_resource_problem_and_fix(plan: PlanBuilder) -> None:
    text = offline.format_text(plan.check())

    assert "[mandatory] required-tags (low)" in text
    assert "resource: aws:iam/role:Role invoker" in text
    assert f"urn:      {plan.entry('invoker')['urn']}" in text
    assert "problem:  missing tags owner" in text
    assert "fix:      " + RULES_BY_NAME["required-tags"].remediation in text
    assert "pulumi:pulumi:Stack (the stack as a whole)" in text
    assert text.endswith("2 policy violations: 2 mandatory, 0 advisory.")


def test_text_for_a_clean_plan() -> None:
    assert offline.format_text([]) == "No policy violations."


# --- enforcement levels -----------------------------------------------------------------------


def test_defaults_are_mandatory_in_prod(plan: PlanBuilder) -> None:
    assert _levels(plan.check()) == {"required-tags": "mandatory", "budget-per-cloud": "mandatory"}


def test_dev_relaxes_the_rules_that_allow_it(plan: PlanBuilder) -> None:
    assert _levels(plan.check(environment="dev")) == {
        "required-tags": "advisory",
        "budget-per-cloud": "advisory",
    }


def test_dev_keeps_security_rules_mandatory() -> None:
    plan = compliant("dev")
    plan.props("foundry")["properties"]["publicNetworkAccess"] = "Enabled"

    assert _levels(plan.check()) == {"foundry-public-access-disabled": "mandatory"}


def test_all_sets_every_level_and_a_policy_section_overrides_it(plan: PlanBuilder) -> None:
    config = {"all": {"enforcementLevel": "advisory"}, "budget-per-cloud": "mandatory"}

    assert _levels(plan.check(config)) == {
        "required-tags": "advisory",
        "budget-per-cloud": "mandatory",
    }


def test_config_can_make_a_dev_relaxed_rule_mandatory_again(plan: PlanBuilder) -> None:
    config = {"required-tags": {"enforcementLevel": "mandatory"}}

    assert _levels(plan.check(config, environment="dev"))["required-tags"] == "mandatory"


def test_disabled_rule_reports_nothing(plan: PlanBuilder) -> None:
    config = {"required-tags": {"enforcementLevel": "disabled"}}

    assert "required-tags" not in _levels(plan.check(config))


def test_remediate_counts_as_mandatory(plan: PlanBuilder) -> None:
    assert _levels(plan.check({"required-tags": "remediate"}))["required-tags"] == "mandatory"


def test_environments_setting_widens_a_prod_only_rule() -> None:
    plan = compliant("dev")
    plan.remove("invocation-logs-lock")
    plan.props("invocation-logs")["objectLockEnabled"] = False
    config = {"log-bucket-object-lock": {"environments": ["*"]}}

    assert plan.messages("log-bucket-object-lock") == []
    assert len(plan.messages("log-bucket-object-lock", config)) == 1


# --- environment ------------------------------------------------------------------------------


def test_environment_comes_from_the_plan_then_the_stack() -> None:
    assert offline.plan_environment({"environment": "staging", "stack": "x"}) == "staging"
    assert offline.plan_environment({"stack": "acme/dev"}) == "dev"
    assert offline.plan_environment({}) == "prod"


def test_explicit_environment_overrides_the_plan(plan: PlanBuilder) -> None:
    assert _levels(plan.check(environment="dev"))["required-tags"] == "advisory"
    assert _levels(plan.check())["required-tags"] == "mandatory"


# --- config validation and files ------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"required-tag": "advisory"}, "'required-tag' names no policy"),
        ({"required-tags": {"requiredTag": ["x"]}}, "required-tags.requiredTag is not a property"),
        ({"required-tags": {"requiredTags": "owner"}}, "requiredTags must be a list"),
        ({"required-tags": {"requiredTags": [1]}}, "requiredTags[0] must be a string"),
        ({"log-group-retention": {"minRetentionDays": 0}}, "must be at least 1"),
        ({"vertex-private-access": {"vertexAccess": "open"}}, "must be one of 'private'"),
        ({"required-tags": "strict"}, "required-tags must be one of advisory"),
        ({"all": {"enforcementLevel": "loud"}}, "all.enforcementLevel must be one of"),
        ({"all": {"requiredTags": []}}, "'all' takes only enforcementLevel"),
        (["required-tags"], "Expected the policy config to be an object"),
    ],
)
def test_bad_config_is_rejected_with_what_to_fix(config: object, expected: str) -> None:
    with pytest.raises(offline.ConfigError) as raised:
        offline.validate_config(config)

    assert expected in str(raised.value)


def test_check_rejects_bad_config(plan: PlanBuilder) -> None:
    with pytest.raises(offline.ConfigError):
        plan.check({"no-such-policy": "advisory"})


def test_json_and_yaml_configs_load_alike(tmp_path: Path) -> None:
    config = {"all": "advisory", "required-tags": {"requiredTags": ["owner"]}}
    (tmp_path / "policy.json").write_text(json.dumps(config))
    (tmp_path / "policy.yaml").write_text(
        "all: advisory\nrequired-tags:\n  requiredTags:\n    - owner\n"
    )

    assert offline.load_config(tmp_path / "policy.json") == config
    assert offline.load_config(tmp_path / "policy.yaml") == config


def test_shipped_example_configs_are_valid() -> None:
    shipped = sorted((Path(__file__).parents[2] / "policies" / "config").glob("*.json"))

    assert shipped
    for path in shipped:
        offline.load_config(path)


def test_empty_yaml_config_means_defaults(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text("")

    assert offline.load_config(tmp_path / "empty.yaml") == {}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("missing.json", None, "Cannot read policy config"),
        ("broken.json", "{", "is not JSON"),
        ("broken.yaml", "a: [", "is not YAML"),
    ],
)
def test_unreadable_config_is_a_config_error(
    tmp_path: Path, name: str, text: str | None, expected: str
) -> None:
    if text is not None:
        (tmp_path / name).write_text(text)

    with pytest.raises(offline.ConfigError, match=expected):
        offline.load_config(tmp_path / name)


def test_plan_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(compliant("dev").to_dict()))

    assert offline.check(offline.load_plan(path)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "Cannot read plan"),
        ("not json", "is not JSON"),
        ("[]", "Expected the plan to be a JSON object"),
        ('{"schemaVersion": 2, "resources": []}', "schemaVersion is 2"),
        ('{"resources": {}}', "'resources' to be a list"),
        ('{"resources": [{"type": "t", "name": "n"}]}', "resources[0].urn"),
        ('{"resources": [{"urn": "u", "type": "t", "name": "n", "props": []}]}', ".props"),
    ],
)
def test_unusable_plan_is_a_plan_error(tmp_path: Path, text: str | None, expected: str) -> None:
    path = tmp_path / "plan.json"
    if text is not None:
        path.write_text(text)

    with pytest.raises(offline.PlanError) as raised:
        offline.load_plan(path)

    assert expected in str(raised.value)


def test_provider_referenced_by_bare_urn_is_found() -> None:
    plan = PlanBuilder()
    reference = plan.provider("aws", "sa", region="sa-east-1")
    plan.add("aws:s3/bucket:Bucket", "b", {"bucket": "b"}, provider=reference.rsplit("::", 1)[0])

    assert len(plan.messages("allowed-regions")) == 1
