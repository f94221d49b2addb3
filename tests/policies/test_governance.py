"""Governance rules: tags and labels, allowed regions, allowed models, plaintext API keys."""

from __future__ import annotations

import json

import pytest

from tests.policies.plans import PlanBuilder, compliant, tags

FAKE_KEY = "sk-ant-api03-" + "a1B2" * 20


@pytest.fixture
def plan() -> PlanBuilder:
    return compliant("prod")


# --- required-tags --------------------------------------------------------------------------


def test_tagged_resources_pass(plan: PlanBuilder) -> None:
    assert plan.messages("required-tags") == []


def test_known_taggable_type_without_tags_is_rejected(plan: PlanBuilder) -> None:
    del plan.props("invoker")["tags"]

    violations = [v for v in plan.check() if v.policy == "required-tags"]

    assert [v.name for v in violations] == ["invoker"]
    assert "missing tags owner, cost-center, environment, managed-by" in violations[0].message


def test_empty_tag_value_counts_as_missing(plan: PlanBuilder) -> None:
    plan.props("foundry")["tags"]["owner"] = ""

    [message] = plan.messages("required-tags")

    assert "missing tags owner;" in message


def test_gcp_labels_are_checked_under_labels(plan: PlanBuilder) -> None:
    del plan.props("vertex-logs")["labels"]["cost-center"]

    [message] = plan.messages("required-tags")

    assert "missing labels cost-center" in message


def test_gcp_monitoring_labels_are_read_from_user_labels() -> None:
    plan = PlanBuilder()
    email = {"email_address": "oncall@example.com"}
    plan.add(
        "gcp:monitoring/notificationChannel:NotificationChannel",
        "labelled",
        {"type": "email", "labels": email, "userLabels": tags()},
    )
    plan.add(
        "gcp:monitoring/notificationChannel:NotificationChannel",
        "unlabelled",
        {"type": "email", "labels": email},
    )
    plan.add("gcp:monitoring/alertPolicy:AlertPolicy", "policy", {"combiner": "OR"})

    violations = [v for v in plan.check() if v.policy == "required-tags"]

    assert sorted(v.name for v in violations) == ["policy", "unlabelled"]
    for violation in violations:
        assert "missing labels owner, cost-center, environment, managed-by" in violation.message
        assert "set them in userLabels" in violation.message


def test_unlisted_type_is_checked_when_it_sets_tags() -> None:
    plan = PlanBuilder()
    plan.add("aws:sqs/queue:Queue", "queue", {"tags": {"owner": "me"}})
    plan.add("aws:sqs/queuePolicy:QueuePolicy", "untaggable", {"queueUrl": "q"})

    violations = [v for v in plan.check() if v.policy == "required-tags"]

    assert [v.name for v in violations] == ["queue"]


def test_provider_default_tags_count() -> None:
    plan = PlanBuilder()
    aws = plan.provider(
        "aws", "tagged", region="us-east-1", defaultTags=json.dumps({"tags": tags()})
    )
    plan.add("aws:iam/role:Role", "role", {"assumeRolePolicy": "{}"}, provider=aws)

    assert plan.messages("required-tags") == []


def test_required_tags_come_from_config(plan: PlanBuilder) -> None:
    config = {"required-tags": {"requiredTags": ["data-classification"]}}

    messages = plan.messages("required-tags", config)

    assert messages and all("data-classification" in m for m in messages)


def test_components_and_providers_are_not_judged(plan: PlanBuilder) -> None:
    judged = {v.type for v in plan.check({"required-tags": {"requiredTags": ["x"]}})}

    assert not any(t.startswith(("pulumi:", "claude-access:")) for t in judged)


# --- allowed-regions ----------------------------------------------------------------------


def test_resources_in_allowed_regions_pass(plan: PlanBuilder) -> None:
    assert plan.messages("allowed-regions") == []


