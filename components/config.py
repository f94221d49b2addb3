"""The typed stack config of claude-access.

A stack's config lives in ``stacks/Pulumi.<env>.yaml`` under the ``claude-access``
namespace. The program reads it once, validates it into :class:`StackConfig` and hands
typed values to the components, which never read config themselves.

Every field carries a description of what it accepts. Validation errors are turned into
one sentence per bad value by :func:`format_errors`, naming the key, the value given and
what is allowed, so a mistake is reported before any resource is registered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from components.aws import data as aws_data
from components.azure.config import AzureConfig
from components.config_base import Cidr, Email, Percent
from components.config_base import Model as _Model
from components.config_base import Problem as _Problem
from components.config_base import matches as _matches
from components.config_base import snake as _snake
from components.config_base import unique as _unique
from components.gcp.config import GcpConfig

__all__ = [
    "NAMESPACE",
    "AnthropicConfig",
    "AwsConfig",
    "ConfigError",
    "PathKind",
    "StackConfig",
    "Tier",
    "format_errors",
    "parse_stack_config",
]

NAMESPACE = "claude-access"
"""The Pulumi config namespace (the project name) that holds the kit's keys."""

API_KEY_KEY = "anthropicApiKey"
"""The config key that holds the Anthropic API key, always as a Pulumi secret."""


class Tier(StrEnum):
    """A model tier: the application asks for a tier, the catalog names the model."""

    HAIKU = "haiku"
    SONNET = "sonnet"
    OPUS = "opus"


class PathKind(StrEnum):
    """A route to Claude, named as in the paths manifest."""

    BEDROCK = "bedrock"
    BEDROCK_MANTLE = "bedrock-mantle"
    ANTHROPIC = "anthropic"
    VERTEX = "vertex"
    FOUNDRY = "foundry"


class ConfigError(Exception):
    """The stack config is invalid; ``problems`` holds one sentence per bad value."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# AWS-shaped values; the shared ones come from components.config_base.

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_VPC_ID = re.compile(r"^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_SUBNET_ID = re.compile(r"^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_ROLE_ARN = re.compile(r"^arn:aws:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_OIDC_PROVIDER_ARN = re.compile(r"^arn:aws:iam::\d{12}:oidc-provider/[A-Za-z0-9.\-_/:]+$")
_BEDROCK_MODEL = re.compile(
    r"^(?:(?P<geo>[a-z]{2,6})\.)?(?P<base>anthropic\.claude-[a-z0-9-]+(?:-v\d+(?::\d+)?)?)$"
)
_ENVIRONMENT = re.compile(r"^[a-z][a-z0-9-]{1,15}$")
_TAG_VALUE = re.compile(r"^[\w .:/=+\-@]{1,63}$")


AccountId = Annotated[str, _matches(_ACCOUNT_ID, "a 12-digit AWS account id")]
VpcId = Annotated[str, _matches(_VPC_ID, "a VPC id: 'vpc-' and 8 or 17 hex digits")]
SubnetId = Annotated[str, _matches(_SUBNET_ID, "a subnet id: 'subnet-' and 8 or 17 hex digits")]
RoleArn = Annotated[
    str, _matches(_ROLE_ARN, "an IAM role ARN such as 'arn:aws:iam::111122223333:role/app'")
]
OidcProviderArn = Annotated[
    str,
    _matches(
        _OIDC_PROVIDER_ARN,
        "an IAM OIDC provider ARN such as "
        "'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC'",
    ),
]
# --- the model catalog -------------------------------------------------------------


class Price(_Model):
    """What a tier costs, in US dollars per million tokens."""

    input_per_mtok: float = Field(
        gt=0, alias="inputPerMTok", description="USD per million input tokens, above 0"
    )
    output_per_mtok: float = Field(
        gt=0, alias="outputPerMTok", description="USD per million output tokens, above 0"
    )


class TierModels(_Model):
    """One tier's model id on each path, and its price."""

    anthropic: str = Field(
        min_length=1, description="model id on the Anthropic API, e.g. 'claude-sonnet-4-6'"
    )
    bedrock: str = Field(
        min_length=1,
        description="model or inference profile id on bedrock-runtime, "
        "e.g. 'us.anthropic.claude-sonnet-4-6'",
    )
    bedrock_mantle: str = Field(
        min_length=1,
        description="model id on the bedrock-mantle Messages API, "
        "e.g. 'anthropic.claude-sonnet-4-6'",
    )
    vertex: str = Field(min_length=1, description="model id on Vertex AI, e.g. 'claude-sonnet-4-6'")
    foundry: str = Field(
        min_length=1, description="deployment name on Foundry, e.g. 'claude-sonnet-4-6'"
    )
    price: Price

    def model_for(self, kind: PathKind) -> str:
        """The model id of this tier on a path of the given kind."""
        return {
            PathKind.ANTHROPIC: self.anthropic,
            PathKind.BEDROCK: self.bedrock,
            PathKind.BEDROCK_MANTLE: self.bedrock_mantle,
            PathKind.VERTEX: self.vertex,
            PathKind.FOUNDRY: self.foundry,
        }[kind]


