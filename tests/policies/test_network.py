"""Network rules: Bedrock endpoints, Foundry network isolation, private Vertex AI access."""

from __future__ import annotations

import pytest

from tests.policies.plans import (
    ACCOUNT,
    FOUNDRY_ID,
    SG_ID,
    PlanBuilder,
    allow,
    compliant,
    document,
)

RUNTIME = "bedrock-runtime-us-east-1"
MANTLE = "bedrock-mantle-us-east-1"


@pytest.fixture
def plan() -> PlanBuilder:
    return compliant("prod")


# --- bedrock-endpoint-private ---------------------------------------------------------------


def test_interface_endpoints_with_private_dns_pass(plan: PlanBuilder) -> None:
    assert plan.messages("bedrock-endpoint-private") == []


def test_gateway_endpoint_for_bedrock_is_rejected(plan: PlanBuilder) -> None:
    plan.props(RUNTIME)["vpcEndpointType"] = "Gateway"

    [message] = plan.messages("bedrock-endpoint-private")

    assert "bedrock-runtime endpoint is of type Gateway" in message
    assert "'Interface'" in message


def test_endpoint_without_private_dns_is_rejected(plan: PlanBuilder) -> None:
    del plan.props(MANTLE)["privateDnsEnabled"]

    [message] = plan.messages("bedrock-endpoint-private")

    assert "bedrock-mantle endpoint has privateDnsEnabled None" in message


def test_endpoints_of_other_services_are_not_judged(plan: PlanBuilder) -> None:
    plan.add(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "s3-gateway",
        {"serviceName": "com.amazonaws.us-east-1.s3", "vpcEndpointType": "Gateway"},
    )

    assert plan.messages("bedrock-endpoint-private") == []


# --- bedrock-endpoint-no-open-ingress -------------------------------------------------------


def test_groups_admitting_private_ranges_pass(plan: PlanBuilder) -> None:
    assert plan.messages("bedrock-endpoint-no-open-ingress") == []


def test_group_ingress_open_to_the_internet_is_rejected(plan: PlanBuilder) -> None:
    plan.props("bedrock-sg")["ingress"][0]["cidrBlocks"] = ["0.0.0.0/0"]

    violations = [v for v in plan.check() if v.policy == "bedrock-endpoint-no-open-ingress"]

    assert len(violations) == 1
    assert violations[0].name == "bedrock-sg"
    assert "admits 0.0.0.0/0" in violations[0].message
    assert RUNTIME in violations[0].message and MANTLE in violations[0].message


def test_ipv6_ingress_open_to_the_internet_is_rejected(plan: PlanBuilder) -> None:
    plan.props("bedrock-sg")["ingress"][0]["ipv6CidrBlocks"] = ["::/0"]

    [message] = plan.messages("bedrock-endpoint-no-open-ingress")

    assert "admits ::/0" in message


def test_standalone_ingress_rule_open_to_the_internet_is_rejected(plan: PlanBuilder) -> None:
    plan.props("bedrock-sg-https")["cidrIpv4"] = "0.0.0.0/0"

    violations = [v for v in plan.check() if v.policy == "bedrock-endpoint-no-open-ingress"]

    assert [v.name for v in violations] == ["bedrock-sg-https"]
    assert "opens security group bedrock-sg" in violations[0].message


def test_legacy_security_group_rule_open_to_the_internet_is_rejected(plan: PlanBuilder) -> None:
    plan.add(
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "legacy-open",
        {"type": "ingress", "securityGroupId": SG_ID, "cidrBlocks": ["0.0.0.0/0"]},
    )

    [message] = plan.messages("bedrock-endpoint-no-open-ingress")

    assert "legacy-open" in message


def test_open_group_not_attached_to_a_bedrock_endpoint_is_not_judged(plan: PlanBuilder) -> None:
    plan.add(
        "aws:ec2/securityGroup:SecurityGroup",
        "bastion",
        {"ingress": [{"cidrBlocks": ["0.0.0.0/0"]}]},
        id="sg-bastion",
    )

    assert plan.messages("bedrock-endpoint-no-open-ingress") == []


def test_endpoint_without_security_group_is_rejected(plan: PlanBuilder) -> None:
    plan.props(RUNTIME)["securityGroupIds"] = []

    [message] = plan.messages("bedrock-endpoint-no-open-ingress")

    assert f"Bedrock endpoint {RUNTIME} has no security group" in message


# --- bedrock-endpoint-policy-restrictive ----------------------------------------------------


def test_narrow_endpoint_policies_pass(plan: PlanBuilder) -> None:
    assert plan.messages("bedrock-endpoint-policy-restrictive") == []


def test_endpoint_without_policy_is_rejected(plan: PlanBuilder) -> None:
    del plan.props(RUNTIME)["policy"]

    [message] = plan.messages("bedrock-endpoint-policy-restrictive")

    assert f"Bedrock endpoint {RUNTIME} has no policy" in message


def test_separate_endpoint_policy_resource_counts(plan: PlanBuilder) -> None:
    policy = plan.props(RUNTIME).pop("policy")
    plan.add(
        "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
        "runtime-policy",
        {"vpcEndpointId": "vpce-bedrock-runtime", "policy": policy},
    )

    assert plan.messages("bedrock-endpoint-policy-restrictive") == []


