"""The stack config's Azure section: the foundry path."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, field_validator, model_validator

from components.azure import data
from components.config_base import Email, Model, Percent, Problem, matches, snake, unique

if TYPE_CHECKING:
    from components.config import StackConfig

__all__ = [
    "AzureAlerts",
    "AzureBudget",
    "AzureConfig",
    "CallerPrincipal",
    "CustomerManagedKey",
    "FoundryDeployment",
    "FoundryDeployments",
    "ModelProviderData",
    "PrivateEndpoint",
]

TIERS: tuple[str, ...] = ("haiku", "sonnet", "opus")
"""The tiers of :class:`components.config.Tier`, which imports this module."""

_UUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_RESOURCE_GROUP = re.compile(r"^[\w.()-]{0,89}[\w()-]$")
_ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,63}$")
_SUBNET_ID = re.compile(
    r"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[\w.()-]{1,90}/providers/"
    r"Microsoft\.Network/virtualNetworks/[\w.-]{2,64}/subnets/[\w.-]{1,80}$"
)
_VNET_ID = re.compile(
    r"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[\w.()-]{1,90}/providers/"
    r"Microsoft\.Network/virtualNetworks/[\w.-]{2,64}$"
)
_KEY_VAULT_ID = re.compile(
    r"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[\w.()-]{1,90}/providers/"
    r"Microsoft\.KeyVault/vaults/(?P<name>[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9])$"
)
_LOCATION = re.compile(r"^[a-z][a-z0-9]{2,30}$")
_MODEL = re.compile(r"^claude-[a-z0-9]+(?:-[a-z0-9]+)*$")
_MODEL_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_DEPLOYMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$")
_KEY_NAME = re.compile(r"^[A-Za-z0-9-]{1,127}$")
_KEY_VERSION = re.compile(r"^[0-9a-fA-F]{32}$")

Uuid = Annotated[str, matches(_UUID, "a UUID such as '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f'")]
SubnetId = Annotated[
    str,
    matches(
        _SUBNET_ID,
        "the full ARM id of a subnet: /subscriptions/<uuid>/resourceGroups/<group>/providers/"
        "Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
    ),
]
VirtualNetworkId = Annotated[
    str,
    matches(
        _VNET_ID,
        "the full ARM id of a virtual network: /subscriptions/<uuid>/resourceGroups/<group>/"
        "providers/Microsoft.Network/virtualNetworks/<vnet>",
    ),
]
Location = Annotated[str, matches(_LOCATION, "an Azure region name in lowercase such as 'eastus2'")]


class FoundryDeployment(Model):
    """One tier's Claude deployment: which model, and how much capacity under which SKU."""

    model: str = Field(description="the Claude model to deploy, e.g. 'claude-sonnet-4-6'")
    version: str = Field(
        description="the model version as the Foundry catalog lists it, e.g. '1' or '20251001'"
    )
    sku: Literal["GlobalStandard", "DataZoneStandard"] = Field(
        default="GlobalStandard",
        description="the deployment type: GlobalStandard or DataZoneStandard (US data zone)",
    )
    capacity: int = Field(ge=1, description="capacity in thousands of tokens per minute, 1 or more")

    @field_validator("model")
    @classmethod
    def _claude_model(cls, value: str) -> str:
        if not _MODEL.match(value):
            raise ValueError("a Claude model name such as 'claude-sonnet-4-6'")
        return value

    @field_validator("version")
    @classmethod
    def _model_version(cls, value: str) -> str:
        if not _MODEL_VERSION.match(value):
            raise ValueError(
                "a model version of 1 to 32 letters, digits, '.', '_' or '-', such as '1'"
            )
        return value

    @property
    def family(self) -> str | None:
        """``haiku``, ``sonnet`` or ``opus`` when the model name says so."""
        for family in TIERS:
            if f"-{family}-" in f"{self.model}-":
                return family
        return None