class Catalog(_Model):
    """Each tier mapped to its model id per path, with prices; new models are data."""

    haiku: TierModels
    sonnet: TierModels
    opus: TierModels

    def tiers(self) -> dict[Tier, TierModels]:
        return {Tier.HAIKU: self.haiku, Tier.SONNET: self.sonnet, Tier.OPUS: self.opus}

    def models_for(self, kind: PathKind) -> dict[str, str]:
        """Tier name -> model id on a path of the given kind."""
        return {tier.value: models.model_for(kind) for tier, models in self.tiers().items()}


# --- AWS ---------------------------------------------------------------------------


class AwsRegion(_Model):
    """One AWS region where the kit opens private access to Bedrock."""

    region: str = Field(description="an AWS region where Bedrock serves Claude")
    vpc_id: VpcId = Field(description="the VPC that gets the interface endpoints")
    subnet_ids: list[SubnetId] = Field(
        min_length=1, description="one or more subnets of that VPC for the endpoints"
    )
    allowed_cidrs: list[Cidr] = Field(
        min_length=1,
        description="client networks admitted on TCP 443 by the endpoints' security group",
    )

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        if value not in aws_data.BEDROCK_REGIONS:
            allowed = ", ".join(sorted(aws_data.BEDROCK_REGIONS))
            raise ValueError(f"one of the regions where Bedrock serves Claude: {allowed}")
        return value

    @field_validator("subnet_ids")
    @classmethod
    def _unique_subnets(cls, value: list[str]) -> list[str]:
        return _unique(value, "subnet ids")


class OidcPrincipal(_Model):
    """Workloads that assume the invoker role through an OIDC provider (EKS IRSA, CI)."""

    provider_arn: OidcProviderArn = Field(description="the IAM OIDC identity provider")
    subjects: list[str] = Field(
        min_length=1,
        description="allowed 'sub' claims, e.g. 'system:serviceaccount:apps:chat'; no '*'",
    )
    audience: str = Field(default="sts.amazonaws.com", description="the required 'aud' claim")

    @field_validator("subjects")
    @classmethod
    def _no_wildcard_subject(cls, value: list[str]) -> list[str]:
        for subject in value:
            if subject.strip() in {"", "*"}:
                raise ValueError("subjects that name a workload, not '*' or empty")
        return _unique(value, "subjects")

    @property
    def issuer(self) -> str:
        """The provider's issuer host and path, the prefix of its condition keys."""
        return self.provider_arn.split(":oidc-provider/", 1)[1]


class InvokerPrincipals(_Model):
    """Who may assume the invoker role. Never everyone."""

    role_arns: list[RoleArn] = Field(
        default_factory=list, description="IAM roles of the applications that call Claude"
    )
    oidc: list[OidcPrincipal] = Field(
        default_factory=list, description="OIDC (IRSA) workloads that call Claude"
    )

    @model_validator(mode="after")
    def _someone(self) -> InvokerPrincipals:
        if not self.role_arns and not self.oidc:
            raise ValueError("at least one role ARN or OIDC principal")
        _unique(self.role_arns, "role ARNs")
        return self


class AwsBudget(_Model):
    """The monthly AWS Budget on Bedrock spend."""

    monthly_usd: float = Field(gt=0, description="the monthly limit in USD, above 0")
    thresholds: list[Percent] = Field(
        min_length=1,
        description="percentages of the limit (1-1000) that notify, actual and forecast",
    )
    emails: list[Email] = Field(
        min_length=1, max_length=10, description="1 to 10 e-mail recipients"
    )

    @field_validator("thresholds")
    @classmethod
    def _unique_thresholds(cls, value: list[int]) -> list[int]:
        return sorted(_unique(value, "percentages"))


