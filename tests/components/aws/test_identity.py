"""The invoker role: who may assume it and what it may call, checked by an IAM engine.

moto's policy engine treats a condition key that the request does not carry as
satisfied, so every evaluation here passes all the keys a statement tests; that a
condition is present at all is asserted on the document.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from moto.iam.access_control import IAMPolicy, PermissionResult

from tests.helpers import Plan, as_list, render, statements

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ACCOUNT = "111122223333"
PROFILE = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/"
MODEL = "arn:aws:bedrock:{region}::foundation-model/"
ALLOWED = [
    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
    "us.anthropic.claude-sonnet-4-6",
    "us.anthropic.claude-opus-4-6-v1",
]


def invoker_policy(plan: Plan) -> dict[str, Any]:
    return plan.policy(ROLE_POLICY, "invoker")


def endpoint_ids(plan: Plan) -> list[str]:
    return sorted(r["id"] for r in plan.of_type("aws:ec2/vpcEndpoint:VpcEndpoint"))


def decide(
    policy: dict[str, Any], action: str, resource: str, **conditions: Any
) -> PermissionResult:
    return IAMPolicy(json.dumps(policy)).is_action_permitted(
        action, resource, incoming_condition_values=conditions or None
    )


@pytest.fixture(scope="module")
def dev(dev_plan: Plan) -> tuple[dict[str, Any], str]:
    return invoker_policy(dev_plan), endpoint_ids(dev_plan)[0]


@pytest.mark.parametrize("model", ALLOWED)
@pytest.mark.parametrize("action", ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"])
def test_each_allowed_inference_profile_may_be_invoked_through_the_endpoint(
    dev: tuple[dict[str, Any], str], model: str, action: str
) -> None:
    policy, vpce = dev

    assert decide(policy, action, PROFILE + model, **{"aws:SourceVpce": vpce}) == (
        PermissionResult.PERMITTED
    )


@pytest.mark.parametrize("region", ["us-east-1", "us-east-2", "us-west-2"])
@pytest.mark.parametrize("model", ALLOWED)
def test_foundation_models_behind_a_profile_may_be_invoked_only_through_it(
    dev: tuple[dict[str, Any], str], model: str, region: str
) -> None:
    policy, vpce = dev
    base = model.removeprefix("us.")
    arn = MODEL.format(region=region) + base

    through_profile = decide(
        policy,
        "bedrock:InvokeModel",
        arn,
        **{"aws:SourceVpce": vpce, "bedrock:InferenceProfileArn": PROFILE + model},
    )
    through_other_profile = decide(
        policy,
        "bedrock:InvokeModel",
        arn,
        **{"aws:SourceVpce": vpce, "bedrock:InferenceProfileArn": PROFILE + "us.other"},
    )

    assert through_profile == PermissionResult.PERMITTED
    assert through_other_profile != PermissionResult.PERMITTED


def test_routed_foundation_models_require_an_allowed_profile(dev_plan: Plan) -> None:
    by_sid = {s["Sid"]: s for s in statements(invoker_policy(dev_plan))}
    condition = by_sid["InvokeModelsBehindProfiles"]["Condition"]["StringEquals"]

    assert sorted(condition["bedrock:InferenceProfileArn"]) == sorted(
        PROFILE + model for model in ALLOWED
    )
    assert "InvokeModelsDirectly" not in by_sid


@pytest.mark.parametrize(
    "arn",
    [
        PROFILE + "us.anthropic.claude-3-opus-20240229-v1:0",
        MODEL.format(region="us-east-1") + "anthropic.claude-3-opus-20240229-v1:0",
        MODEL.format(region="us-east-1") + "amazon.titan-text-express-v1",
        PROFILE + "us.meta.llama3-3-70b-instruct-v1:0",
        f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:inference-profile/us.anthropic.claude-sonnet-4-6",
    ],
)
def test_models_not_allowed_are_denied(dev: tuple[dict[str, Any], str], arn: str) -> None:
    policy, vpce = dev

    assert decide(policy, "bedrock:InvokeModel", arn, **{"aws:SourceVpce": vpce}) != (
        PermissionResult.PERMITTED
    )


def test_calls_that_bypass_the_kit_endpoints_are_denied(dev: tuple[dict[str, Any], str]) -> None:
    policy, _ = dev
    arn = PROFILE + ALLOWED[1]

    assert (
        decide(policy, "bedrock:InvokeModel", arn, **{"aws:SourceVpce": "vpce-0123456789abcdef0"})
        != PermissionResult.PERMITTED
    )


def test_every_bedrock_statement_requires_the_kit_endpoints(dev_plan: Plan) -> None:
    ids = endpoint_ids(dev_plan)
    for statement in statements(invoker_policy(dev_plan)):
        if statement["Sid"] == "ReadAnthropicApiKey":
            assert "Condition" not in statement
            continue
        assert sorted(statement["Condition"]["StringEquals"]["aws:SourceVpce"]) == ids


def test_without_endpoint_restriction_the_source_is_not_checked() -> None:
    policy = invoker_policy(render("dev", aws={"restrictToVpcEndpoints": False}))

    assert decide(policy, "bedrock:InvokeModel", PROFILE + ALLOWED[1]) == PermissionResult.PERMITTED


def test_token_counting_and_mantle_inference_are_allowed(dev: tuple[dict[str, Any], str]) -> None:
    policy, vpce = dev
    source = {"aws:SourceVpce": vpce}

    assert (
        decide(
            policy,
            "bedrock:CountTokens",
            MODEL.format(region="us-east-1") + "anthropic.claude-sonnet-4-6",
            **source,
        )
        == PermissionResult.PERMITTED
    )
    assert (
        decide(
            policy,
            "bedrock-mantle:CreateInference",
            f"arn:aws:bedrock-mantle:us-east-1:{ACCOUNT}:project/default",
            **source,
        )
        == PermissionResult.PERMITTED
    )
    assert (
        decide(
            policy,
            "bedrock-mantle:CreateInference",
            "arn:aws:bedrock-mantle:us-east-1:999988887777:project/default",
            **source,
        )
        != PermissionResult.PERMITTED
    )


@pytest.mark.parametrize(
    "action",
    [
        "bedrock:CreateModelCustomizationJob",
        "bedrock:PutModelInvocationLoggingConfiguration",
        "iam:PassRole",
        "s3:GetObject",
        "bedrock-mantle:ArchiveProject",
    ],
)
def test_nothing_but_invocation_is_allowed(dev: tuple[dict[str, Any], str], action: str) -> None:
    policy, vpce = dev

    for resource in ("*", PROFILE + ALLOWED[1]):
        assert decide(policy, action, resource, **{"aws:SourceVpce": vpce}) != (
            PermissionResult.PERMITTED
        )


def test_the_api_key_secret_is_readable_by_the_invoker(dev_plan: Plan) -> None:
    policy = invoker_policy(dev_plan)
    secret_arn = dev_plan.one("aws:secretsmanager/secret:Secret")["id"]

    assert decide(policy, "secretsmanager:GetSecretValue", secret_arn) == PermissionResult.PERMITTED
    assert decide(policy, "secretsmanager:GetSecretValue", secret_arn + "x") != (
        PermissionResult.PERMITTED
    )


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_no_statement_has_a_wildcard_action_or_resource(stack: str) -> None:
    plan = render(stack)
    for resource in plan.of_type(ROLE_POLICY):
        for statement in statements(json.loads(resource["props"]["policy"])):
            actions = as_list(statement["Action"])
            assert not any(action == "*" or action.endswith(":*") for action in actions)
            assert "*" not in as_list(statement["Resource"])


def test_trust_names_only_the_configured_principals(prod_plan: Plan) -> None:
    trust = json.loads(prod_plan.props(ROLE, "invoker")["assumeRolePolicy"])
    roles, oidc = statements(trust)

    assert roles["Principal"] == {
        "AWS": [
            "arn:aws:iam::333344445555:role/chat-service-prod",
            "arn:aws:iam::333344445555:role/support-assistant-prod",
        ]
    }
    assert as_list(roles["Action"]) == ["sts:AssumeRole", "sts:TagSession"]
    issuer = "oidc.eks.us-east-1.amazonaws.com/id/9E4A5C2B3D0F7A6C1B9E4D5F6A7B8C9D"
    assert oidc["Principal"] == {"Federated": f"arn:aws:iam::333344445555:oidc-provider/{issuer}"}
    assert oidc["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert oidc["Condition"]["StringEquals"] == {
        f"{issuer}:aud": "sts.amazonaws.com",
        f"{issuer}:sub": [
            "system:serviceaccount:apps:chat-service",
            "system:serviceaccount:apps:support-assistant",
        ],
    }
    for statement in statements(trust):
        assert "*" not in json.dumps(statement["Principal"])


def test_trust_by_role_alone_has_no_federated_statement() -> None:
    plan = render("dev", aws={"invokerPrincipals": {"oidc": []}})
    trust = json.loads(plan.props(ROLE, "invoker")["assumeRolePolicy"])

    assert [s["Sid"] for s in statements(trust)] == ["ApplicationRoles"]
    assert decide(trust, "sts:AssumeRole", "*") == PermissionResult.PERMITTED


def test_the_role_name_is_fixed_per_environment(dev_plan: Plan, prod_plan: Plan) -> None:
    assert dev_plan.props(ROLE, "invoker")["name"] == "claude-access-dev-invoker"
    assert prod_plan.props(ROLE, "invoker")["name"] == "claude-access-prod-invoker"
