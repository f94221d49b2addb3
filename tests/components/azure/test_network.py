"""Private access: an endpoint in the configured subnet and DNS zones that point to it."""

from __future__ import annotations

from tests.helpers import Plan, render

ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE = "azure-native:privatedns:PrivateZone"
LINK = "azure-native:privatedns:VirtualNetworkLink"
ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
ACCOUNT = "azure-native:cognitiveservices:Account"
SUBSCRIPTION = "7c1e4b2a-9d3f-4e8a-b5c6-2f1a0d9e8b7c"
VNET = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-network-prod/providers/"
    "Microsoft.Network/virtualNetworks/vnet-prod-eastus2"
)
ZONES = [
    "privatelink.cognitiveservices.azure.com",
    "privatelink.openai.azure.com",
    "privatelink.services.ai.azure.com",
]


def test_the_endpoint_sits_in_the_configured_subnet_and_connects_to_the_account(
    prod_plan: Plan,
) -> None:
    endpoint = prod_plan.props(ENDPOINT)
    (connection,) = endpoint["privateLinkServiceConnections"]

    assert endpoint["subnet"]["id"] == f"{VNET}/subnets/snet-private-endpoints"
    assert endpoint["location"] == "eastus2"
    assert endpoint["resourceGroupName"] == "rg-claude-access-prod"
    assert connection["privateLinkServiceId"] == prod_plan.one(ACCOUNT)["id"]
    assert connection["groupIds"] == ["account"]
    assert "manualPrivateLinkServiceConnections" not in endpoint


def test_each_private_dns_zone_is_global_and_linked_to_the_vnet_without_registration(
    prod_plan: Plan,
) -> None:
    zones = {z["props"]["privateZoneName"]: z for z in prod_plan.of_type(ZONE)}
    links = {link["props"]["privateZoneName"]: link["props"] for link in prod_plan.of_type(LINK)}

    assert sorted(zones) == ZONES
    assert sorted(links) == ZONES
    for zone in zones.values():
        assert zone["props"]["location"] == "global"
    for link in links.values():
        assert link["virtualNetwork"] == {"id": VNET}
        assert link["registrationEnabled"] is False
        assert link["location"] == "global"


def test_the_zone_group_puts_the_endpoint_in_every_zone(prod_plan: Plan) -> None:
    group = prod_plan.props(ZONE_GROUP)
    zone_ids = {z["id"] for z in prod_plan.of_type(ZONE)}

    assert group["privateEndpointName"] == prod_plan.props(ENDPOINT)["privateEndpointName"]
    assert {c["privateDnsZoneId"] for c in group["privateDnsZoneConfigs"]} == zone_ids
    assert len(group["privateDnsZoneConfigs"]) == 3


def test_the_zones_can_be_linked_to_another_vnet_and_the_endpoint_placed_in_its_region() -> None:
    hub = VNET.replace("vnet-prod-eastus2", "vnet-hub-centralus")
    plan = render(
        "prod", azure={"privateEndpoint": {"virtualNetworkId": hub, "location": "centralus"}}
    )

    assert {link["props"]["virtualNetwork"]["id"] for link in plan.of_type(LINK)} == {hub}
    assert plan.props(ENDPOINT)["location"] == "centralus"
    assert plan.props(ACCOUNT)["location"] == "eastus2"