class AwsAlarms(_Model):
    """CloudWatch alarm thresholds for each allowed model, over 5-minute periods."""

    throttles: int = Field(
        default=10, ge=1, description="throttled invocations per 5 minutes that alarm"
    )
    server_errors: int = Field(
        default=5, ge=1, description="server errors per 5 minutes that alarm"
    )
    latency_p99_ms: int = Field(
        default=30000, ge=100, description="p99 invocation latency in ms that alarms"
    )
    evaluation_periods: int = Field(
        default=3, ge=1, le=24, description="5-minute periods a threshold must hold to alarm"
    )


class InvocationLogs(_Model):
    """Where Bedrock invocation logs go and how long they stay."""

    bucket_retention_days: int = Field(
        default=400, ge=1, description="days before log objects in S3 expire"
    )
    glacier_after_days: int = Field(
        default=90, ge=1, description="days before log objects move to Glacier"
    )
    object_lock_days: int | None = Field(
        default=None,
        ge=1,
        description="object lock retention (COMPLIANCE) in days; defaults to the log "
        "retention in prod and off elsewhere",
    )

    @model_validator(mode="after")
    def _ordered(self) -> InvocationLogs:
        if self.glacier_after_days >= self.bucket_retention_days:
            raise _Problem(
                ("glacierAfterDays",),
                self.glacier_after_days,
                f"below bucketRetentionDays ({self.bucket_retention_days})",
            )
        return self


class AwsConfig(_Model):
    """The AWS side: Bedrock and Bedrock mantle paths, and the API-key store."""

    enabled: bool = Field(default=False, description="whether the AWS paths are deployed")
    account_id: AccountId | None = Field(
        default=None, description="the AWS account the stack deploys into (guarded)"
    )
    regions: list[AwsRegion] = Field(
        default_factory=list, description="regions with private Bedrock access, first is primary"
    )
    allowed_models: list[str] = Field(
        default_factory=list,
        description="Claude model or inference profile ids the invoker may call on Bedrock",
    )
    invoker_principals: InvokerPrincipals | None = None
    mantle: bool = Field(default=True, description="whether the bedrock-mantle path is deployed")
    restrict_to_vpc_endpoints: bool = Field(
        default=True, description="invoker may call Bedrock only through the kit's endpoints"
    )
    log_retention_days: int = Field(
        default=365,
        description="CloudWatch retention of invocation logs, a value CloudWatch accepts",
    )
    invocation_logs: InvocationLogs = Field(default_factory=InvocationLogs)
    budget: AwsBudget | None = None
    alarms: AwsAlarms = Field(default_factory=AwsAlarms)

    @field_validator("allowed_models")
    @classmethod
    def _claude_models(cls, value: list[str]) -> list[str]:
        for model in value:
            match = _BEDROCK_MODEL.match(model)
            if match is None:
                raise ValueError(
                    "Claude model ids such as 'anthropic.claude-sonnet-4-6' or inference "
                    f"profile ids such as 'us.anthropic.claude-sonnet-4-6', but got {model!r}"
                )
            geo = match.group("geo")
            if geo is not None and geo not in aws_data.PROFILE_GEOGRAPHIES:
                allowed = ", ".join(sorted(aws_data.PROFILE_GEOGRAPHIES))
                raise ValueError(
                    f"inference profile prefixes from {allowed}, but {model!r} has {geo!r}"
                )
        return _unique(value, "model ids")

    @field_validator("log_retention_days")
    @classmethod
    def _cloudwatch_retention(cls, value: int) -> int:
        if value not in aws_data.LOG_RETENTION_DAYS:
            allowed = ", ".join(str(days) for days in aws_data.LOG_RETENTION_DAYS)
            raise ValueError(f"one of the retention periods CloudWatch accepts: {allowed}")
        return value

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> AwsConfig:
        if not self.enabled:
            return self
        for key in ("accountId", "invokerPrincipals", "budget", "regions", "allowedModels"):
            if not getattr(self, _snake(key)):
                raise _Problem((key,), None, "set when aws.enabled is true", missing=True)
        regions = [region.region for region in self.regions]
        for index, region in enumerate(regions):
            if region in regions[:index]:
                raise _Problem(("regions", index, "region"), region, "a region not already listed")
        for index, model in enumerate(self.allowed_models):
            geo = _BEDROCK_MODEL.match(model).group("geo")  # type: ignore[union-attr]
            if geo is None:
                continue
            outside = [r for r in regions if r not in aws_data.PROFILE_SOURCE_REGIONS[geo]]
            if outside:
                raise _Problem(
                    ("allowedModels", index),
                    model,
                    f"a profile callable from every configured region, and {outside[0]} "
                    f"cannot call {geo!r} profiles",
                )
        return self

    @property
    def primary_region(self) -> str:
        return self.regions[0].region


