"""Ids and computed properties of azure resources under the mock engine.

Each maker takes (name, inputs, account id, region) and returns (id, state), derived
deterministically from the name as in :mod:`claude_access.fakes`. For Azure resources
the account id is the subscription of the resource's provider and the region its
location, so ids come out as ARM builds them:
``/subscriptions/<sub>/resourceGroups/<group>/providers/<namespace>/<type>/<name>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from claude_access.fake_ids import hex_of as _hex
from claude_access.fake_ids import uuid_of as _uuid

__all__ = ["MAKERS"]

State = dict[str, Any]

_TENANT_SEED = "azure-tenant"


def _group_scope(subscription: str, state: State) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{state.get('resourceGroupName')}"


def _named(state: State, key: str, name: str) -> str:
    """The resource's own name input, or a generated one as azure-native would make."""
    value = state.get(key)
    return value if isinstance(value, str) and value else f"{name}{_hex(name, 8)}"


def _resource_group(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
    group = _named(state, "resourceGroupName", name)
    state.update(name=group, resourceGroupName=group)
    return f"/subscriptions/{subscription}/resourceGroups/{group}", state


def _account(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
    account = _named(state, "accountName", name)
    subdomain = (state.get("properties") or {}).get("customSubDomainName") or account
    identity = dict(state.get("identity") or {})
    identity.update(principalId=_uuid("account-principal" + name), tenantId=_uuid(_TENANT_SEED))
    # Requests list the user-assigned identities; responses map each id to its details.
    assigned = identity.get("userAssignedIdentities")
    if isinstance(assigned, list):
        identity["userAssignedIdentities"] = {
            str(key): {"principalId": _uuid("principal" + str(key)), "clientId": _uuid(str(key))}
            for key in assigned
        }
    properties = dict(state.get("properties") or {})
    properties.update(
        endpoint=f"https://{subdomain}.cognitiveservices.azure.com/",
        endpoints={
            "AI Foundry API": f"https://{subdomain}.services.ai.azure.com/",
            "OpenAI Language Model Instance API": f"https://{subdomain}.openai.azure.com/",
        },
        provisioningState="Succeeded",
    )
    state.update(name=account, identity=identity, properties=properties)
    resource_id = (
        f"{_group_scope(subscription, state)}/providers/Microsoft.CognitiveServices/"
        f"accounts/{account}"
    )
    return resource_id, state


def _generic(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
    resource = _named(state, "resourceName", name)
    parent = state.get("parentResourcePath")
    path = f"{parent}/" if parent else ""
    resource_id = (
        f"{_group_scope(subscription, state)}/providers/"
        f"{state.get('resourceProviderNamespace')}/{path}{state.get('resourceType')}/{resource}"
    )
    state.update(name=resource)
    return resource_id, state


def _private_endpoint(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
    endpoint = _named(state, "privateEndpointName", name)
    group = _group_scope(subscription, state)
    nic = f"{endpoint}.nic.{_uuid('nic' + name)}"
    state.update(
        name=endpoint,
        networkInterfaces=[{"id": f"{group}/providers/Microsoft.Network/networkInterfaces/{nic}"}],
        provisioningState="Succeeded",
    )
    return f"{group}/providers/Microsoft.Network/privateEndpoints/{endpoint}", state


def _private_zone(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
    zone = _named(state, "privateZoneName", name)
    state.update(name=zone)
    group = _group_scope(subscription, state)
    return f"{group}/providers/Microsoft.Network/privateDnsZones/{zone}", state


def _zone_link(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
    link = _named(state, "virtualNetworkLinkName", name)
    state.update(name=link, virtualNetworkLinkState="Completed")
    zone = f"{_group_scope(subscription, state)}/providers/Microsoft.Network/privateDnsZones/"
    return f"{zone}{state.get('privateZoneName')}/virtualNetworkLinks/{link}", state


def _zone_group(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
    zone_group = _named(state, "privateDnsZoneGroupName", name)
    state.update(name=zone_group)
    endpoint = (
        f"{_group_scope(subscription, state)}/providers/Microsoft.Network/privateEndpoints/"
        f"{state.get('privateEndpointName')}"
    )
    return f"{endpoint}/privateDnsZoneGroups/{zone_group}", state


def _identity(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
    identity = _named(state, "resourceName", name)
    state.update(
        name=identity,
        clientId=_uuid("client" + name),
        principalId=_uuid("principal" + name),
        tenantId=_uuid(_TENANT_SEED),
    )
    group = _group_scope(subscription, state)
    return f"{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identity}", state


def _role_assignment(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
    assignment = state.get("roleAssignmentName") or _uuid("assignment" + name)
    state.update(name=assignment)
    resource_id = (
        f"{state.get('scope')}/providers/Microsoft.Authorization/roleAssignments/{assignment}"
    )
    return resource_id, state


def _workspace(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
    workspace = _named(state, "workspaceName", name)
    state.update(name=workspace, customerId=_uuid("workspace" + name))
    group = _group_scope(subscription, state)
    return f"{group}/providers/Microsoft.OperationalInsights/workspaces/{workspace}", state


def _diagnostic_setting(
    name: str, state: State, subscription: str, region: str
) -> tuple[str, State]:
    setting = _named(state, "name", name)
    state.update(name=setting)
    resource_id = (
        f"{state.get('resourceUri')}/providers/Microsoft.Insights/diagnosticSettings/{setting}"
    )
    return resource_id, state


def _insights(kind: str, key: str) -> Callable[[str, State, str, str], tuple[str, State]]:
    """A maker for a Microsoft.Insights resource of the resource group, named by ``key``."""

    def make(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
        resource = _named(state, key, name)
        state.update(name=resource)
        group = _group_scope(subscription, state)
        return f"{group}/providers/Microsoft.Insights/{kind}/{resource}", state

    return make


def _budget(name: str, state: State, subscription: str, region: str) -> tuple[str, State]:
    budget = _named(state, "budgetName", name)
    state.update(name=budget, eTag=f'"{_hex("etag" + name, 16)}"')
    return f"{state.get('scope')}/providers/Microsoft.Consumption/budgets/{budget}", state


MAKERS: dict[str, Callable[[str, State, str, str], tuple[str, State]]] = {
    "azure-native:resources:ResourceGroup": _resource_group,
    "azure-native:resources:Resource": _generic,
    "azure-native:cognitiveservices:Account": _account,
    "azure-native:network:PrivateEndpoint": _private_endpoint,
    "azure-native:network:PrivateDnsZoneGroup": _zone_group,
    "azure-native:privatedns:PrivateZone": _private_zone,
    "azure-native:privatedns:VirtualNetworkLink": _zone_link,
    "azure-native:managedidentity:UserAssignedIdentity": _identity,
    "azure-native:authorization:RoleAssignment": _role_assignment,
    "azure-native:operationalinsights:Workspace": _workspace,
    "azure-native:monitor:DiagnosticSetting": _diagnostic_setting,
    "azure-native:monitor:ActionGroup": _insights("actionGroups", "actionGroupName"),
    "azure-native:monitor:MetricAlert": _insights("metricAlerts", "ruleName"),
    "azure-native:consumption:Budget": _budget,
}
