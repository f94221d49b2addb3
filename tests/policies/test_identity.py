"""Identity rules: AWS policy documents, Google Cloud IAM, Azure RBAC, Foundry auth."""

from __future__ import annotations

import json

import pytest

from tests.policies.plans import (
    ACCOUNT,
    FOUNDRY_ID,
    SONNET_MODEL,
    PlanBuilder,
    allow,
    compliant,
    document,
)


@pytest.fixture
def plan() -> PlanBuilder:
    return compliant("prod")


def _invoker_policy(plan: PlanBuilder, *statements: dict[str, object]) -> None:
    plan.props("invoker")["inlinePolicies"] = [{"name": "invoke", "policy": document(*statements)}]


# --- iam-no-wildcard-actions ----------------------------------------------------------------


def test_named_actions_on_named_resources_pass(plan: PlanBuilder) -> None:
    assert plan.messages("iam-no-wildcard-actions") == []


@pytest.mark.parametrize("action", ["*", "bedrock:*", "bedrock-mantle:*", "*:*"])
def test_wildcard_actions_are_rejected(plan: PlanBuilder, action: str) -> None:
    _invoker_policy(plan, allow(action, [SONNET_MODEL], Sid="Broad"))

    messages = plan.messages("iam-no-wildcard-actions")

    assert f"inlinePolicies[invoke] statement 'Broad' allows {action}" in messages[0]


def test_bedrock_action_on_every_resource_is_rejected(plan: PlanBuilder) -> None:
    _invoker_policy(plan, allow(["bedrock:InvokeModel"], "*"))

    [message] = plan.messages("iam-no-wildcard-actions")

    assert "statement #1 allows bedrock:InvokeModel on every resource" in message


def test_list_actions_that_need_every_resource_are_exempt(plan: PlanBuilder) -> None:
    _invoker_policy(plan, allow("bedrock:ListFoundationModels", "*"))

    assert plan.messages("iam-no-wildcard-actions") == []


def test_not_action_in_an_allow_is_rejected(plan: PlanBuilder) -> None:
    _invoker_policy(plan, {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})

    [message] = plan.messages("iam-no-wildcard-actions")

    assert "allows NotAction" in message


def test_wildcards_in_deny_statements_are_fine(plan: PlanBuilder) -> None:
    assert "s3:*" in plan.props("invocation-logs-policy")["policy"]

    assert plan.messages("iam-no-wildcard-actions") == []


@pytest.mark.parametrize(
    ("resource_type", "prop"),
    [
        ("aws:iam/rolePolicy:RolePolicy", "policy"),
        ("aws:iam/policy:Policy", "policy"),
        ("aws:s3/bucketPolicy:BucketPolicy", "policy"),
        ("aws:kms/key:Key", "policy"),
        ("aws:ec2/vpcEndpoint:VpcEndpoint", "policy"),
    ],
)
def test_every_policy_carrying_type_is_read(resource_type: str, prop: str) -> None:
    plan = PlanBuilder()
    plan.add(resource_type, "subject", {prop: document(allow("*", "*"))})

    assert len(plan.messages("iam-no-wildcard-actions")) == 1


def test_trust_policy_is_read_too(plan: PlanBuilder) -> None:
    plan.props("invoker")["assumeRolePolicy"] = document(
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "*"}
    )

    [message] = plan.messages("iam-no-wildcard-actions")

    assert message.startswith("assumeRolePolicy statement #1 allows *")


def test_policy_given_as_an_object_is_read_like_a_string() -> None:
    plan = PlanBuilder()
    plan.add(
        "aws:iam/policy:Policy",
        "p",
        {"policy": {"Version": "2012-10-17", "Statement": allow("bedrock:*", "*")}},
    )

    assert len(plan.messages("iam-no-wildcard-actions")) == 1


def test_configured_forbidden_actions_replace_the_defaults(plan: PlanBuilder) -> None:
    config = {"iam-no-wildcard-actions": {"forbiddenActions": ["kms:*"]}}

    [message] = plan.messages("iam-no-wildcard-actions", config)

    assert "allows kms:*" in message


# --- bedrock-invoke-allowed-models ----------------------------------------------------------


def test_invoking_allowed_models_passes(plan: PlanBuilder) -> None:
    assert plan.messages("bedrock-invoke-allowed-models") == []


def test_invoking_a_model_beyond_the_list_is_rejected(plan: PlanBuilder) -> None:
    llama = "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-70b-instruct-v1:0"
    _invoker_policy(plan, allow("bedrock:InvokeModel", [SONNET_MODEL, llama], Sid="Invoke"))

    [message] = plan.messages("bedrock-invoke-allowed-models")

    assert "reach meta.llama3-70b-instruct-v1:0" in message
    assert "allowed models are claude-*" in message


def test_invoking_every_foundation_model_is_rejected(plan: PlanBuilder) -> None:
    _invoker_policy(plan, allow("bedrock:Invoke*", "arn:aws:bedrock:us-east-1::foundation-model/*"))

    [message] = plan.messages("bedrock-invoke-allowed-models")

    assert "bedrock:Invoke* reach every model" in message


def test_narrowed_allowed_models_reject_other_claude_models(plan: PlanBuilder) -> None:
    config = {"bedrock-invoke-allowed-models": {"allowedModels": ["us.anthropic.claude-haiku-4-5"]}}

    messages = plan.messages("bedrock-invoke-allowed-models", config)

    assert messages and all("claude-sonnet-4-6" in message for message in messages)


def test_mantle_project_resources_name_no_model_and_pass(plan: PlanBuilder) -> None:
    _invoker_policy(
        plan,
        allow(
            "bedrock-mantle:CreateInference",
            f"arn:aws:bedrock-mantle:us-east-1:{ACCOUNT}:project/*",
        ),
    )

    assert plan.messages("bedrock-invoke-allowed-models") == []


