"""Governance rules: every resource is attributable, placed where allowed, and secret-free.

- required tags (AWS, Azure) or labels (Google Cloud) on every taggable resource;
- resources only in allowed regions;
- model deployments only of allowed models;
- no Anthropic API key in plain text in any property.

Which resources are taggable: a resource whose props hold ``tags`` (``labels`` on Google
Cloud) is, and so is every type in :data:`TAGGABLE_TYPES`, the types of the clouds' SDKs
that accept tags and that this kit (or a close variant of it) creates, and so is a
Foundry deployment written as a generic ``resources:Resource``. A taggable type outside
that list is checked only when it sets tags of its own. The list is data: extend it when
the kit starts creating a new kind of resource.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from .base import Context, ResourceRule, as_list, get, is_unknown, module_of
from .clouds import aws_region, cloud_of, is_foundry_deployment, provider_setting
from .documents import model_allowed
from .identity import DEFAULT_ALLOWED_MODELS

__all__ = ["RULES", "TAGGABLE_TYPES"]

logger = logging.getLogger(__name__)

TAGGABLE_TYPES: Final = frozenset(
    {
        # AWS: "tags".
        "aws:bedrock/guardrail:Guardrail",
        "aws:bedrock/inferenceProfile:InferenceProfile",
        "aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput",
        "aws:budgets/budget:Budget",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/subnet:Subnet",
        "aws:ec2/vpc:Vpc",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "aws:iam/policy:Policy",
        "aws:iam/role:Role",
        "aws:iam/user:User",
        "aws:kms/key:Key",
        "aws:route53/zone:Zone",
        "aws:s3/bucket:Bucket",
        "aws:secretsmanager/secret:Secret",
        "aws:sns/topic:Topic",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        # Google Cloud: "labels".
        "gcp:compute/globalAddress:GlobalAddress",
        "gcp:compute/globalForwardingRule:GlobalForwardingRule",
        "gcp:dns/managedZone:ManagedZone",
        "gcp:kms/cryptoKey:CryptoKey",
        "gcp:monitoring/alertPolicy:AlertPolicy",
        "gcp:monitoring/notificationChannel:NotificationChannel",
        "gcp:pubsub/topic:Topic",
        "gcp:secretmanager/secret:Secret",
        "gcp:storage/bucket:Bucket",
        # Azure: "tags".
        "azure-native:cognitiveservices:Account",
        "azure-native:cognitiveservices:Deployment",
        "azure-native:keyvault:Secret",
        "azure-native:keyvault:Vault",
        "azure-native:managedidentity:UserAssignedIdentity",
        "azure-native:monitor:ActionGroup",
        "azure-native:monitor:MetricAlert",
        "azure-native:monitor:ScheduledQueryRule",
        "azure-native:network:NetworkSecurityGroup",
        "azure-native:network:PrivateEndpoint",
        "azure-native:network:VirtualNetwork",
        "azure-native:operationalinsights:Workspace",
        "azure-native:privatedns:PrivateZone",
        "azure-native:privatedns:VirtualNetworkLink",
        "azure-native:resources:ResourceGroup",
    }
)
"""Types that accept tags (or labels) in pulumi-aws 7, pulumi-gcp 10, pulumi-azure-native 3."""

_TAG_PROPERTY: Final = {"aws": "tags", "azure": "tags", "gcp": "labels"}
_TAG_PROPERTY_BY_TYPE: Final = {
    "gcp:monitoring/alertPolicy:AlertPolicy": "userLabels",
    "gcp:monitoring/notificationChannel:NotificationChannel": "userLabels",
}
"""Types whose labels are not under their cloud's usual property: a notification channel's
``labels`` are its configuration (an e-mail channel's address), its labels ``userLabels``."""
_LOCATION_PARAMS: Final = {
    "aws": "allowedAwsRegions",
    "gcp": "allowedGcpLocations",
    "azure": "allowedAzureLocations",
}

_AWS_GLOBAL_MODULES: Final = frozenset(
    {"iam", "budgets", "organizations", "route53", "cloudfront", "globalaccelerator", "shield"}
)
"""AWS services without regions; their resources are not judged by region."""

_API_KEY: Final = re.compile(r"sk-ant-[A-Za-z0-9][A-Za-z0-9_\-]{7,}")

_SECRET_STORE_VALUES: Final[Mapping[str, tuple[tuple[str, ...], ...]]] = {
    "aws:secretsmanager/secretVersion:SecretVersion": (
        ("secretString",),
        ("secretBinary",),
        ("secretStringWo",),
    ),
    "aws:ssm/parameter:Parameter": (("value",), ("valueWo",)),
    "gcp:secretmanager/secretVersion:SecretVersion": (("secretData",), ("secretDataWo",)),
    "azure-native:keyvault:Secret": (("properties", "value"),),
}
"""Where secret stores keep the secret itself: the one place an API key belongs."""

_GCP_LABEL_UNSAFE: Final = re.compile(r"[^a-z0-9_-]")


# --- tags -----------------------------------------------------------------------------------


def _gcp_key(key: str) -> str:
    return _GCP_LABEL_UNSAFE.sub("_", key.lower())


def check_required_tags(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """Taggable resources carry every required tag, with a value.

    Tags the provider adds to every resource (AWS ``defaultTags``, Google Cloud
    ``defaultLabels``) count. Google Cloud label keys are compared in the form labels
    accept: lowercase, with other characters than letters, digits, ``-`` and ``_`` as ``_``.
    """
    cloud = cloud_of(resource_type)
    if cloud is None:
        return
    key = _TAG_PROPERTY_BY_TYPE.get(resource_type, _TAG_PROPERTY[cloud])
    own = props.get(key)
    taggable = resource_type in TAGGABLE_TYPES or is_foundry_deployment(resource_type, props)
    if is_unknown(own) or (own is None and not taggable):
        return

    tags: dict[str, Any] = {}
    if cloud == "aws":
        defaults = get(provider_setting(context.provider, "defaultTags"), "tags")
    elif cloud == "gcp":
        defaults = provider_setting(context.provider, "defaultLabels")
    else:
        defaults = None
    for source in (defaults, own):
        if isinstance(source, Mapping):
            tags.update(source)

    required = [str(tag) for tag in as_list(config.get("requiredTags"))]
    if cloud == "gcp":
        required = [_gcp_key(tag) for tag in required]
        tags = {_gcp_key(str(k)): v for k, v in tags.items()}
    missing = [tag for tag in required if tag not in tags or tags[tag] in (None, "")]
    if missing:
        noun = "labels" if cloud == "gcp" else "tags"
        yield (
            f"missing {noun} {', '.join(missing)}; set them in {key} (or through the "
            f"provider's default {noun}) with the owning team, cost center, environment and "
            "'claude-access' as managed-by"
        )


# --- regions ------------------------------------------------------------------------------


def _location(resource_type: str, props: Mapping[str, Any], context: Context) -> Any:
    cloud = cloud_of(resource_type)
    if cloud == "aws":
        if module_of(resource_type)[1] in _AWS_GLOBAL_MODULES:
            return None
        return aws_region(props, context.provider)
    if cloud == "gcp":
        return props.get("location") or props.get("region")
    if cloud == "azure":
        return props.get("location")
    return None


def _normal_location(location: str) -> str:
    return location.replace(" ", "").lower()


def check_allowed_regions(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """Resources sit only in regions the organisation allows for each cloud.

    AWS: the resource's ``region`` or its provider's; resources of global services (IAM,
    Budgets...) are not judged. Google Cloud: ``location`` or ``region``. Azure:
    ``location``, compared without spaces or case (``East US`` is ``eastus``).
    """
    cloud = cloud_of(resource_type)
    if cloud is None:
        return
    location = _location(resource_type, props, context)
    if not isinstance(location, str) or not location:
        return
    key = _LOCATION_PARAMS[cloud]
    allowed = [str(value) for value in as_list(config.get(key))]
    if _normal_location(location) not in {_normal_location(value) for value in allowed}:
        yield (
            f"is in {location}, which is not an allowed location ({', '.join(allowed)}); move "
            f"it to an allowed one or add {location} to {key} after review"
        )


# --- models -------------------------------------------------------------------------------


def _deployed_models(resource_type: str, props: Mapping[str, Any]) -> list[tuple[str, Any]]:
    if is_foundry_deployment(resource_type, props):
        return [("properties.model.name", get(props, "properties", "model", "name"))]
    if resource_type == "aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput":
        return [("modelArn", props.get("modelArn"))]
    if resource_type == "aws:bedrock/inferenceProfile:InferenceProfile":
        return [
            ("modelSource.copyFrom", get(source, "copyFrom"))
            for source in as_list(props.get("modelSource"))
        ]
    return []


def check_allowed_models(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """Foundry deployments and Bedrock model resources use only allowed models."""
    allowed = [str(model) for model in as_list(config.get("allowedModels"))]
    for label, model in _deployed_models(resource_type, props):
        if isinstance(model, str) and model and not model_allowed(model, allowed):
            yield (
                f"{label} is {model}, which is not an allowed model ({', '.join(allowed)}); "
                "deploy an allowed model or add this one to allowedModels after review"
            )


# --- API keys -------------------------------------------------------------------------------


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield path + ("." if path else "") + str(key), str(key)
            yield from _strings(item, path + ("." if path else "") + str(key))
    elif isinstance(value, Sequence) and not isinstance(value, bytes):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _secret_store_paths(resource_type: str) -> set[str]:
    return {".".join(path) for path in _SECRET_STORE_VALUES.get(resource_type, ())}


def check_no_plaintext_api_keys(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """No property holds an Anthropic API key (``sk-ant-...``) in plain text.

    The value of a secret store (a Secrets Manager secret version, a Secret Manager
    version, a Key Vault secret) is where the key belongs. A plan document shows Pulumi
    secrets as ``"[secret]"``, so there any visible key, even in a secret store, was not
    marked secret and would sit in the state in plain text. The Pulumi engine, by
    contrast, hands policies secret values unmasked, so online the secret store's value is
    not judged. Messages name the property, never the value.
    """
    exempt = set() if context.secrets_masked else _secret_store_paths(resource_type)
    for path, text in _strings(props, ""):
        if path in exempt or not _API_KEY.search(text):
            continue
        yield (
            f"{path or 'a property'} holds what looks like an Anthropic API key in plain text; "
            "keep the key in a secret store, set it with 'pulumi config set --secret' and "
            "pass it on only as a Pulumi secret"
        )


# --- the rules ------------------------------------------------------------------------------


def _strings_param(default: Sequence[str], description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "string"},
        "default": list(default),
        "description": description,
    }


RULES = (
    ResourceRule(
        name="required-tags",
        concern="governance",
        description=(
            "Taggable resources carry the required tags (labels on Google Cloud): by default "
            "owner, cost-center, environment and managed-by."
        ),
        severity="low",
        enforcement="mandatory",
        dev_enforcement="advisory",
        remediation=(
            "Set the tags in the stack config so the kit's tagging transformation adds them, "
            "or set them on the resource or in the provider's default tags."
        ),
        params={
            "requiredTags": _strings_param(
                ("owner", "cost-center", "environment", "managed-by"),
                "Tag (label) keys every taggable resource must carry with a value.",
            )
        },
        check=check_required_tags,
    ),
    ResourceRule(
        name="allowed-regions",
        concern="governance",
        description="Resources are created only in the allowed regions of each cloud.",
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Move the resource (its provider's region, its location) to an allowed region, "
            "or extend the allowed list in the policy config after a data-residency review."
        ),
        params={
            "allowedAwsRegions": _strings_param(
                ("us-east-1", "us-east-2", "us-west-2", "eu-central-1", "eu-west-1"),
                "AWS regions resources may be in.",
            ),
            "allowedGcpLocations": _strings_param(
                ("global", "us", "eu", "us-east5", "us-central1", "europe-west1", "europe-west4"),
                "Google Cloud locations and regions resources may be in.",
            ),
            "allowedAzureLocations": _strings_param(
                ("global", "eastus", "eastus2", "westus3", "swedencentral", "westeurope"),
                "Azure locations resources may be in.",
            ),
        },
        check=check_allowed_regions,
    ),
    ResourceRule(
        name="allowed-models",
        concern="governance",
        description=(
            "Foundry deployments and Bedrock model resources (provisioned throughput, "
            "application inference profiles) use only allowed models."
        ),
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Deploy a model from the allowed list, or add the model to allowedModels once it "
            "has been reviewed."
        ),
        params={
            "allowedModels": _strings_param(
                DEFAULT_ALLOWED_MODELS,
                "Allowed model ids or glob patterns, compared as bedrock-invoke-allowed-models "
                "compares them.",
            )
        },
        check=check_allowed_models,
    ),
    ResourceRule(
        name="no-plaintext-api-keys",
        concern="governance",
        description="No property of any resource holds an Anthropic API key in plain text.",
        severity="critical",
        enforcement="mandatory",
        remediation=(
            "Remove the key from the program and its config, rotate it in the Anthropic "
            "console, store the new one with 'pulumi config set --secret' and hand it only to "
            "a secret store."
        ),
        check=check_no_plaintext_api_keys,
    ),
)
