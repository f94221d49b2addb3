"""Resources registered by type token register exactly what their SDK classes would."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi.runtime import mocks as pulumi_mocks

from components.by_token import TokenResource


class _Recorder(pulumi_mocks.Mocks):
    def __init__(self) -> None:
        self.registered: dict[str, tuple[str, dict[str, Any]]] = {}

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered[args.name] = (args.typ, dict(args.inputs))
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi_mocks.MockCallArgs) -> tuple[dict[str, Any], list[Any] | None]:
        return {}, None


def _register(program: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    recorder = _Recorder()
    pulumi_mocks.set_mocks(recorder, project="p", stack="s", preview=False)
    program()
    # Let the mock engine finish registering before the registrations are read.
    pulumi.runtime.sync_await._sync_await(pulumi.runtime.stack.wait_for_rpcs())
    return recorder.registered


def _sdk_subnetwork() -> None:
    from pulumi_gcp import compute

    compute.Subnetwork(
        "sdk",
        project="acme",
        name="apps",
        region="us-east5",
        network="projects/acme/global/networks/vpc",
        private_ip_google_access=True,
    )


def _token_subnetwork() -> None:
    TokenResource(
        "gcp:compute/subnetwork:Subnetwork",
        "token",
        {
            "project": "acme",
            "name": "apps",
            "region": "us-east5",
            "network": "projects/acme/global/networks/vpc",
            "privateIpGoogleAccess": True,
        },
    )


def _sdk_zone_group() -> None:
    from pulumi_azure_native import network

    network.PrivateDnsZoneGroup(
        "sdk",
        private_dns_zone_group_name="default",
        private_endpoint_name="pe",
        resource_group_name="rg",
        private_dns_zone_configs=[
            network.PrivateDnsZoneConfigArgs(name="z", private_dns_zone_id="/zones/z")
        ],
    )


def _token_zone_group() -> None:
    TokenResource(
        "azure-native:network:PrivateDnsZoneGroup",
        "token",
        {
            "privateDnsZoneGroupName": "default",
            "privateEndpointName": "pe",
            "resourceGroupName": "rg",
            "privateDnsZoneConfigs": [{"name": "z", "privateDnsZoneId": "/zones/z"}],
        },
    )


@pytest.mark.parametrize(
    ("sdk", "token"),
    [(_sdk_subnetwork, _token_subnetwork), (_sdk_zone_group, _token_zone_group)],
    ids=["gcp-subnetwork", "azure-zone-group"],
)
def test_the_registration_matches_the_sdk_class(sdk: Any, token: Any) -> None:
    by_sdk = _register(sdk)["sdk"]
    by_token = _register(token)["token"]
    assert by_token == by_sdk


def test_only_declared_outputs_are_readable() -> None:
    holder: dict[str, TokenResource] = {}

    def program() -> None:
        holder["r"] = TokenResource(
            "azure-native:network:PrivateEndpoint", "r", {"location": "eastus2"}, outputs=["name"]
        )

    _register(program)
    assert isinstance(holder["r"].get("name"), pulumi.Output)
    with pytest.raises(KeyError, match="declared outputs"):
        holder["r"].get("ipAddress")
