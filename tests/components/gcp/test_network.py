"""Private access to Google APIs: Private Google Access in staging, PSC in prod."""

from __future__ import annotations

from policies import offline
from tests.helpers import Plan, render

SUBNET = "gcp:compute/subnetwork:Subnetwork"
ADDRESS = "gcp:compute/globalAddress:GlobalAddress"
RULE = "gcp:compute/globalForwardingRule:GlobalForwardingRule"
ZONE = "gcp:dns/managedZone:ManagedZone"
RECORD = "gcp:dns/recordSet:RecordSet"
PSC_TYPES = (ADDRESS, RULE, ZONE, RECORD)


def test_staging_turns_on_private_google_access_on_its_subnetwork(staging_plan: Plan) -> None:
    (subnet,) = staging_plan.of_type(SUBNET)

    assert subnet["props"] == {
        "project": "acme-claude-staging",
        "name": "apps-us-east5",
        "region": "us-east5",
        "network": "projects/acme-claude-staging/global/networks/workloads-staging",
        "privateIpGoogleAccess": True,
    }


def test_staging_has_no_private_service_connect_endpoint(staging_plan: Plan) -> None:
    for type_ in PSC_TYPES:
        assert not staging_plan.of_type(type_)


def test_prod_reaches_google_apis_through_a_psc_endpoint(prod_plan: Plan) -> None:
    address = prod_plan.one(ADDRESS)
    rule = prod_plan.props(RULE)
    network = "projects/acme-claude-prod/global/networks/workloads-prod"

    assert address["props"]["purpose"] == "PRIVATE_SERVICE_CONNECT"
    assert address["props"]["addressType"] == "INTERNAL"
    assert address["props"]["address"] == "10.250.0.5"
    assert address["props"]["network"] == network
    assert rule["target"] == "all-apis"
    assert rule["ipAddress"] == address["id"]
    assert rule["network"] == network
    assert rule["loadBalancingScheme"] == ""
    assert rule["name"] == "claudeprod"


def test_prod_resolves_every_google_api_name_to_the_endpoint_inside_the_vpc(
    prod_plan: Plan,
) -> None:
    zone = prod_plan.one(ZONE)
    records = {r["props"]["type"]: r["props"] for r in prod_plan.of_type(RECORD)}

    assert zone["props"]["dnsName"] == "googleapis.com."
    assert zone["props"]["visibility"] == "private"
    assert zone["props"]["privateVisibilityConfig"] == {
        "networks": [{"networkUrl": "projects/acme-claude-prod/global/networks/workloads-prod"}]
    }
    assert set(records) == {"A", "CNAME"}
    assert records["A"]["name"] == "private.googleapis.com."
    assert records["A"]["rrdatas"] == ["10.250.0.5"]
    assert records["CNAME"]["name"] == "*.googleapis.com."
    assert records["CNAME"]["rrdatas"] == ["private.googleapis.com."]
    for record in records.values():
        assert record["managedZone"] == zone["props"]["name"]


def test_prod_subnetworks_get_private_google_access_too(prod_plan: Plan) -> None:
    subnets = {(s["props"]["name"], s["props"]["region"]) for s in prod_plan.of_type(SUBNET)}

    assert subnets == {("apps-us-east5", "us-east5"), ("apps-europe-west1", "europe-west1")}
    assert all(s["props"]["privateIpGoogleAccess"] is True for s in prod_plan.of_type(SUBNET))


def test_the_shipped_stacks_pass_the_private_access_policy(
    staging_plan: Plan, prod_plan: Plan
) -> None:
    for plan in (staging_plan, prod_plan):
        violations = offline.check(plan.document)
        assert [v for v in violations if v.policy == "vertex-private-access"] == []


def test_without_a_network_nothing_is_created_and_the_policy_objects() -> None:
    plan = render("staging", gcp={"network": None})

    for type_ in (SUBNET, *PSC_TYPES):
        assert not plan.of_type(type_)
    assert [v.policy for v in offline.check(plan.document)] == ["vertex-private-access"]


def test_a_shared_vpc_puts_the_network_resources_in_its_host_project() -> None:
    shared = "projects/acme-net-host/global/networks/shared"
    plan = render(
        "staging",
        gcp={
            "network": {
                "network": shared,
                "mode": "privateServiceConnect",
                "pscAddress": "10.9.9.9",
                "pscEndpointName": "vertexpsc",
                "subnets": [],
            }
        },
    )

    assert plan.props(RULE)["project"] == "acme-net-host"
    assert plan.props(RULE)["network"] == shared
    assert plan.props(RULE)["name"] == "vertexpsc"
    assert plan.props(ADDRESS)["project"] == "acme-net-host"
    assert plan.props(ZONE)["project"] == "acme-net-host"
    assert not plan.of_type(SUBNET)
