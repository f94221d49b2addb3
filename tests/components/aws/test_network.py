"""Private access: interface endpoints with private DNS, a tight guard, narrow policies."""

from __future__ import annotations

from tests.helpers import Plan, as_list, statements

ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
GROUP = "aws:ec2/securityGroup:SecurityGroup"


def test_each_region_gets_runtime_and_mantle_interface_endpoints_with_private_dns(
    prod_plan: Plan,
) -> None:
    services = sorted(r["props"]["serviceName"] for r in prod_plan.of_type(ENDPOINT))

    assert services == [
        "com.amazonaws.us-east-1.bedrock-mantle",
        "com.amazonaws.us-east-1.bedrock-runtime",
        "com.amazonaws.us-west-2.bedrock-mantle",
        "com.amazonaws.us-west-2.bedrock-runtime",
    ]
    for endpoint in prod_plan.of_type(ENDPOINT):
        assert endpoint["props"]["vpcEndpointType"] == "Interface"
        assert endpoint["props"]["privateDnsEnabled"] is True


def test_endpoints_sit_in_the_configured_vpc_and_subnets(dev_plan: Plan) -> None:
    props = dev_plan.props(ENDPOINT, "bedrock-runtime")

    assert props["vpcId"] == "vpc-0a1b2c3d4e5f60718"
    assert props["subnetIds"] == ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722"]


def test_the_security_group_admits_only_https_from_allowed_cidrs(prod_plan: Plan) -> None:
    group = prod_plan.one(GROUP, "us-east-1")
    (rule,) = group["props"]["ingress"]

    assert (rule["protocol"], rule["fromPort"], rule["toPort"]) == ("tcp", 443, 443)
    assert rule["cidrBlocks"] == ["10.60.0.0/16", "10.61.0.0/16"]
    assert rule["ipv6CidrBlocks"] == []
    assert group["props"]["egress"] == []
    for endpoint in prod_plan.of_type(ENDPOINT):
        if "us-east-1" in endpoint["name"]:
            assert endpoint["props"]["securityGroupIds"] == [group["id"]]


def test_ipv6_client_networks_go_to_the_ipv6_rule() -> None:
    from tests.helpers import render

    region = {
        "region": "us-east-1",
        "vpcId": "vpc-0a1b2c3d4e5f60718",
        "subnetIds": ["subnet-0a1b2c3d4e5f60711"],
        "allowedCidrs": ["10.20.0.0/16", "2600:1f18:abcd::/56"],
    }
    (rule,) = render("dev", aws={"regions": [region]}).props(GROUP)["ingress"]

    assert rule["cidrBlocks"] == ["10.20.0.0/16"]
    assert rule["ipv6CidrBlocks"] == ["2600:1f18:abcd::/56"]


def test_runtime_endpoint_policy_allows_only_claude_invocation_for_this_account(
    dev_plan: Plan,
) -> None:
    (statement,) = statements(dev_plan.policy(ENDPOINT, "bedrock-runtime"))

    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}
    assert statement["Condition"] == {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}
    assert sorted(as_list(statement["Action"])) == [
        "bedrock:CountTokens",
        "bedrock:InvokeModel",
        "bedrock:InvokeModelWithResponseStream",
    ]
    resources = as_list(statement["Resource"])
    assert "*" not in resources
    assert all("anthropic.claude-" in arn for arn in resources)
    assert (
        "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-6"
        in resources
    )


def test_mantle_endpoint_policy_allows_only_create_inference_on_own_projects(
    prod_plan: Plan,
) -> None:
    (statement,) = statements(prod_plan.policy(ENDPOINT, "us-west-2-bedrock-mantle"))

    assert as_list(statement["Action"]) == ["bedrock-mantle:CreateInference"]
    assert as_list(statement["Resource"]) == [
        "arn:aws:bedrock-mantle:us-west-2:333344445555:project/*"
    ]


def test_mantle_can_be_turned_off(dev_plan: Plan) -> None:
    from tests.helpers import render

    plan = render("dev", aws={"mantle": False})

    assert [r["props"]["serviceName"] for r in plan.of_type(ENDPOINT)] == [
        "com.amazonaws.us-east-1.bedrock-runtime"
    ]
    assert [p["kind"] for p in plan.manifest["paths"]] == ["bedrock", "anthropic"]
