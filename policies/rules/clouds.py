"""Facts about the three clouds that several rules need: type tokens, regions, usage.

The type tokens are those of pulumi-aws 7, pulumi-gcp 9/10 and pulumi-azure-native 3.
Where a resource moved between modules across provider versions, both tokens are listed
so that the pack reads plans and stacks written against either.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from .base import Context, Resource, module_of

__all__ = [
    "AWS_BUDGET",
    "AZURE_BUDGET",
    "BEDROCK_LOGGING_TYPES",
    "BEDROCK_SERVICES",
    "DIAGNOSTIC_SETTING_TYPES",
    "FOUNDRY_ACCOUNT",
    "FOUNDRY_DEPLOYMENT",
    "GCP_BUCKET",
    "GCP_BUDGET",
    "GCP_GLOBAL_FORWARDING_RULE",
    "GCP_SUBNETWORK",
    "GENERIC_AZURE_RESOURCE",
    "KMS_KEY",
    "LOG_GROUP",
    "METRIC_ALARM",
    "PRIVATE_ENDPOINT",
    "S3_BUCKET",
    "SECURITY_GROUP",
    "SECURITY_GROUP_INGRESS_RULE",
    "SECURITY_GROUP_RULE",
    "VPC_ENDPOINT",
    "VPC_ENDPOINT_POLICY",
    "aws_region",
    "bedrock_endpoint_service",
    "bedrock_regions",
    "cloud_of",
    "is_bedrock_endpoint",
    "is_foundry_deployment",
    "provider_setting",
    "uses_bedrock",
]

VPC_ENDPOINT: Final = "aws:ec2/vpcEndpoint:VpcEndpoint"
VPC_ENDPOINT_POLICY: Final = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"
SECURITY_GROUP: Final = "aws:ec2/securityGroup:SecurityGroup"
SECURITY_GROUP_INGRESS_RULE: Final = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SECURITY_GROUP_RULE: Final = "aws:ec2/securityGroupRule:SecurityGroupRule"
S3_BUCKET: Final = "aws:s3/bucket:Bucket"
LOG_GROUP: Final = "aws:cloudwatch/logGroup:LogGroup"
METRIC_ALARM: Final = "aws:cloudwatch/metricAlarm:MetricAlarm"
KMS_KEY: Final = "aws:kms/key:Key"
AWS_BUDGET: Final = "aws:budgets/budget:Budget"

BEDROCK_LOGGING_TYPES: Final = frozenset(
    {
        "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration",
        "aws:bedrock/modelInvocationLoggingConfiguration:ModelInvocationLoggingConfiguration",
    }
)
"""Bedrock's model invocation logging configuration (pulumi-aws 7 uses the first)."""

GCP_BUDGET: Final = "gcp:billing/budget:Budget"
GCP_BUCKET: Final = "gcp:storage/bucket:Bucket"
GCP_SUBNETWORK: Final = "gcp:compute/subnetwork:Subnetwork"
GCP_GLOBAL_FORWARDING_RULE: Final = "gcp:compute/globalForwardingRule:GlobalForwardingRule"

FOUNDRY_ACCOUNT: Final = "azure-native:cognitiveservices:Account"
FOUNDRY_DEPLOYMENT: Final = "azure-native:cognitiveservices:Deployment"
GENERIC_AZURE_RESOURCE: Final = "azure-native:resources:Resource"
"""Any ARM resource by namespace, type and API version; a Foundry deployment written this
way (as the kit does, to send properties its pinned API version lacks) is one too."""
PRIVATE_ENDPOINT: Final = "azure-native:network:PrivateEndpoint"
DIAGNOSTIC_SETTING_TYPES: Final = frozenset(
    {"azure-native:monitor:DiagnosticSetting", "azure-native:insights:DiagnosticSetting"}
)
"""pulumi-azure-native 3 registers ``monitor``; ``insights`` is its older alias."""
AZURE_BUDGET: Final = "azure-native:consumption:Budget"

BEDROCK_SERVICES: Final = ("bedrock-runtime", "bedrock-mantle")
"""The endpoint services behind the ``bedrock`` and ``bedrock-mantle`` paths."""