def test_endpoint_policy_allowing_every_action_is_rejected(plan: PlanBuilder) -> None:
    plan.props(MANTLE)["policy"] = document(
        allow("*", "*", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})
    )

    [message] = plan.messages("bedrock-endpoint-policy-restrictive")

    assert "allows *" in message


def test_endpoint_policy_open_to_anyone_on_everything_is_rejected(plan: PlanBuilder) -> None:
    plan.props(RUNTIME)["policy"] = document(
        allow("bedrock:InvokeModel", "*", Principal="*", Sid="Open")
    )

    [message] = plan.messages("bedrock-endpoint-policy-restrictive")

    assert "statement 'Open' allows any principal on every resource" in message


def test_endpoint_policy_open_to_anyone_but_conditioned_passes(plan: PlanBuilder) -> None:
    plan.props(RUNTIME)["policy"] = document(
        allow(
            "bedrock:InvokeModel",
            "*",
            Principal="*",
            Condition={"StringEquals": {"aws:PrincipalAccount": ACCOUNT}},
        )
    )

    assert plan.messages("bedrock-endpoint-policy-restrictive") == []


def test_endpoint_policy_that_is_not_json_is_rejected(plan: PlanBuilder) -> None:
    plan.props(RUNTIME)["policy"] = "{not json"

    [message] = plan.messages("bedrock-endpoint-policy-restrictive")

    assert "policy is not valid JSON" in message


# --- foundry-public-access-disabled ----------------------------------------------------------


def test_isolated_foundry_account_passes(plan: PlanBuilder) -> None:
    assert plan.messages("foundry-public-access-disabled") == []


def test_foundry_account_with_public_access_is_rejected(plan: PlanBuilder) -> None:
    plan.props("foundry")["properties"]["publicNetworkAccess"] = "Enabled"

    [message] = plan.messages("foundry-public-access-disabled")

    assert "publicNetworkAccess is Enabled" in message


def test_foundry_account_allowing_by_default_is_rejected(plan: PlanBuilder) -> None:
    del plan.props("foundry")["properties"]["networkAcls"]

    [message] = plan.messages("foundry-public-access-disabled")

    assert "defaultAction is unset (Allow)" in message


# --- foundry-private-endpoint --------------------------------------------------------------


def test_foundry_account_with_private_endpoint_passes(plan: PlanBuilder) -> None:
    assert plan.messages("foundry-private-endpoint") == []


def test_private_endpoint_found_by_account_name_when_ids_differ(plan: PlanBuilder) -> None:
    plan.entry("foundry")["id"] = "mock-id"

    assert plan.messages("foundry-private-endpoint") == []


def test_foundry_account_without_private_endpoint_is_rejected(plan: PlanBuilder) -> None:
    plan.remove("foundry-pe")

    violations = [v for v in plan.check() if v.policy == "foundry-private-endpoint"]

    assert [v.name for v in violations] == ["foundry"]
    assert "has no private endpoint" in violations[0].message


def test_private_endpoint_to_another_account_does_not_count(plan: PlanBuilder) -> None:
    connection = plan.props("foundry-pe")["privateLinkServiceConnections"][0]
    connection["privateLinkServiceId"] = FOUNDRY_ID.replace("claude-foundry", "other")

    assert len(plan.messages("foundry-private-endpoint")) == 1


# --- vertex-private-access -----------------------------------------------------------------


def test_subnetwork_with_private_google_access_passes(plan: PlanBuilder) -> None:
    assert plan.messages("vertex-private-access") == []


def test_subnetwork_without_private_google_access_is_rejected(plan: PlanBuilder) -> None:
    plan.props("workloads")["privateIpGoogleAccess"] = False

    [message] = plan.messages("vertex-private-access")

    assert "subnetwork workloads has privateIpGoogleAccess False" in message


def test_private_service_connect_endpoint_is_enough(plan: PlanBuilder) -> None:
    plan.props("workloads")["privateIpGoogleAccess"] = False
    plan.add(
        "gcp:compute/globalForwardingRule:GlobalForwardingRule",
        "googleapis-psc",
        {"target": "all-apis", "network": "vpc", "loadBalancingScheme": ""},
    )

    assert plan.messages("vertex-private-access") == []


def test_vertex_without_any_private_route_is_rejected(plan: PlanBuilder) -> None:
    plan.remove("workloads")

    [violation] = [v for v in plan.check() if v.policy == "vertex-private-access"]

    assert violation.urn == ""
    assert "neither a subnetwork" in violation.message


def test_route_managed_elsewhere_is_accepted_by_config(plan: PlanBuilder) -> None:
    plan.remove("workloads")
    config = {"vertex-private-access": {"vertexAccess": "managed-elsewhere"}}

    assert plan.messages("vertex-private-access", config) == []


def test_stack_without_google_cloud_needs_no_vertex_route() -> None:
    plan = PlanBuilder()
    plan.add("aws:s3/bucket:Bucket", "b", {"bucket": "b"})

    assert plan.messages("vertex-private-access") == []