# --- the direct API path ------------------------------------------------------------


class AnthropicConfig(_Model):
    """The direct path to Anthropic's API; its key lives in the cloud's secret store."""

    enabled: bool = Field(default=False, description="whether the anthropic path is deployed")
    base_url: str = Field(
        default="https://api.anthropic.com",
        pattern=r"^https://[A-Za-z0-9.-]+(?::\d+)?(?:/[\w./-]*)?$",
        description="the API's base URL over https",
    )
    secret_administrators: list[RoleArn] = Field(
        default_factory=list,
        description="roles besides the invoker that may read the key back, such as the "
        "deploying role, which needs it to refresh the secret's version",
    )


# --- the whole stack ----------------------------------------------------------------


class StackConfig(_Model):
    """Everything a stack needs, parsed once from ``claude-access:*`` config keys."""

    environment: str = Field(
        description="the stack's environment name: lowercase letters, digits and dashes"
    )
    owner: Email = Field(description="the e-mail of the team that owns the stack")
    cost_center: str = Field(
        description="the cost center that pays for the stack, a tag-safe value"
    )
    production: bool | None = Field(
        default=None,
        description="production safeguards (object lock); defaults to true for 'prod'",
    )
    extra_tags: dict[str, str] = Field(
        default_factory=dict, description="more tags or labels for every taggable resource"
    )
    path_order: list[PathKind] = Field(
        default_factory=lambda: list(PathKind),
        description="path kinds in the order clients should prefer them",
    )
    catalog: Catalog
    anthropic: AnthropicConfig = Field(default_factory=AnthropicConfig)
    aws: AwsConfig = Field(default_factory=AwsConfig)
    gcp: GcpConfig = Field(default_factory=GcpConfig)
    azure: AzureConfig = Field(default_factory=AzureConfig)

    @field_validator("environment")
    @classmethod
    def _environment_name(cls, value: str) -> str:
        if not _ENVIRONMENT.match(value):
            raise ValueError("2 to 16 lowercase letters, digits or dashes, starting with a letter")
        return value

    @field_validator("cost_center")
    @classmethod
    def _tag_safe(cls, value: str) -> str:
        if not _TAG_VALUE.match(value):
            raise ValueError("1 to 63 letters, digits, spaces or _ . : / = + - @")
        return value

    @field_validator("extra_tags")
    @classmethod
    def _tag_pairs(cls, value: dict[str, str]) -> dict[str, str]:
        reserved = set(RESERVED_TAG_KEYS)
        for key, tag in value.items():
            if key in reserved:
                raise ValueError(f"keys other than the kit's own {sorted(reserved)}, got {key!r}")
            if not re.match(r"^[a-z][a-z0-9_-]{0,62}$", key) or not _TAG_VALUE.match(tag):
                raise ValueError(
                    "keys of lowercase letters, digits, '_' or '-' and tag-safe values, "
                    f"got {key!r}: {tag!r}"
                )
        return value

    @field_validator("path_order")
    @classmethod
    def _each_kind_once(cls, value: list[PathKind]) -> list[PathKind]:
        _unique(value, "path kinds")
        missing = [kind.value for kind in PathKind if kind not in value]
        if missing:
            raise ValueError(f"every path kind once, but {', '.join(missing)} is missing")
        return value

    @model_validator(mode="after")
    def _paths_reachable(self) -> StackConfig:
        if self.aws.enabled:
            allowed = set(self.aws.allowed_models)
            for tier, models in self.catalog.tiers().items():
                if models.bedrock not in allowed:
                    raise _Problem(
                        ("catalog", tier.value, "bedrock"),
                        models.bedrock,
                        "one of aws.allowedModels, or the invoker role could not call it",
                    )
        if self.anthropic.enabled and not self.aws.enabled:
            raise _Problem(
                ("aws", "enabled"),
                False,
                "true while anthropic.enabled is true, since the API key is kept in AWS "
                "Secrets Manager",
            )
        self.gcp.check_stack(self)
        self.azure.check_stack(self)
        return self

    @property
    def is_production(self) -> bool:
        if self.production is not None:
            return self.production
        return self.environment in {"prod", "production"}

    def tags(self) -> dict[str, str]:
        """The tags every taggable resource carries, the kit's own keys first."""
        return {
            "owner": self.owner,
            "cost-center": self.cost_center,
            "environment": self.environment,
            "managed-by": MANAGED_BY,
            **self.extra_tags,
        }


