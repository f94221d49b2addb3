"""Network rules: Claude is reached over private endpoints, never over the open internet.

- Bedrock interface endpoints with private DNS, a restrictive endpoint policy and security
  groups that admit no address on the internet;
- Foundry accounts with public network access off, a deny-by-default network ACL and a
  private endpoint;
- Vertex AI reached through Private Google Access or a Private Service Connect endpoint.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .base import (
    Context,
    Finding,
    Resource,
    ResourceRule,
    StackRule,
    as_list,
    get,
    is_unknown,
    known_strings,
)
from .clouds import (
    FOUNDRY_ACCOUNT,
    GCP_GLOBAL_FORWARDING_RULE,
    GCP_SUBNETWORK,
    PRIVATE_ENDPOINT,
    SECURITY_GROUP,
    SECURITY_GROUP_INGRESS_RULE,
    SECURITY_GROUP_RULE,
    VPC_ENDPOINT,
    VPC_ENDPOINT_POLICY,
    bedrock_endpoint_service,
    cloud_of,
    is_bedrock_endpoint,
)
from .documents import Document, is_wildcard_resource, load_document

__all__ = ["RULES"]

logger = logging.getLogger(__name__)

_WILDCARD_ACTIONS = frozenset({"*", "*:*", "bedrock:*", "bedrock-mantle:*"})
_PSC_TARGETS = frozenset({"all-apis", "vpc-sc"})


# --- Bedrock endpoints ------------------------------------------------------------------


def check_bedrock_endpoint_private(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """A Bedrock endpoint must be an interface endpoint that takes over the public hostname.

    Without private DNS the SDK's default ``bedrock-runtime.<region>.amazonaws.com``
    still resolves to the public service, so traffic silently bypasses the endpoint.
    """
    if resource_type != VPC_ENDPOINT:
        return
    service = bedrock_endpoint_service(props)
    if service is None:
        return

    kind = props.get("vpcEndpointType")
    if not is_unknown(kind) and str(kind or "Gateway").lower() != "interface":
        yield (
            f"the {service} endpoint is of type {kind or 'Gateway (the default)'}; set "
            "vpcEndpointType to 'Interface' so calls go to private IPs in your subnets"
        )

    dns = props.get("privateDnsEnabled")
    if not is_unknown(dns) and dns is not True:
        yield (
            f"the {service} endpoint has privateDnsEnabled {dns!r}; set it to true so the "
            f"default {service} hostname resolves to the endpoint, not the public service"
        )


def _open_cidrs(values: Any) -> list[str]:
    found = []
    for value in known_strings(values):
        try:
            if ipaddress.ip_network(value, strict=False).prefixlen == 0:
                found.append(value)
        except ValueError:
            continue
    return found


def _group_ingress_open(group: Resource) -> list[str]:
    cidrs: list[str] = []
    for rule in as_list(group.props.get("ingress")):
        cidrs += _open_cidrs(get(rule, "cidrBlocks")) + _open_cidrs(get(rule, "ipv6CidrBlocks"))
    return cidrs


def _standalone_rule_open(rule: Resource) -> list[str]:
    if rule.type == SECURITY_GROUP_INGRESS_RULE:
        return _open_cidrs(rule.props.get("cidrIpv4")) + _open_cidrs(rule.props.get("cidrIpv6"))
    if rule.type == SECURITY_GROUP_RULE and rule.props.get("type") == "ingress":
        return _open_cidrs(rule.props.get("cidrBlocks")) + _open_cidrs(
            rule.props.get("ipv6CidrBlocks")
        )
    return []


def check_bedrock_endpoint_no_open_ingress(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """No security group on a Bedrock endpoint may admit the whole internet.

    Joins each Bedrock endpoint to its groups through ``securityGroupIds``, then reads the
    groups' inline ``ingress`` and the standalone ingress rules attached to them. Groups
    that live outside the stack cannot be read and are not judged.
    """
    endpoints = [r for r in resources if is_bedrock_endpoint(r)]
    groups = [r for r in resources if r.type == SECURITY_GROUP]
    standalone = [
        r for r in resources if r.type in (SECURITY_GROUP_INGRESS_RULE, SECURITY_GROUP_RULE)
    ]

    attached: dict[str, list[str]] = {}
    for endpoint in endpoints:
        ids = endpoint.props.get("securityGroupIds")
        if not is_unknown(ids) and not as_list(ids) and not endpoint.refs.get("securityGroupIds"):
            yield Finding(
                f"Bedrock endpoint {endpoint.name} has no security group, so the VPC's "
                "default group applies; attach a group that admits HTTPS (443) from your "
                "workload subnets only",
                endpoint.urn,
            )
            continue
        for group in groups:
            if endpoint.refers_to("securityGroupIds", group, group.identifiers()):
                attached.setdefault(group.urn, []).append(endpoint.name)

    for group in groups:
        if group.urn not in attached:
            continue
        served = ", ".join(attached[group.urn])
        for cidr in _group_ingress_open(group):
            yield Finding(
                f"security group {group.name} (on Bedrock endpoint {served}) admits {cidr} in "
                "its ingress; allow only your workload subnets' CIDRs or security groups",
                group.urn,
            )
        group_ids = group.identifiers()
        for rule in standalone:
            if not rule.refers_to("securityGroupId", group, group_ids):
                continue
            for cidr in _standalone_rule_open(rule):
                yield Finding(
                    f"ingress rule {rule.name} opens security group {group.name} (on Bedrock "
                    f"endpoint {served}) to {cidr}; allow only your workload subnets' CIDRs "
                    "or security groups",
                    rule.urn,
                )


def _open_statements(document: Document) -> Iterator[str]:
    for statement in document.statements:
        if not statement.allows:
            continue
        for negated in ("NotAction", "NotPrincipal", "NotResource"):
            if statement.uses(negated):
                yield (
                    f"{statement.label} allows with {negated}, which grants everything not "
                    f"listed; name what is allowed instead"
                )
        wildcards = [a for a in statement.actions if a.lower() in _WILDCARD_ACTIONS]
        if wildcards:
            yield (
                f"{statement.label} allows {', '.join(wildcards)}; allow only the invoke "
                "actions (bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream, "
                "bedrock-mantle:CreateInference)"
            )
        elif (
            statement.principal_is_anyone
            and any(is_wildcard_resource(r) for r in statement.resources)
            and not statement.has_condition
        ):
            yield (
                f"{statement.label} allows any principal on every resource with no "
                "condition; name your model ARNs and narrow the principal to your account "
                "(or add an aws:PrincipalAccount / aws:PrincipalOrgID condition)"
            )


def check_bedrock_endpoint_policy(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """Every Bedrock endpoint carries a policy narrower than AWS's allow-everything default.

    The policy may sit on the endpoint (``policy``) or in a separate
    ``aws:ec2/vpcEndpointPolicy`` resource joined by ``vpcEndpointId``.
    """
    separate = [r for r in resources if r.type == VPC_ENDPOINT_POLICY]
    for endpoint in (r for r in resources if is_bedrock_endpoint(r)):
        sources: list[tuple[Resource, Any]] = [(endpoint, endpoint.props.get("policy"))]
        ids = endpoint.identifiers()
        sources += [
            (policy, policy.props.get("policy"))
            for policy in separate
            if policy.refers_to("vpcEndpointId", endpoint, ids)
        ]
        raw_values = [raw for _, raw in sources]
        if any(is_unknown(raw) for raw in raw_values):
            continue
        if not any(raw for raw in raw_values):
            yield Finding(
                f"Bedrock endpoint {endpoint.name} has no policy, so AWS's default lets any "
                "principal perform any action through it; set policy to allow only the "
                "invoke actions on your allowed models for your account's principals",
                endpoint.urn,
            )
            continue
        for owner, raw in sources:
            document = load_document("policy", raw)
            if isinstance(document, str):
                yield Finding(document, owner.urn)
            elif document is not None:
                for message in _open_statements(document):
                    yield Finding(f"endpoint {endpoint.name}: {message}", owner.urn)


# --- Foundry ------------------------------------------------------------------------------


def check_foundry_public_access_disabled(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """A Foundry account accepts no traffic from public networks."""
    if resource_type != FOUNDRY_ACCOUNT:
        return
    public = get(props, "properties", "publicNetworkAccess")
    if not is_unknown(public) and str(public or "Enabled").lower() != "disabled":
        yield (
            f"properties.publicNetworkAccess is {public or 'unset (Enabled)'}; set it to "
            "'Disabled' so the account is reachable only through its private endpoint"
        )
    action = get(props, "properties", "networkAcls", "defaultAction")
    if not is_unknown(action) and str(action or "Allow").lower() != "deny":
        yield (
            f"properties.networkAcls.defaultAction is {action or 'unset (Allow)'}; set it to "
            "'Deny' so that only the rules you list admit traffic"
        )


def _links_to(endpoint: Resource, account: Resource) -> bool | None:
    """Whether a private endpoint connects to ``account``; ``None`` when it cannot be told."""
    account_ids = account.identifiers()
    name = account.props.get("accountName")
    undecided = False
    for key in ("privateLinkServiceConnections", "manualPrivateLinkServiceConnections"):
        if account.urn in endpoint.refs.get(key, ()):
            return True
        connections = endpoint.props.get(key)
        if is_unknown(connections):
            undecided = True
            continue
        for connection in as_list(connections):
            target = get(connection, "privateLinkServiceId")
            if is_unknown(target):
                undecided = True
            elif isinstance(target, str):
                if target in account_ids:
                    return True
                if isinstance(name, str) and target.lower().endswith(f"/accounts/{name.lower()}"):
                    return True
    return None if undecided else False


def check_foundry_private_endpoint(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """Every Foundry account has a private endpoint in the stack."""
    endpoints = [r for r in resources if r.type == PRIVATE_ENDPOINT]
    for account in (r for r in resources if r.type == FOUNDRY_ACCOUNT):
        verdicts = [_links_to(endpoint, account) for endpoint in endpoints]
        if True in verdicts or None in verdicts:
            continue
        yield Finding(
            f"Foundry account {account.name} has no private endpoint; add an "
            "azure-native:network:PrivateEndpoint in your VNet whose "
            "privateLinkServiceConnections name the account's id with groupIds ['account']",
            account.urn,
        )


# --- Vertex AI ----------------------------------------------------------------------------


def check_vertex_private_access(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """Vertex AI calls leave the VPC privately when ``vertexAccess`` is ``private``.

    A Private Service Connect endpoint for Google APIs (a global forwarding rule with
    target ``all-apis`` or ``vpc-sc``) satisfies the rule; otherwise every subnetwork in
    the stack needs Private Google Access, and there must be at least one.
    ``managed-elsewhere`` declares that the route is provided outside this stack.
    """
    if config.get("vertexAccess") != "private":
        return
    if not any(cloud_of(r.type) == "gcp" for r in resources):
        return

    for rule in (r for r in resources if r.type == GCP_GLOBAL_FORWARDING_RULE):
        target = rule.props.get("target")
        if is_unknown(target) or str(target).lower() in _PSC_TARGETS:
            return

    subnetworks = [r for r in resources if r.type == GCP_SUBNETWORK]
    if not subnetworks:
        yield Finding(
            "Vertex AI is in use but the stack has neither a subnetwork with "
            "privateIpGoogleAccess nor a Private Service Connect endpoint for Google APIs; "
            "add a gcp:compute/globalForwardingRule with target 'all-apis' (or 'vpc-sc'), or "
            "set vertexAccess to 'managed-elsewhere' if the network lives in another stack",
        )
        return
    for subnetwork in subnetworks:
        enabled = subnetwork.props.get("privateIpGoogleAccess")
        if not is_unknown(enabled) and enabled is not True:
            yield Finding(
                f"subnetwork {subnetwork.name} has privateIpGoogleAccess {enabled!r}; set it "
                "to true (or add a Private Service Connect endpoint for Google APIs) so "
                "Vertex AI is reached without public IPs",
                subnetwork.urn,
            )


# --- the rules ------------------------------------------------------------------------------

RULES = (
    ResourceRule(
        name="bedrock-endpoint-private",
        concern="network",
        description=(
            "Bedrock endpoints (bedrock-runtime, bedrock-mantle) are Interface VPC endpoints "
            "with private DNS enabled."
        ),
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Create the endpoint with vpcEndpointType 'Interface' and privateDnsEnabled true, "
            "in the subnets your workloads use."
        ),
        check=check_bedrock_endpoint_private,
    ),
    StackRule(
        name="bedrock-endpoint-no-open-ingress",
        concern="network",
        description=(
            "No security group attached to a Bedrock endpoint admits 0.0.0.0/0 or ::/0, and "
            "every Bedrock endpoint has a security group of its own."
        ),
        severity="critical",
        enforcement="mandatory",
        remediation=(
            "Give the endpoint a dedicated security group whose ingress admits TCP 443 only "
            "from the workload subnets' CIDRs or security groups; remove any 0.0.0.0/0 or "
            "::/0 ingress from the group and from standalone ingress rules on it."
        ),
        check=check_bedrock_endpoint_no_open_ingress,
    ),
    StackRule(
        name="bedrock-endpoint-policy-restrictive",
        concern="network",
        description=(
            "Every Bedrock endpoint has a policy, and no Allow statement in it grants every "
            "action or lets anyone act on every resource unconditionally."
        ),
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Set the endpoint's policy (or an aws:ec2/vpcEndpointPolicy) to allow only the "
            "invoke actions on the allowed model and inference-profile ARNs, for principals "
            "of your account (an aws:PrincipalAccount condition)."
        ),
        check=check_bedrock_endpoint_policy,
    ),
    ResourceRule(
        name="foundry-public-access-disabled",
        concern="network",
        description=(
            "Foundry (AI Services) accounts have publicNetworkAccess 'Disabled' and a network "
            "ACL whose defaultAction is 'Deny'."
        ),
        severity="critical",
        enforcement="mandatory",
        remediation=(
            "Set properties.publicNetworkAccess to 'Disabled' and "
            "properties.networkAcls.defaultAction to 'Deny' on the account; reach it through "
            "its private endpoint."
        ),
        check=check_foundry_public_access_disabled,
    ),
    StackRule(
        name="foundry-private-endpoint",
        concern="network",
        description="Every Foundry account has a private endpoint connected to it.",
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Add an azure-native:network:PrivateEndpoint whose privateLinkServiceConnections "
            "entry has privateLinkServiceId set to the account's id and groupIds ['account'], "
            "with the privatelink.cognitiveservices.azure.com and "
            "privatelink.services.ai.azure.com DNS zones linked to the VNet."
        ),
        check=check_foundry_private_endpoint,
    ),
    StackRule(
        name="vertex-private-access",
        concern="network",
        description=(
            "When Vertex AI is used, Google APIs are reached privately: Private Google Access "
            "on every subnetwork, or a Private Service Connect endpoint for Google APIs."
        ),
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Set privateIpGoogleAccess true on the workload subnetworks, or add a "
            "gcp:compute/globalForwardingRule with target 'all-apis' (or 'vpc-sc') and a "
            "private DNS zone for googleapis.com."
        ),
        params={
            "vertexAccess": {
                "type": "string",
                "enum": ["private", "managed-elsewhere", "public"],
                "default": "private",
                "description": (
                    "'private': this stack must provide a private route to Google APIs; "
                    "'managed-elsewhere': another stack provides it; 'public': not required."
                ),
            }
        },
        check=check_vertex_private_access,
    ),
)
