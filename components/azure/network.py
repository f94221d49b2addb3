"""Private access to a Foundry account: its private endpoint and private DNS."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import privatedns

from components.azure import data
from components.by_token import TokenResource

__all__ = ["FoundryPrivateAccess", "FoundryPrivateAccessArgs"]

PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint"
PRIVATE_DNS_ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
"""The network types the kit creates, registered by token (see :mod:`components.by_token`)."""


@dataclass(frozen=True)
class FoundryPrivateAccessArgs:
    """Where the endpoint goes and which network resolves the account's names.

    :param resource_group_name: the resource group of the endpoint and the DNS zones.
    :param location: the region of the subnet's VNet, where the endpoint must be.
    :param endpoint_name: the private endpoint's name.
    :param subnet_id: the subnet that gets the endpoint's network interface.
    :param virtual_network_id: the VNet the DNS zones are linked to.
    :param account_id: the Foundry account the endpoint connects to.
    """

    resource_group_name: pulumi.Input[str]
    location: str
    endpoint_name: str
    subnet_id: str
    virtual_network_id: str
    account_id: pulumi.Input[str]


class FoundryPrivateAccess(pulumi.ComponentResource):
    """A private endpoint for the account, and DNS that sends its names there.

    Creates, in order:

    1. a private endpoint in the configured subnet, connected to the account's
       ``account`` sub-resource (approved automatically, being in the same tenant);
    2. for each zone in :data:`components.azure.data.PRIVATE_DNS_ZONES`, the private
       DNS zone and its link to the VNet (auto-registration off: only the endpoint's
       records belong there);
    3. a DNS zone group on the endpoint with all the zones, which makes Azure write and
       keep the endpoint's A records in them.

    With these, ``<account>.services.ai.azure.com`` resolves to the endpoint's private
    address inside the VNet, and the account's public address refuses traffic anyway.
    """

    endpoint_id: pulumi.Output[str]
    zone_ids: dict[str, pulumi.Output[str]]

    def __init__(
        self,
        name: str,
        args: FoundryPrivateAccessArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("claude-access:azure:FoundryPrivateAccess", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        # 1. The endpoint.
        endpoint = TokenResource(
            PRIVATE_ENDPOINT,
            f"{name}-endpoint",
            {
                "privateEndpointName": args.endpoint_name,
                "resourceGroupName": args.resource_group_name,
                "location": args.location,
                "subnet": {"id": args.subnet_id},
                "privateLinkServiceConnections": [
                    {
                        "name": args.endpoint_name,
                        "privateLinkServiceId": args.account_id,
                        "groupIds": [data.PRIVATE_LINK_GROUP],
                    }
                ],
                "tags": {},
            },
            child,
            outputs=["name"],
        )

        # 2. The zones, each linked to the VNet.
        self.zone_ids = {}
        for zone_name in data.PRIVATE_DNS_ZONES:
            slug = zone_name.removeprefix("privatelink.").replace(".", "-")
            zone = privatedns.PrivateZone(
                f"{name}-{slug}",
                private_zone_name=zone_name,
                resource_group_name=args.resource_group_name,
                location="global",
                tags={},
                opts=child,
            )
            privatedns.VirtualNetworkLink(
                f"{name}-{slug}-link",
                virtual_network_link_name=f"{args.endpoint_name}-vnet",
                private_zone_name=zone.name,
                resource_group_name=args.resource_group_name,
                location="global",
                virtual_network=privatedns.SubResourceArgs(id=args.virtual_network_id),
                registration_enabled=False,
                tags={},
                opts=child,
            )
            self.zone_ids[zone_name] = zone.id

        # 3. The zone group that keeps the endpoint's records in the zones.
        TokenResource(
            PRIVATE_DNS_ZONE_GROUP,
            f"{name}-zones",
            {
                "privateDnsZoneGroupName": "default",
                "privateEndpointName": endpoint.get("name"),
                "resourceGroupName": args.resource_group_name,
                "privateDnsZoneConfigs": [
                    {"name": zone_name.replace(".", "-"), "privateDnsZoneId": zone_id}
                    for zone_name, zone_id in self.zone_ids.items()
                ],
            },
            child,
        )

        self.endpoint_id = endpoint.id
        self.register_outputs({"endpointId": endpoint.id, "zoneIds": self.zone_ids})
