"""Facts about AWS that the kit keeps as data, not code.

Adding a region or a cross-region inference profile geography is an edit here; the
config validation, the invoker policy and the endpoint policies follow from it.
"""

from __future__ import annotations

BEDROCK_REGIONS: frozenset[str] = frozenset(
    {
        "us-east-1",
        "us-east-2",
        "us-west-2",
        "ca-central-1",
        "sa-east-1",
        "eu-central-1",
        "eu-central-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
    }
)
"""Commercial regions where Bedrock serves Anthropic models."""

PROFILE_DESTINATIONS: dict[str, tuple[str, ...]] = {
    "us": ("us-east-1", "us-east-2", "us-west-2"),
    "eu": ("eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2"),
    "apac": (
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
    ),
    "jp": ("ap-northeast-1", "ap-northeast-3"),
    "au": ("ap-southeast-2", "ap-southeast-4"),
    "global": (),
}
"""Regions a cross-region inference profile may route a request to, by id prefix.

A ``global`` profile routes anywhere, so its foundation-model ARNs carry no region.
"""

PROFILE_SOURCE_REGIONS: dict[str, frozenset[str]] = {
    "us": frozenset({"us-east-1", "us-east-2", "us-west-2", "ca-central-1"}),
    "eu": frozenset(
        {
            "eu-central-1",
            "eu-central-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
        }
    ),
    "apac": frozenset(
        {
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
        }
    ),
    "jp": frozenset({"ap-northeast-1", "ap-northeast-3"}),
    "au": frozenset({"ap-southeast-2"}),
    "global": BEDROCK_REGIONS,
}
"""Regions a profile of each geography may be called from."""

PROFILE_GEOGRAPHIES: frozenset[str] = frozenset(PROFILE_DESTINATIONS)

LOG_RETENTION_DAYS: tuple[int, ...] = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
"""Retention periods that CloudWatch Logs accepts (0, never expire, is not allowed here)."""

INVOKE_ACTIONS: tuple[str, ...] = (
    "bedrock:InvokeModel",
    "bedrock:InvokeModelWithResponseStream",
)
"""The bedrock-runtime actions the invoker needs for the Messages API on Bedrock."""

COUNT_TOKENS_ACTION = "bedrock:CountTokens"
"""Token counting on bedrock-runtime, used by the smoke tests and cost estimates."""

MANTLE_ACTIONS: tuple[str, ...] = ("bedrock-mantle:CreateInference",)
"""The bedrock-mantle action behind its Messages API."""