_CLOUD_PREFIXES: Final = (("aws:", "aws"), ("gcp:", "gcp"), ("azure-native:", "azure"))


def cloud_of(resource_type: str) -> str | None:
    """``aws``, ``gcp`` or ``azure`` for a resource of that cloud's provider, else ``None``.

    Provider resources (``pulumi:providers:aws``) and components are of no cloud.
    """
    for prefix, cloud in _CLOUD_PREFIXES:
        if resource_type.startswith(prefix):
            return cloud
    return None


def bedrock_endpoint_service(props: Mapping[str, Any]) -> str | None:
    """``bedrock-runtime`` or ``bedrock-mantle`` for such an endpoint's props, else None."""
    service = props.get("serviceName")
    if not isinstance(service, str):
        return None
    suffix = service.rsplit(".", 1)[-1]
    return suffix if suffix in BEDROCK_SERVICES else None


def is_bedrock_endpoint(resource: Resource) -> bool:
    return resource.type == VPC_ENDPOINT and bedrock_endpoint_service(resource.props) is not None


def is_foundry_deployment(resource_type: str, props: Mapping[str, Any]) -> bool:
    """Whether a resource is a model deployment in a Foundry (Cognitive Services) account.

    That is ``cognitiveservices:Deployment``, or a generic ``resources:Resource`` whose
    ``resourceProviderNamespace`` is ``Microsoft.CognitiveServices`` and whose
    ``resourceType`` ends in ``deployments`` (``deployments`` under a parent path of
    ``accounts/<name>``, or ``accounts/deployments``). Case does not matter, as in ARM.
    """
    if resource_type == FOUNDRY_DEPLOYMENT:
        return True
    if resource_type != GENERIC_AZURE_RESOURCE:
        return False
    namespace = props.get("resourceProviderNamespace")
    kind = props.get("resourceType")
    if not isinstance(namespace, str) or not isinstance(kind, str):
        return False
    return (
        namespace.lower() == "microsoft.cognitiveservices"
        and kind.lower().rstrip("/").rsplit("/", 1)[-1] == "deployments"
    )


def provider_setting(provider: Resource | None, key: str) -> Any:
    """A provider's setting; nested settings may arrive JSON-encoded, as the engine keeps them."""
    if provider is None:
        return None
    value = provider.props.get(key)
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def aws_region(props: Mapping[str, Any], provider: Resource | None) -> Any:
    """The AWS region a resource lives in, :data:`UNKNOWN`, or ``None`` when not found.

    1. the resource's own ``region`` (pulumi-aws 7 takes one on most resources);
    2. for a VPC endpoint, the region inside its ``serviceName``;
    3. the ``region`` of its provider.
    """
    # 1. own region.
    own = props.get("region")
    if own is not None:
        return own

    # 2. endpoint service name: com.amazonaws.<region>.<service>.
    service = props.get("serviceName")
    if isinstance(service, str):
        parts = service.split(".")
        if len(parts) >= 4 and parts[0] == "com" and parts[1] == "amazonaws":
            return parts[2]

    # 3. provider.
    return provider_setting(provider, "region")


def uses_bedrock(resources: Sequence[Resource]) -> list[Resource]:
    """The resources that show the stack uses Bedrock: its endpoints and Bedrock resources."""
    used = []
    for resource in resources:
        package, module, _ = module_of(resource.type)
        if is_bedrock_endpoint(resource) or (
            package == "aws"
            and module.startswith("bedrock")
            and resource.type not in BEDROCK_LOGGING_TYPES
        ):
            used.append(resource)
    return used


def bedrock_regions(resources: Sequence[Resource], context: Context) -> dict[str, Resource]:
    """Each known region where the stack uses Bedrock, with one resource there for messages."""
    regions: dict[str, Resource] = {}
    for resource in uses_bedrock(resources):
        region = aws_region(resource.props, context.provider_of(resource))
        if isinstance(region, str) and region:
            regions.setdefault(region, resource)
    return regions
