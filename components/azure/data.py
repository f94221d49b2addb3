"""Facts about Azure and Claude on Microsoft Foundry that the kit keeps as data, not code.

Adding a region, an industry value or a metric is an edit here; the config validation
and the components follow from it. Where a fact is not in Azure's published REST
specifications, the docstring under it says where it comes from.
"""

from __future__ import annotations

FOUNDRY_LOCATIONS: dict[str, frozenset[str]] = {
    "eastus2": frozenset({"haiku", "sonnet", "opus"}),
    "swedencentral": frozenset({"haiku", "sonnet", "opus"}),
    "westus2": frozenset({"sonnet", "opus"}),
}
"""Azure regions whose Foundry (AI Services) accounts can deploy Claude, with the model
families each one serves.

Microsoft Learn's "Use Claude models in Microsoft Foundry" names East US 2 and Sweden
Central as the regions for the account; the Azure-Samples/claude starter kit, which
Microsoft maintains, adds West US 2 for the Sonnet and Opus families only. Availability
grows over time: check the model catalog of the region before adding one here.
"""

DATA_ZONE_LOCATIONS: frozenset[str] = frozenset({"eastus2", "westus2"})
"""Regions inside the US data zone, where the ``DataZoneStandard`` SKU keeps processing.

Claude is offered as US Data Zone Standard only; Sweden Central has Global Standard.
"""

INDUSTRIES: tuple[str, ...] = (
    "technology",
    "finance",
    "healthcare",
    "education",
    "retail",
    "manufacturing",
    "government",
    "media",
    "other",
)
"""Values the ``industry`` of a Claude deployment's model provider data may take.

The Foundry portal's dropdown sends these, in lowercase; the resource provider rejects
other spellings minutes into the deployment. The published REST specifications did not
list them when this was written (Azure/azure-rest-api-specs adds an extensible enum in a
preview API version); the list follows the Azure-Samples/claude starter kit and tools
built on it.
"""

_ISO_3166_ALPHA_2 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
    BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
    DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
    GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
    KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
    MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
    PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
    SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
    US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """

COUNTRY_CODES: frozenset[str] = frozenset(_ISO_3166_ALPHA_2.split())
"""The officially assigned ISO 3166-1 alpha-2 country codes."""

DEPLOYMENT_API_VERSION = "2025-10-01-preview"
"""The ``Microsoft.CognitiveServices/accounts/deployments`` API version the kit writes.

A Claude deployment must carry ``properties.modelProviderData``; the resource provider
accepts it from this version on, while the version pulumi-azure-native 3 pins for
``cognitiveservices.Deployment`` (2025-06-01) rejects it. It is the version Microsoft's
Claude starter kit deploys with.
"""

LOG_RETENTION_DAYS: tuple[int, int] = (30, 730)
"""The interactive retention a PerGB2018 Log Analytics workspace accepts, inclusive."""

PRIVATE_DNS_ZONES: tuple[str, ...] = (
    "privatelink.cognitiveservices.azure.com",
    "privatelink.services.ai.azure.com",
    "privatelink.openai.azure.com",
)
"""The private DNS zones an AI Services account's ``account`` endpoint registers in.

``services.ai.azure.com`` carries the Anthropic Messages API that ``AnthropicFoundry``
calls; the other two resolve the account's remaining hostnames, so that nothing on the
VNet falls back to the public address.
"""

PRIVATE_LINK_GROUP = "account"
"""The private link sub-resource (group id) of a Cognitive Services account."""

CALLER_ROLE_ID = "a97b65f3-24c7-4388-baec-2e87135dc908"
"""Cognitive Services User: the narrowest built-in role that can call Claude on Foundry.

Claude requests are data actions under ``Microsoft.CognitiveServices/accounts/MaaS/*``.
Cognitive Services OpenAI User (5e0bd9bd-...) grants only ``accounts/OpenAI/*`` data
actions and cannot call Claude. Azure AI User (53ca6127-...) grants the same data actions
as Cognitive Services User and adds ``Microsoft.Resources/deployments/*``. The listKeys
action both include is inert here because the account has local (key) auth disabled.
"""

KEY_ENCRYPTION_ROLE_ID = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
"""Key Vault Crypto Service Encryption User: read, wrap and unwrap one key, nothing more."""

METRIC_NAMESPACE = "Microsoft.CognitiveServices/accounts"
REQUESTS_METRIC = "ModelRequests"
"""The Foundry Models metric that counts model calls, by ``StatusCode`` among others."""

THROTTLED_STATUS_CODES: tuple[str, ...] = ("429",)
SERVER_ERROR_STATUS_CODES: tuple[str, ...] = ("500", "502", "503", "504")

ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
"""Registered by token: the SDK's authorization module costs a third of a second to load
for this one type (see :mod:`components.by_token`)."""

DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting"
ACTION_GROUP = "azure-native:monitor:ActionGroup"
METRIC_ALERT = "azure-native:monitor:MetricAlert"
"""Registered by token: the SDK's monitor module costs almost half a second to load for
these three types (see :mod:`components.by_token`)."""