def test_aws_resource_in_another_region_is_rejected_through_its_provider(
    plan: PlanBuilder,
) -> None:
    sa = plan.provider("aws", "aws-sa", region="sa-east-1")
    plan.add("aws:s3/bucket:Bucket", "far-away", {"bucket": "far"}, provider=sa)

    violations = [v for v in plan.check() if v.policy == "allowed-regions"]

    assert [v.name for v in violations] == ["far-away"]
    assert "is in sa-east-1, which is not an allowed location" in violations[0].message


def test_aws_resource_region_overrides_the_provider(plan: PlanBuilder) -> None:
    plan.props("invocations")["region"] = "ap-south-1"

    [message] = plan.messages("allowed-regions")

    assert "ap-south-1" in message


def test_global_aws_services_are_not_judged_by_region() -> None:
    plan = PlanBuilder()
    sa = plan.provider("aws", "aws-sa", region="sa-east-1")
    plan.add("aws:iam/role:Role", "role", {}, provider=sa)
    plan.add("aws:budgets/budget:Budget", "budget", {}, provider=sa)

    assert plan.messages("allowed-regions") == []


def test_gcp_and_azure_locations_are_checked(plan: PlanBuilder) -> None:
    plan.props("vertex-logs")["location"] = "ASIA"
    plan.props("foundry")["location"] = "Japan East"

    messages = plan.messages("allowed-regions")

    assert len(messages) == 2
    assert any("is in ASIA" in m for m in messages)
    assert any("is in Japan East" in m for m in messages)


def test_azure_locations_compare_without_case_or_spaces(plan: PlanBuilder) -> None:
    plan.props("foundry")["location"] = "East US 2"

    assert plan.messages("allowed-regions") == []


def test_allowed_regions_come_from_config(plan: PlanBuilder) -> None:
    config = {"allowed-regions": {"allowedAwsRegions": ["eu-central-1"]}}

    messages = plan.messages("allowed-regions", config)

    assert messages and all("us-east-1" in m for m in messages)


# --- allowed-models -------------------------------------------------------------------------


def test_claude_deployment_passes(plan: PlanBuilder) -> None:
    assert plan.messages("allowed-models") == []


def test_deployment_of_another_model_is_rejected(plan: PlanBuilder) -> None:
    plan.props("claude-sonnet-4-6")["properties"]["model"] = {"format": "OpenAI", "name": "gpt-4o"}

    [message] = plan.messages("allowed-models")

    assert "properties.model.name is gpt-4o, which is not an allowed model" in message


def test_deployment_outside_a_narrow_list_is_rejected(plan: PlanBuilder) -> None:
    config = {"allowed-models": {"allowedModels": ["claude-haiku-4-5", "claude-opus-4-*"]}}

    [message] = plan.messages("allowed-models", config)

    assert "claude-sonnet-4-6" in message


def _generic_deployment(model: str, **changes: object) -> dict[str, object]:
    """A Foundry deployment written as a generic ARM resource, as the kit writes it."""
    props: dict[str, object] = {
        "resourceGroupName": "claude",
        "resourceProviderNamespace": "Microsoft.CognitiveServices",
        "parentResourcePath": "accounts/claude-foundry",
        "resourceType": "deployments",
        "resourceName": model,
        "apiVersion": "2025-10-01-preview",
        "properties": {"model": {"format": "Anthropic", "name": model, "version": "1"}},
        "sku": {"name": "GlobalStandard", "capacity": 1},
        "tags": tags(),
    }
    props.update(changes)
    return props


def test_generic_resource_deployment_of_claude_passes() -> None:
    plan = PlanBuilder()
    plan.add("azure-native:resources:Resource", "sonnet", _generic_deployment("claude-sonnet-4-6"))

    assert plan.messages("allowed-models") == []


