"""The stack config's Google Cloud section: the vertex path.

Every value is checked here, before any resource is registered, so that a mistake is
reported as one sentence naming the key, the value and what is allowed.
"""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field, field_validator, model_validator

from components.config_base import Email, Model, Percent, Problem, matches, snake, unique
from components.gcp import data

if TYPE_CHECKING:
    from components.config import StackConfig

__all__ = [
    "GcpAlerts",
    "GcpBudget",
    "GcpConfig",
    "GcpInvokerPrincipals",
    "GcpNetwork",
    "GcpSubnet",
    "NetworkMode",
]

# --- Google-Cloud-shaped values --------------------------------------------------------

_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_PROJECT_NUMBER = re.compile(r"^[1-9][0-9]{5,18}$")
_BILLING_ACCOUNT = re.compile(r"^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$")
_BILLING_SERVICE = re.compile(r"^services/[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_VERTEX_MODEL = re.compile(r"^claude-[a-z0-9]+(?:-[a-z0-9]+)*(?:@[0-9]{8})?$")
_RESOURCE_NAME = r"[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?"
_NETWORK = re.compile(
    rf"^(?:{_RESOURCE_NAME}|(?:https://www\.googleapis\.com/compute/v1/)?"
    rf"projects/[a-z][a-z0-9-]{{4,28}}[a-z0-9]/global/networks/{_RESOURCE_NAME})$"
)
_SUBNET_NAME = re.compile(rf"^{_RESOURCE_NAME}$")
_REGION = re.compile(r"^[a-z]+(?:-[a-z]+)+[0-9]+$")
_PSC_ENDPOINT_NAME = re.compile(r"^[a-z][a-z0-9]{0,19}$")
_SERVICE_ACCOUNT = re.compile(
    r"^[a-z0-9][a-z0-9-]{0,62}@[a-z0-9][a-z0-9.-]*\.gserviceaccount\.com$"
)
_POOL_PATH = (
    r"(?:projects/[0-9]+/locations/global/workloadIdentityPools/[a-z0-9][a-z0-9.-]{2,62}"
    r"|locations/global/workforcePools/[a-z0-9][a-z0-9-]{2,62})"
)
_WORKLOAD_PRINCIPAL = re.compile(
    rf"^(?:principal://iam\.googleapis\.com/{_POOL_PATH}/subject/[^*\s]+"
    rf"|principalSet://iam\.googleapis\.com/{_POOL_PATH}"
    r"/(?:group|namespace|kubernetes\.cluster|attribute\.[A-Za-z0-9_]+)/[^*\s]+)$"
)
_STORAGE_LOCATION = re.compile(r"^[A-Za-z]+(?:-[A-Za-z]+[0-9]+)?$")
_KMS_KEY = re.compile(
    r"^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/locations/(?P<location>[a-z0-9-]+)"
    r"/keyRings/[A-Za-z0-9_-]{1,63}/cryptoKeys/[A-Za-z0-9_-]{1,63}$"
)
_PUBSUB_TOPIC = re.compile(
    r"^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/topics/[A-Za-z][\w.~+%-]{2,254}$"
)

ProjectId = Annotated[
    str,
    matches(
        _PROJECT_ID,
        "a project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter "
        "and not ending with a hyphen",
    ),
]
ProjectNumber = Annotated[
    str, matches(_PROJECT_NUMBER, "the project's number, as digits such as '123456789012'")
]
BillingAccount = Annotated[
    str,
    matches(
        _BILLING_ACCOUNT,
        "a billing account id of three groups of six uppercase hex digits, such as "
        "'01A2B3-C4D5E6-F7A8B9'",
    ),
]
BillingService = Annotated[
    str,
    matches(
        _BILLING_SERVICE,
        "Cloud Billing service ids such as 'services/C7E2-9256-1C43' (Vertex AI)",
    ),
]
ServiceAccountEmail = Annotated[
    str,
    matches(
        _SERVICE_ACCOUNT,
        "a service account e-mail such as 'chat@my-project.iam.gserviceaccount.com'",
    ),
]
WorkloadPrincipal = Annotated[
    str,
    matches(
        _WORKLOAD_PRINCIPAL,
        "a federated principal 'principal://iam.googleapis.com/.../subject/<subject>' or "
        "principal set 'principalSet://iam.googleapis.com/.../group/<group>' (or "
        "'/namespace/<namespace>', '/attribute.<name>/<value>'), never a whole pool ('/*')",
    ),
]
SubnetName = Annotated[
    str, matches(_SUBNET_NAME, "a subnetwork name: lowercase letters, digits and hyphens")
]
Region = Annotated[str, matches(_REGION, "a Google Cloud region such as 'us-east5'")]


def _vertex_location(value: str) -> str:
    if value not in data.VERTEX_LOCATIONS:
        allowed = ", ".join(sorted(data.VERTEX_LOCATIONS))
        raise ValueError(f"one of the locations where Vertex AI serves Claude: {allowed}")
    return value


def _vertex_model(value: str) -> str:
    if not _VERTEX_MODEL.match(value):
        raise ValueError(
            "a Claude model id on Vertex AI such as 'claude-sonnet-4-6' or "
            "'claude-haiku-4-5@20251001'"
        )
    return value


VertexLocation = Annotated[str, AfterValidator(_vertex_location)]
VertexModel = Annotated[str, AfterValidator(_vertex_model)]


# --- network ------------------------------------------------------------------------


class NetworkMode(StrEnum):
    """How workloads in the VPC reach Google APIs without public IP addresses."""

    PRIVATE_GOOGLE_ACCESS = "privateGoogleAccess"
    PRIVATE_SERVICE_CONNECT = "privateServiceConnect"


class GcpSubnet(Model):
    """A workload subnetwork that gets Private Google Access."""

    name: SubnetName = Field(description="the subnetwork's name")
    region: Region = Field(description="the subnetwork's region")


class GcpNetwork(Model):
    """The VPC whose workloads call Claude, and how they reach Google APIs privately."""

    network: str = Field(
        description="the VPC: its name in the project, or its self link "
        "'projects/<project>/global/networks/<name>' (for a Shared VPC)"
    )
    mode: NetworkMode = Field(
        description="'privateGoogleAccess' (on the subnetworks) or 'privateServiceConnect' "
        "(an endpoint for Google APIs in the VPC)"
    )
    subnets: list[GcpSubnet] = Field(
        default_factory=list,
        description="workload subnetworks that get Private Google Access; at least one with "
        "privateGoogleAccess",
    )
    psc_address: str | None = Field(
        default=None,
        description="with privateServiceConnect, the endpoint's internal IPv4 address, "
        "outside every subnetwork of the VPC",
    )
    psc_endpoint_name: str | None = Field(
        default=None,
        description="with privateServiceConnect, the endpoint's name: 1 to 20 lowercase "
        "letters or digits, starting with a letter; derived from the environment if unset",
    )

    @field_validator("network")
    @classmethod
    def _network_reference(cls, value: str) -> str:
        if not _NETWORK.match(value):
            raise ValueError(
                "a VPC name such as 'workloads' or a self link such as "
                "'projects/net-host-project/global/networks/shared'"
            )
        return value

    @field_validator("psc_address")
    @classmethod
    def _internal_address(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            address = ipaddress.IPv4Address(value)
        except ValueError:
            raise ValueError("an IPv4 address such as '10.255.255.254'") from None
        if not address.is_private or address.is_loopback or address.is_link_local:
            raise ValueError("an internal (RFC 1918) IPv4 address such as '10.255.255.254'")
        return value

    @field_validator("psc_endpoint_name")
    @classmethod
    def _endpoint_name(cls, value: str | None) -> str | None:
        if value is not None and not _PSC_ENDPOINT_NAME.match(value):
            raise ValueError(
                "1 to 20 lowercase letters or digits starting with a letter, as Private "
                "Service Connect requires"
            )
        return value

    @model_validator(mode="after")
    def _mode_settings(self) -> GcpNetwork:
        seen: set[tuple[str, str]] = set()
        for index, subnet in enumerate(self.subnets):
            where = (subnet.name, subnet.region)
            if where in seen:
                raise Problem(
                    ("subnets", index, "name"), subnet.name, "a subnet not already listed"
                )
            seen.add(where)
        if self.mode is NetworkMode.PRIVATE_GOOGLE_ACCESS:
            if not self.subnets:
                raise Problem(
                    ("subnets",), [], "at least one subnetwork when mode is privateGoogleAccess"
                )
            for key in ("pscAddress", "pscEndpointName"):
                value = getattr(self, snake(key))
                if value is not None:
                    raise Problem(
                        (key,),
                        value,
                        "unset when mode is privateGoogleAccess (it is for privateServiceConnect)",
                    )
        elif self.psc_address is None:
            raise Problem(
                ("pscAddress",),
                None,
                "set when mode is privateServiceConnect",
                missing=True,
            )
        return self

    def network_path(self, project_id: str) -> str:
        """The VPC as ``projects/<project>/global/networks/<name>``, or its self link."""
        if "/" in self.network:
            return self.network
        return f"projects/{project_id}/global/networks/{self.network}"

    def host_project(self, project_id: str) -> str:
        """The project that owns the VPC: a Shared VPC's host project, or ``project_id``.

        Subnetworks, the Private Service Connect endpoint and the private zone live there.
        """
        path = self.network_path(project_id)
        return path.split("projects/", 1)[1].split("/", 1)[0]


# --- who may call Claude --------------------------------------------------------------


class GcpInvokerPrincipals(Model):
    """Who may impersonate the invoker service account. Never everyone."""

    users: list[Email] = Field(default_factory=list, description="Google accounts' e-mails")
    groups: list[Email] = Field(default_factory=list, description="Google groups' e-mails")
    service_accounts: list[ServiceAccountEmail] = Field(
        default_factory=list, description="service accounts of the applications that call Claude"
    )
    workload_identity_principals: list[WorkloadPrincipal] = Field(
        default_factory=list,
        description="federated workloads: 'principal://iam.googleapis.com/...' or "
        "'principalSet://iam.googleapis.com/...' (GKE Workload Identity, CI, other clouds)",
    )

    @model_validator(mode="after")
    def _someone(self) -> GcpInvokerPrincipals:
        if not self.members():
            raise ValueError(
                "at least one user, group, service account or workload identity principal"
            )
        for key in ("users", "groups", "serviceAccounts", "workloadIdentityPrincipals"):
            values = getattr(self, snake(key))
            for index, value in enumerate(values):
                if value in values[:index]:
                    raise Problem((key, index), value, "a principal not already listed")
        return self

    def members(self) -> list[str]:
        """The IAM members, in the form IAM bindings name them."""
        return [
            *(f"user:{user}" for user in self.users),
            *(f"group:{group}" for group in self.groups),
            *(f"serviceAccount:{account}" for account in self.service_accounts),
            *self.workload_identity_principals,
        ]


# --- cost and health --------------------------------------------------------------------


class GcpBudget(Model):
    """The monthly Cloud Billing budget on the project."""

    amount: float = Field(gt=0, description="the monthly limit in currencyCode, a number above 0")
    currency_code: str = Field(
        default="USD",
        description="the billing account's currency, three uppercase letters such as 'USD'",
    )
    thresholds: list[Percent] = Field(
        min_length=1,
        description="percentages of the amount (1-1000) that notify, on actual and forecast",
    )
    emails: list[Email] = Field(
        min_length=1,
        max_length=5,
        description="1 to 5 recipients (a budget notifies at most 5 monitoring channels)",
    )
    pubsub_topic: str | None = Field(
        default=None,
        description="a Pub/Sub topic 'projects/<project>/topics/<name>' that also receives "
        "budget updates, for automated responses",
    )
    services: list[BillingService] = Field(
        default_factory=list,
        description="Cloud Billing service ids the budget counts; empty counts every "
        "service of the project, which includes Claude's Marketplace charges",
    )

    @field_validator("currency_code")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not _CURRENCY.match(value):
            raise ValueError("a currency code of three uppercase letters such as 'USD'")
        return value

    @field_validator("thresholds")
    @classmethod
    def _unique_thresholds(cls, value: list[int]) -> list[int]:
        return sorted(unique(value, "percentages"))

    @field_validator("emails")
    @classmethod
    def _unique_emails(cls, value: list[str]) -> list[str]:
        return unique(value, "e-mail addresses")

    @field_validator("pubsub_topic")
    @classmethod
    def _topic(cls, value: str | None) -> str | None:
        if value is not None and not _PUBSUB_TOPIC.match(value):
            raise ValueError("a topic name such as 'projects/my-project/topics/budget-alerts'")
        return value

    @field_validator("services")
    @classmethod
    def _unique_services(cls, value: list[str]) -> list[str]:
        return unique(value, "service ids")


class GcpAlerts(Model):
    """Cloud Monitoring alert thresholds on Claude's responses, over 5-minute periods."""

    throttles: int = Field(
        default=10,
        ge=1,
        description="the number of rate-limited (429) calls per 5 minutes that opens an "
        "alert, 1 or more",
    )
    server_errors: int = Field(
        default=5,
        ge=1,
        description="the number of server errors (5xx) per 5 minutes that opens an alert, "
        "1 or more",
    )
    evaluation_periods: int = Field(
        default=1,
        ge=1,
        le=24,
        description="the number of 5-minute periods (1 to 24) a threshold must hold before "
        "the alert opens",
    )


# --- the section --------------------------------------------------------------------------


class GcpConfig(Model):
    """The gcp section of the stack config: the vertex path."""

    enabled: bool = Field(
        default=False, description="true or false: whether the vertex path is deployed"
    )
    project_id: ProjectId | None = Field(
        default=None, description="the project that calls Claude on Vertex AI"
    )
    project_number: ProjectNumber | None = Field(
        default=None,
        description="that project's number, which budgets and service agents are named by",
    )
    locations: list[VertexLocation] = Field(
        default_factory=list,
        description="Vertex AI locations clients call, in order of preference: 'global' or "
        "regions that serve Claude",
    )
    allowed_models: list[VertexModel] = Field(
        default_factory=list,
        description="Claude model ids on Vertex AI that the catalog may name",
    )
    invoker_principals: GcpInvokerPrincipals | None = None
    network: GcpNetwork | None = Field(
        default=None,
        description="private access to Google APIs for the VPC that calls Claude; none if "
        "another stack provides it",
    )
    log_retention_days: int = Field(
        default=365,
        ge=1,
        le=36500,
        description="the number of days (1 to 36500) each audit log object is kept, locked "
        "in production",
    )
    log_bucket_location: str | None = Field(
        default=None,
        description="the Cloud Storage location of the audit log bucket, such as 'US' or "
        "'EUROPE-WEST1'; defaults to the first regional location, or 'US'",
    )
    cmek_key_name: str | None = Field(
        default=None,
        description="a Cloud KMS key 'projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>' "
        "that encrypts the audit log bucket, in the bucket's location",
    )
    billing_account: BillingAccount | None = Field(
        default=None, description="the billing account that pays for the project"
    )
    budget: GcpBudget | None = None
    alerts: GcpAlerts = Field(default_factory=GcpAlerts)

    @field_validator("locations")
    @classmethod
    def _unique_locations(cls, value: list[str]) -> list[str]:
        return unique(value, "locations")

    @field_validator("allowed_models")
    @classmethod
    def _unique_models(cls, value: list[str]) -> list[str]:
        return unique(value, "model ids")

    @field_validator("log_bucket_location")
    @classmethod
    def _storage_location(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not _STORAGE_LOCATION.match(value):
            raise ValueError("a Cloud Storage location such as 'US', 'EU' or 'US-EAST5'")
        return value.upper()

    @field_validator("cmek_key_name")
    @classmethod
    def _kms_key(cls, value: str | None) -> str | None:
        if value is not None and not _KMS_KEY.match(value):
            raise ValueError(
                "a key name such as "
                "'projects/my-kms/locations/us-east5/keyRings/logs/cryptoKeys/audit'"
            )
        return value

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> GcpConfig:
        if not self.enabled:
            return self
        for key in (
            "projectId",
            "projectNumber",
            "billingAccount",
            "locations",
            "allowedModels",
            "invokerPrincipals",
            "budget",
        ):
            if not getattr(self, snake(key)):
                raise Problem((key,), None, "set when gcp.enabled is true", missing=True)
        if self.cmek_key_name is not None:
            match = _KMS_KEY.match(self.cmek_key_name)
            assert match is not None
            if match.group("location") != self.log_location.lower():
                raise Problem(
                    ("cmekKeyName",),
                    self.cmek_key_name,
                    f"a key in the log bucket's location ({self.log_location.lower()}), since "
                    "Cloud Storage encrypts only with keys of its own location",
                )
        return self

    @property
    def log_location(self) -> str:
        """Where the audit log bucket lives: as configured, or near the first region."""
        if self.log_bucket_location is not None:
            return self.log_bucket_location
        regional = [location for location in self.locations if location != "global"]
        return regional[0].upper() if regional else "US"

    @property
    def provider_region(self) -> str:
        """A default region for the provider: the first regional location, or us-central1."""
        regional = [location for location in self.locations if location != "global"]
        return regional[0] if regional else "us-central1"

    def check_stack(self, stack: StackConfig) -> None:
        """Raise :class:`components.config_base.Problem` for problems across sections.

        Paths in the problem are relative to the whole stack config.
        """
        if not self.enabled:
            return
        allowed = set(self.allowed_models)
        for tier, models in stack.catalog.tiers().items():
            if models.vertex not in allowed:
                raise Problem(
                    ("catalog", tier.value, "vertex"),
                    models.vertex,
                    "one of gcp.allowedModels, or the vertex path would offer a model that "
                    "was not reviewed",
                )