class FoundryDeployments(Model):
    """A Claude deployment per tier; a tier left out is not offered on the foundry path."""

    haiku: FoundryDeployment | None = None
    sonnet: FoundryDeployment | None = None
    opus: FoundryDeployment | None = None

    @model_validator(mode="after")
    def _some_tier(self) -> FoundryDeployments:
        if not self.by_tier():
            raise ValueError("at least one of haiku, sonnet or opus")
        return self

    def by_tier(self) -> dict[str, FoundryDeployment]:
        """The configured deployments, in tier order."""
        found = {tier: getattr(self, tier) for tier in TIERS}
        return {tier: deployment for tier, deployment in found.items() if deployment}


class ModelProviderData(Model):
    """Who deploys Claude: Azure sends this to Anthropic when it accepts the offer's terms."""

    organization_name: str = Field(
        min_length=1,
        max_length=200,
        description="the legal name of the organisation that uses Claude",
    )
    country_code: str = Field(
        description="the organisation's country as an ISO 3166-1 alpha-2 code, e.g. 'US'"
    )
    industry: str = Field(description="the organisation's industry, one Foundry accepts")

    @field_validator("country_code")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        if value not in data.COUNTRY_CODES:
            raise ValueError(
                "an ISO 3166-1 alpha-2 country code in capitals, such as 'US', 'GB' or 'SE'"
            )
        return value

    @field_validator("industry")
    @classmethod
    def _known_industry(cls, value: str) -> str:
        if value not in data.INDUSTRIES:
            raise ValueError(f"one of the industries Foundry accepts: {', '.join(data.INDUSTRIES)}")
        return value


class PrivateEndpoint(Model):
    """Where the account's private endpoint goes and which network resolves its name."""

    subnet_id: SubnetId = Field(description="the subnet that gets the private endpoint")
    virtual_network_id: VirtualNetworkId | None = Field(
        default=None,
        description="the VNet the private DNS zones are linked to; defaults to the "
        "subnet's own VNet",
    )
    location: Location | None = Field(
        default=None,
        description="the region of the subnet's VNet; defaults to the account's location",
    )

    @property
    def network_id(self) -> str:
        """The VNet to link the DNS zones to: the one given, or the subnet's."""
        return self.virtual_network_id or self.subnet_id.rsplit("/subnets/", 1)[0]


class CallerPrincipal(Model):
    """An Entra ID principal, besides the kit's managed identity, that may call Claude."""

    object_id: Uuid = Field(description="the principal's object id")
    principal_type: Literal["User", "Group", "ServicePrincipal"] = Field(
        description="User, Group or ServicePrincipal (managed identities are service principals)"
    )