# --- iam-no-wildcard-trust ------------------------------------------------------------------


def test_trust_in_named_roles_passes(plan: PlanBuilder) -> None:
    assert plan.messages("iam-no-wildcard-trust") == []


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["arn:aws:iam::1:root", "*"]}])
def test_trust_in_anyone_is_rejected_even_with_a_condition(
    plan: PlanBuilder, principal: object
) -> None:
    plan.props("invoker")["assumeRolePolicy"] = document(
        {
            "Effect": "Allow",
            "Principal": principal,
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-123"}},
        }
    )

    [message] = plan.messages("iam-no-wildcard-trust")

    assert "lets any principal ('*') assume the role" in message


# --- iam-no-users-or-access-keys ------------------------------------------------------------


def test_stack_without_users_passes(plan: PlanBuilder) -> None:
    assert plan.messages("iam-no-users-or-access-keys") == []


def test_users_and_access_keys_are_rejected(plan: PlanBuilder) -> None:
    plan.add("aws:iam/user:User", "ci", {"name": "ci"})
    plan.add("aws:iam/accessKey:AccessKey", "ci-key", {"user": "ci"})

    violations = [v for v in plan.check() if v.policy == "iam-no-users-or-access-keys"]

    assert [v.name for v in violations] == ["ci", "ci-key"]


# --- gcp-no-primitive-roles -----------------------------------------------------------------


def test_predefined_roles_pass(plan: PlanBuilder) -> None:
    assert plan.messages("gcp-no-primitive-roles") == []


@pytest.mark.parametrize(
    "resource_type",
    [
        "gcp:projects/iAMMember:IAMMember",
        "gcp:projects/iAMBinding:IAMBinding",
        "gcp:serviceaccount/iAMMember:IAMMember",
        "gcp:storage/bucketIAMMember:BucketIAMMember",
    ],
)
def test_primitive_role_in_members_and_bindings_is_rejected(resource_type: str) -> None:
    plan = PlanBuilder()
    plan.add(resource_type, "grant", {"role": "roles/editor", "member": "user:a@example.com"})

    [message] = plan.messages("gcp-no-primitive-roles")

    assert "grants the primitive role roles/editor" in message


def test_primitive_role_in_a_policy_document_is_rejected() -> None:
    plan = PlanBuilder()
    policy = {"bindings": [{"role": "roles/owner", "members": ["user:a@example.com"]}]}
    plan.add("gcp:projects/iAMPolicy:IAMPolicy", "policy", {"policyData": json.dumps(policy)})

    [message] = plan.messages("gcp-no-primitive-roles")

    assert "roles/owner" in message


# --- gcp-no-service-account-keys ------------------------------------------------------------


def test_stack_without_service_account_keys_passes(plan: PlanBuilder) -> None:
    assert plan.messages("gcp-no-service-account-keys") == []


def test_service_account_key_is_rejected(plan: PlanBuilder) -> None:
    plan.add("gcp:serviceaccount/key:Key", "invoker-key", {"serviceAccountId": "invoker"})

    [message] = plan.messages("gcp-no-service-account-keys")

    assert "creates a service account key" in message


# --- azure-role-assignment-scoped -----------------------------------------------------------


def test_data_role_on_the_account_passes(plan: PlanBuilder) -> None:
    assert plan.messages("azure-role-assignment-scoped") == []


@pytest.mark.parametrize(
    ("guid", "name"),
    [
        ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner"),
        ("b24988ac-6180-48a9-a8ff-4a93d1e1c0d2", "Contributor"),
        ("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator"),
    ],
)
def test_administrative_roles_are_rejected(plan: PlanBuilder, guid: str, name: str) -> None:
    plan.props("invoker-foundry-user")["roleDefinitionId"] = (
        f"/subscriptions/0/providers/Microsoft.Authorization/roleDefinitions/{guid.upper()}"
    )

    [message] = plan.messages("azure-role-assignment-scoped")

    assert f"assigns the {name} role" in message


def test_assignment_scoped_to_a_resource_group_is_rejected(plan: PlanBuilder) -> None:
    scope = "/subscriptions/0/resourceGroups/claude"
    plan.props("invoker-foundry-user")["scope"] = scope

    [message] = plan.messages("azure-role-assignment-scoped")

    assert f"is scoped to {scope}" in message


def test_assignment_scoped_to_a_key_vault_passes(plan: PlanBuilder) -> None:
    plan.props("invoker-foundry-user")["scope"] = (
        "/subscriptions/0/resourceGroups/claude/providers/Microsoft.KeyVault/vaults/claude"
    )

    assert plan.messages("azure-role-assignment-scoped") == []


# --- foundry-local-auth-disabled / foundry-managed-identity ---------------------------------


def test_foundry_account_with_entra_only_auth_passes(plan: PlanBuilder) -> None:
    assert plan.messages("foundry-local-auth-disabled") == []
    assert plan.messages("foundry-managed-identity") == []


def test_foundry_account_accepting_keys_is_rejected(plan: PlanBuilder) -> None:
    plan.props("foundry")["properties"]["disableLocalAuth"] = False

    [message] = plan.messages("foundry-local-auth-disabled")

    assert "disableLocalAuth is False" in message


def test_foundry_account_without_managed_identity_is_rejected(plan: PlanBuilder) -> None:
    del plan.props("foundry")["identity"]

    [message] = plan.messages("foundry-managed-identity")

    assert "identity.type is None" in message


def test_foundry_rules_ignore_other_resources() -> None:
    plan = PlanBuilder()
    plan.add("azure-native:keyvault:Vault", "vault", {"properties": {}}, id=FOUNDRY_ID + "x")

    assert plan.messages("foundry-local-auth-disabled") == []