def test_generic_resource_deployment_of_another_model_is_rejected() -> None:
    plan = PlanBuilder()
    plan.add("azure-native:resources:Resource", "gpt", _generic_deployment("gpt-4o"))

    [message] = plan.messages("allowed-models")

    assert "properties.model.name is gpt-4o, which is not an allowed model" in message


def test_generic_resource_deployment_is_recognised_whatever_the_case_or_type_form() -> None:
    plan = PlanBuilder()
    plan.add(
        "azure-native:resources:Resource",
        "gpt",
        _generic_deployment(
            "gpt-4o",
            resourceProviderNamespace="microsoft.cognitiveservices",
            parentResourcePath="",
            resourceType="Accounts/Deployments",
        ),
    )

    assert len(plan.messages("allowed-models")) == 1


def test_generic_resource_of_another_kind_is_not_judged_as_a_deployment() -> None:
    plan = PlanBuilder()
    plan.add(
        "azure-native:resources:Resource",
        "storage",
        _generic_deployment(
            "gpt-4o", resourceProviderNamespace="Microsoft.Storage", resourceType="blobs"
        ),
    )
    plan.add(
        "azure-native:resources:Resource",
        "account-child",
        _generic_deployment("gpt-4o", resourceType="raiPolicies"),
    )

    assert plan.messages("allowed-models") == []


def test_generic_resource_deployment_without_tags_is_rejected() -> None:
    plan = PlanBuilder()
    deployment = _generic_deployment("claude-sonnet-4-6")
    del deployment["tags"]
    plan.add("azure-native:resources:Resource", "sonnet", deployment)
    other = _generic_deployment("x", resourceProviderNamespace="Microsoft.Web", resourceType="y")
    del other["tags"]
    plan.add("azure-native:resources:Resource", "other", other)

    violations = [v for v in plan.check() if v.policy == "required-tags"]

    assert [v.name for v in violations] == ["sonnet"]


def test_bedrock_provisioned_throughput_model_is_checked() -> None:
    plan = PlanBuilder()
    plan.add(
        "aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput",
        "pt",
        {"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-v1"},
    )

    [message] = plan.messages("allowed-models")

    assert "modelArn is arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-v1" in message


# --- no-plaintext-api-keys ------------------------------------------------------------------


def test_plan_without_keys_passes(plan: PlanBuilder) -> None:
    assert plan.messages("no-plaintext-api-keys") == []


def test_key_in_a_nested_property_is_rejected_without_printing_it(plan: PlanBuilder) -> None:
    plan.add(
        "aws:lambda/function:Function",
        "caller",
        {"environment": {"variables": {"ANTHROPIC_API_KEY": FAKE_KEY}}},
    )

    violations = [v for v in plan.check() if v.policy == "no-plaintext-api-keys"]

    assert [v.name for v in violations] == ["caller"]
    assert violations[0].message.startswith("environment.variables.ANTHROPIC_API_KEY holds")
    assert FAKE_KEY not in violations[0].message
    assert "sk-ant-api03" not in violations[0].message


def test_key_inside_a_list_or_a_json_string_is_found() -> None:
    plan = PlanBuilder()
    plan.add("claude-access:x:Component", "c", {"args": ["--x", f"key={FAKE_KEY}"]}, custom=False)
    plan.add("aws:ssm/document:Document", "d", {"content": json.dumps({"k": FAKE_KEY})})

    assert len(plan.messages("no-plaintext-api-keys")) == 2


def test_unmasked_key_in_a_secret_store_is_rejected_in_a_plan(plan: PlanBuilder) -> None:
    plan.props("anthropic-api-key")["secretString"] = FAKE_KEY

    [message] = plan.messages("no-plaintext-api-keys")

    assert message.startswith("secretString holds")


def test_secret_marker_and_short_prefixes_pass() -> None:
    plan = PlanBuilder()
    plan.add("aws:ssm/parameter:Parameter", "p", {"value": "[secret]", "description": "sk-ant-..."})

    assert plan.messages("no-plaintext-api-keys") == []