class CustomerManagedKey(Model):
    """A Key Vault key that encrypts the account's data at rest instead of a Microsoft key."""

    key_vault_id: str = Field(
        description="the full ARM id of the Key Vault (RBAC authorisation) that holds the key"
    )
    key_name: str = Field(description="the key's name")
    key_version: str | None = Field(
        default=None,
        description="a 32-hex-digit key version; leave it out to follow the key's rotation",
    )

    @field_validator("key_vault_id")
    @classmethod
    def _vault_id(cls, value: str) -> str:
        if not _KEY_VAULT_ID.match(value):
            raise ValueError(
                "the full ARM id of a Key Vault: /subscriptions/<uuid>/resourceGroups/<group>/"
                "providers/Microsoft.KeyVault/vaults/<vault>"
            )
        return value

    @field_validator("key_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _KEY_NAME.match(value):
            raise ValueError("a key name of 1 to 127 letters, digits or '-'")
        return value

    @field_validator("key_version")
    @classmethod
    def _version(cls, value: str | None) -> str | None:
        if value is not None and not _KEY_VERSION.match(value):
            raise ValueError("a key version of 32 hex digits")
        return value

    @property
    def key_vault_uri(self) -> str:
        """The vault's URI in Azure's public cloud, where Foundry serves Claude."""
        match = _KEY_VAULT_ID.match(self.key_vault_id)
        assert match is not None
        return f"https://{match.group('name').lower()}.vault.azure.net/"

    @property
    def key_id(self) -> str:
        """The ARM id of the key, the narrowest scope that encryption access can have."""
        return f"{self.key_vault_id}/keys/{self.key_name}"


class AzureBudget(Model):
    """The monthly Azure budget on the resource group that holds the foundry path."""

    monthly_amount: float = Field(
        gt=0, description="the monthly limit in the billing account's currency, above 0"
    )
    thresholds: list[Percent] = Field(
        min_length=1,
        description="percentages of the limit (1-1000) that notify, on actual and forecast",
    )
    emails: list[Email] = Field(
        min_length=1, max_length=50, description="1 to 50 e-mail recipients"
    )
    start_date: date = Field(
        description="the first day of the budget's first month, e.g. '2026-12-01' (the "
        "current month or a later one when the budget is created)"
    )

    @field_validator("thresholds")
    @classmethod
    def _unique_thresholds(cls, value: list[int]) -> list[int]:
        return sorted(unique(value, "percentages"))

    @field_validator("start_date")
    @classmethod
    def _first_of_month(cls, value: date) -> date:
        if value.day != 1 or value < date(2017, 6, 1):
            raise ValueError("the first day of a month from 2017-06-01 on, such as '2026-12-01'")
        return value


class AzureAlerts(Model):
    """Azure Monitor metric alert thresholds on the account, over a sliding window."""

    throttles: int = Field(
        default=10, ge=1, description="throttled (429) model requests per window that alert"
    )
    server_errors: int = Field(
        default=5, ge=1, description="server error (5xx) model requests per window that alert"
    )
    window_minutes: Literal[5, 15, 30, 60] = Field(
        default=5, description="the window the counts are summed over: 5, 15, 30 or 60 minutes"
    )


class AzureConfig(Model):
    """The Azure side: Claude deployed in a Foundry account reached only privately."""

    enabled: bool = Field(default=False, description="whether the azure path is deployed")
    subscription_id: Uuid | None = Field(
        default=None, description="the Azure subscription the stack deploys into"
    )
    resource_group_name: str | None = Field(
        default=None,
        description="the resource group the kit creates for the foundry path: 1 to 90 "
        "letters, digits, '_', '-', '.', '(' or ')', not ending in '.'",
    )
    location: str | None = Field(
        default=None, description="an Azure region where Foundry deploys Claude"
    )
    account_name: str | None = Field(
        default=None,
        description="the Foundry account and its custom subdomain (globally unique): 2 to 64 "
        "letters, digits or '-', starting with a letter or digit",
    )
    deployments: FoundryDeployments | None = Field(
        default=None,
        description="a Claude deployment per tier; its name is the tier's catalog foundry id",
    )
    model_provider_data: ModelProviderData | None = Field(
        default=None,
        description="the organisation details that Claude deployments send to Anthropic",
    )
    private_endpoint: PrivateEndpoint | None = Field(
        default=None, description="the private endpoint through which the account is reached"
    )
    caller_principals: list[CallerPrincipal] = Field(
        default_factory=list,
        description="Entra ID principals besides the kit's managed identity that may call "
        "Claude, with the same role on the account alone",
    )
    log_retention_days: int = Field(
        default=90, description="Log Analytics retention of the account's logs, 30 to 730 days"
    )
    customer_managed_key: CustomerManagedKey | None = Field(
        default=None,
        description="a Key Vault key that encrypts the account's data; a Microsoft-managed "
        "key when left out",
    )
    budget: AzureBudget | None = None
    alerts: AzureAlerts = Field(default_factory=AzureAlerts)

    @field_validator("resource_group_name")
    @classmethod
    def _resource_group(cls, value: str | None) -> str | None:
        if value is not None and not _RESOURCE_GROUP.match(value):
            raise ValueError(
                "1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'"
            )
        return value

    @field_validator("location")
    @classmethod
    def _foundry_location(cls, value: str | None) -> str | None:
        if value is not None and value not in data.FOUNDRY_LOCATIONS:
            allowed = ", ".join(sorted(data.FOUNDRY_LOCATIONS))
            raise ValueError(f"one of the regions where Foundry deploys Claude: {allowed}")
        return value

    @field_validator("account_name")
    @classmethod
    def _subdomain(cls, value: str | None) -> str | None:
        if value is not None and (not _ACCOUNT_NAME.match(value) or value.endswith("-")):
            raise ValueError(
                "2 to 64 letters, digits or '-', starting with a letter or digit and not "
                "ending in '-'"
            )
        return value

    @field_validator("caller_principals")
    @classmethod
    def _unique_principals(cls, value: list[CallerPrincipal]) -> list[CallerPrincipal]:
        unique([principal.object_id.lower() for principal in value], "object ids")
        return value

    @field_validator("log_retention_days")
    @classmethod
    def _workspace_retention(cls, value: int) -> int:
        low, high = data.LOG_RETENTION_DAYS
        if not low <= value <= high:
            raise ValueError(f"a Log Analytics retention from {low} to {high} days")
        return value

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> AzureConfig:
        if not self.enabled:
            return self
        required = (
            "subscriptionId",
            "resourceGroupName",
            "location",
            "accountName",
            "deployments",
            "modelProviderData",
            "privateEndpoint",
            "budget",
        )
        for key in required:
            if not getattr(self, snake(key)):
                raise Problem((key,), None, "set when azure.enabled is true", missing=True)
        assert self.deployments is not None and self.location is not None
        served = data.FOUNDRY_LOCATIONS[self.location]
        for tier, deployment in self.deployments.by_tier().items():
            family = deployment.family
            if family is not None and family not in served:
                raise Problem(
                    ("deployments", tier, "model"),
                    deployment.model,
                    f"a model of a family that {self.location} serves "
                    f"({', '.join(sorted(served))})",
                )
            if deployment.sku == "DataZoneStandard" and self.location not in (
                data.DATA_ZONE_LOCATIONS
            ):
                raise Problem(
                    ("deployments", tier, "sku"),
                    deployment.sku,
                    f"GlobalStandard, since {self.location} is outside the US data zone "
                    f"({', '.join(sorted(data.DATA_ZONE_LOCATIONS))})",
                )
        return self

    def check_stack(self, stack: StackConfig) -> None:
        """Raise :class:`components.config_base.Problem` for problems across sections.

        A tier's deployment is named after the tier's ``foundry`` id in the catalog, so
        the manifest and the account agree by construction. That id must therefore be a
        name Azure accepts for a deployment, and no two deployed tiers may share one.
        Paths in the problem are relative to the whole stack config.
        """
        if not self.enabled or self.deployments is None:
            return
        seen: dict[str, str] = {}
        for tier, name in self.deployment_names(stack).items():
            if not _DEPLOYMENT_NAME.match(name):
                raise Problem(
                    ("catalog", tier, "foundry"),
                    name,
                    "a Foundry deployment name of 2 to 64 letters, digits, '_', '.' or '-', "
                    "starting with a letter or digit, since the azure path deploys the tier "
                    "under it",
                )
            if name in seen:
                raise Problem(
                    ("catalog", tier, "foundry"),
                    name,
                    f"a deployment name other than the {seen[name]} tier's, since each "
                    "deployed tier gets its own deployment",
                )
            seen[name] = tier

    def deployment_names(self, stack: StackConfig) -> dict[str, str]:
        """Tier -> deployment name, for the tiers deployed on the foundry path."""
        assert self.deployments is not None
        foundry = {tier.value: models.foundry for tier, models in stack.catalog.tiers().items()}
        return {tier: foundry[tier] for tier in self.deployments.by_tier()}
