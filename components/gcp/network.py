"""Private access to Google APIs: Private Google Access, or a Private Service Connect endpoint.

Workloads without public IP addresses reach ``*-aiplatform.googleapis.com`` either way;
the difference is the address the names resolve to. With Private Google Access the
public names stay and traffic leaves the subnetwork through Google's own routes. With a
Private Service Connect endpoint the kit adds a private ``googleapis.com`` zone that
resolves every Google API name to an internal address in the VPC.

Subnetworks that exist already. The Google provider has no resource that flips one flag
on a subnetwork it does not own, so the kit owns the configured subnetworks: it
registers each one with ``privateIpGoogleAccess`` on, ignores every other property of it
(ranges, logging, stack type stay as their owners set them) and never deletes it (a
destroy only forgets it). An existing subnetwork must be imported into the stack once,
before the first ``pulumi up``::

    pulumi import gcp:compute/subnetwork:Subnetwork <name>-<region>-<subnetwork> \\
        projects/<project>/regions/<region>/subnetworks/<subnetwork> \\
        --parent <name>=<component URN> --provider gcp-<project>=<provider URN>

Without the import, ``pulumi up`` tries to create a subnetwork of that name, which fails
because it exists, and nothing is changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_gcp import dns

from components.by_token import TokenResource
from components.gcp.options import child_options

__all__ = [
    "PSC_TARGET",
    "GoogleApisPrivateAccess",
    "GoogleApisPrivateAccessArgs",
    "PscEndpoint",
    "Subnet",
]

PSC_TARGET = "all-apis"
"""The Google API bundle behind the endpoint; it includes Vertex AI."""

PRIVATE_NAME = "private.googleapis.com."
"""The name that carries the endpoint's address inside the private zone."""

SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
GLOBAL_ADDRESS = "gcp:compute/globalAddress:GlobalAddress"
GLOBAL_FORWARDING_RULE = "gcp:compute/globalForwardingRule:GlobalForwardingRule"
"""The compute types the kit creates, registered by token (see :mod:`components.by_token`)."""

_SUBNET_PROPERTIES_LEFT_ALONE = [
    "allowSubnetCidrRoutesOverlap",
    "description",
    "externalIpv6Prefix",
    "internalIpv6Prefix",
    "ipCidrRange",
    "ipCollection",
    "ipv6AccessType",
    "logConfig",
    "params",
    "privateIpv6GoogleAccess",
    "purpose",
    "reservedInternalRange",
    "role",
    "secondaryIpRanges",
    "sendSecondaryIpRangeIfEmpty",
    "stackType",
]
"""Subnetwork properties that belong to the network's owners, not to the kit."""


@dataclass(frozen=True)
class Subnet:
    """A workload subnetwork by name and region."""

    name: str
    region: str


@dataclass(frozen=True)
class PscEndpoint:
    """A Private Service Connect endpoint for Google APIs.

    :param name: the forwarding rule's name (1 to 20 lowercase letters or digits).
    :param address: its internal IPv4 address in the VPC.
    :param zone_name: the private ``googleapis.com`` zone's name.
    """

    name: str
    address: str
    zone_name: str


@dataclass(frozen=True)
class GoogleApisPrivateAccessArgs:
    """The VPC, its workload subnetworks and, if asked for, the endpoint.

    :param project: the project that owns the VPC (a Shared VPC's host project).
    :param network: the VPC as ``projects/<project>/global/networks/<name>``.
    :param subnets: subnetworks that get Private Google Access.
    :param psc: the Private Service Connect endpoint, or ``None`` for Private Google
        Access alone.
    """

    project: str
    network: str
    subnets: Sequence[Subnet]
    psc: PscEndpoint | None


class GoogleApisPrivateAccess(pulumi.ComponentResource):
    """Google APIs, Vertex AI among them, reached from the VPC without public addresses.

    Creates, in order:

    1. per configured subnetwork, Private Google Access (see the module docstring on
       subnetworks that exist already);
    2. with Private Service Connect: an internal global address, a forwarding rule to
       the ``all-apis`` bundle on it, and a private ``googleapis.com`` zone for the VPC
       in which ``private.googleapis.com`` is that address and every other name is an
       alias of it.
    """

    psc_address: str | None

    def __init__(
        self,
        name: str,
        args: GoogleApisPrivateAccessArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        if not args.subnets and args.psc is None:
            raise TypeError("Expected subnets for Private Google Access or a psc endpoint")

        super().__init__("claude-access:gcp:GoogleApisPrivateAccess", name, None, opts)
        child = child_options(self, opts)

        # 1. Private Google Access on the workload subnetworks.
        for subnet in args.subnets:
            TokenResource(
                SUBNETWORK,
                f"{name}-{subnet.region}-{subnet.name}",
                {
                    "project": args.project,
                    "name": subnet.name,
                    "region": subnet.region,
                    "network": args.network,
                    "privateIpGoogleAccess": True,
                },
                pulumi.ResourceOptions.merge(
                    child,
                    pulumi.ResourceOptions(
                        retain_on_delete=True, ignore_changes=_SUBNET_PROPERTIES_LEFT_ALONE
                    ),
                ),
            )

        # 2. The Private Service Connect endpoint and its private zone.
        self.psc_address = None
        if args.psc is not None:
            psc = args.psc
            address = TokenResource(
                GLOBAL_ADDRESS,
                f"{name}-psc-address",
                {
                    "project": args.project,
                    "name": f"{psc.name}-address",
                    "description": "claude-access: the Private Service Connect endpoint for "
                    "Google APIs",
                    "addressType": "INTERNAL",
                    "purpose": "PRIVATE_SERVICE_CONNECT",
                    "network": args.network,
                    "address": psc.address,
                    "labels": None,
                },
                child,
            )
            TokenResource(
                GLOBAL_FORWARDING_RULE,
                f"{name}-psc",
                {
                    "project": args.project,
                    "name": psc.name,
                    "description": "claude-access: Google APIs (Vertex AI) inside the VPC",
                    "target": PSC_TARGET,
                    "network": args.network,
                    "ipAddress": address.id,
                    "loadBalancingScheme": "",
                    "labels": None,
                },
                child,
            )
            zone = dns.ManagedZone(
                f"{name}-googleapis",
                project=args.project,
                name=psc.zone_name,
                dns_name="googleapis.com.",
                description="claude-access: Google API names resolve to the PSC endpoint",
                visibility="private",
                private_visibility_config=dns.ManagedZonePrivateVisibilityConfigArgs(
                    networks=[
                        dns.ManagedZonePrivateVisibilityConfigNetworkArgs(network_url=args.network)
                    ]
                ),
                opts=child,
            )
            dns.RecordSet(
                f"{name}-googleapis-endpoint",
                project=args.project,
                managed_zone=zone.name,
                name=PRIVATE_NAME,
                type="A",
                ttl=300,
                rrdatas=[psc.address],
                opts=child,
            )
            dns.RecordSet(
                f"{name}-googleapis-names",
                project=args.project,
                managed_zone=zone.name,
                name="*.googleapis.com.",
                type="CNAME",
                ttl=300,
                rrdatas=[PRIVATE_NAME],
                opts=child,
            )
            self.psc_address = psc.address

        self.register_outputs({"pscAddress": self.psc_address})