MANAGED_BY = "claude-access"
RESERVED_TAG_KEYS = ("owner", "cost-center", "environment", "managed-by")


# --- reading and reporting ------------------------------------------------------------


def parse_stack_config(raw: Mapping[str, Any]) -> StackConfig:
    """Validate the ``claude-access:*`` config values into a :class:`StackConfig`.

    ``raw`` maps full config keys (``claude-access:aws``) to values as Pulumi hands them
    over: strings, with structured values as JSON text. Keys of other namespaces are
    ignored; unknown keys of this one are errors, as are the problems listed by
    :func:`format_errors`.

    :raises ConfigError: with one sentence per bad value.
    """
    values: dict[str, Any] = {}
    problems: list[str] = []
    known = {field.alias or name for name, field in StackConfig.model_fields.items()}
    for full_key, value in sorted(raw.items()):
        namespace, _, key = full_key.partition(":")
        if namespace != NAMESPACE or key == API_KEY_KEY:
            continue
        if key not in known:
            problems.append(
                f"{full_key} is not a claude-access setting; "
                f"the settings are {', '.join(sorted(known | {API_KEY_KEY}))}."
            )
            continue
        values[key] = _decode(value)
    if problems:
        raise ConfigError(problems)

    try:
        return StackConfig.model_validate(values)
    except ValidationError as error:
        raise ConfigError(format_errors(error, values)) from None


def _decode(value: Any) -> Any:
    """Structured config arrives as JSON text; scalars stay strings for pydantic."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def format_errors(error: ValidationError, values: Mapping[str, Any]) -> list[str]:
    """One sentence per validation error: the key, the value given, and what is allowed."""
    sentences = []
    for item in error.errors(include_url=False):
        loc = [part for part in item["loc"] if part not in ("function-after",)]
        key = _key_path(loc)
        description = _description(loc)
        kind = item["type"]
        problem = item.get("ctx", {}).get("error")
        if isinstance(problem, _Problem):
            key = _key_path([*loc, *problem.path])
            given = "missing" if problem.missing else _show(problem.value)
            sentence = f"{key} is {given}, but it must be {problem.allowed}."
        elif kind == "missing":
            sentence = f"{key} is missing; set it to {description}."
        elif kind == "extra_forbidden":
            sentence = (
                f"{key} is not a known setting (value {_show(item.get('input'))}); "
                f"check the spelling against the config reference."
            )
        else:
            message = str(item["msg"])
            message = message.removeprefix("Value error, ")
            given = _show(item.get("input"))
            if kind in {"value_error", "assertion_error"}:
                allowed = message
            elif description:
                allowed = f"{description} ({_lower_first(message)})"
            else:
                allowed = _lower_first(message)
            sentence = f"{key} is {given}, but it must be {allowed}."
        sentences.append(sentence)
    return sentences


def _key_path(loc: list[Any]) -> str:
    if not loc:
        return NAMESPACE
    head, *rest = loc
    path = f"{NAMESPACE}:{head}"
    for part in rest:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _description(loc: list[Any]) -> str:
    """The description of the field at ``loc``, walking the models by alias."""
    model: Any = StackConfig
    description = ""
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        fields = {field.alias or name: field for name, field in model.model_fields.items()}
        field = fields.get(str(part))
        if field is None:
            return description
        description = field.description or ""
        model = _model_of(field.annotation)
    return description


def _model_of(annotation: Any) -> Any:
    """The config model inside an annotation such as ``list[AwsRegion] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the ``claude-access`` namespace, keys as in the YAML files."""
    schema = StackConfig.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "claude-access stack config"
    schema["properties"][API_KEY_KEY] = {
        "description": "the Anthropic API key, set with `pulumi config set --secret`; "
        "required when anthropic.enabled is true",
        "type": "object",
        "properties": {"secure": {"type": "string"}},
        "required": ["secure"],
    }
    return schema
