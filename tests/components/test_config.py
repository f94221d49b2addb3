"""The stack config: what it accepts, and one clear sentence for each bad value."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import ConfigError, parse_stack_config
from tests.helpers import stack_config


def parse(stack: str = "dev", **changes: Any):
    values, _ = stack_config(stack, **changes)
    return parse_stack_config(values)


def problems(stack: str = "dev", **changes: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse(stack, **changes)
    return caught.value.problems


def test_shipped_stacks_parse() -> None:
    dev, staging, prod = parse("dev"), parse("staging"), parse("prod")

    assert [r.region for r in dev.aws.regions] == ["us-east-1"]
    assert [r.region for r in prod.aws.regions] == ["us-east-1", "us-west-2"]
    assert not dev.is_production and not staging.is_production and prod.is_production


def test_tags_carry_owner_cost_center_environment_and_managed_by() -> None:
    assert parse("prod").tags() == {
        "owner": "platform-ai@example.com",
        "cost-center": "cc-4821",
        "environment": "prod",
        "managed-by": "claude-access",
        "data-classification": "confidential",
    }


BAD_VALUES = [
    # (changes, key in the message, value in the message, words of what is allowed)
    ({"environment": "Dev!"}, "claude-access:environment", "'Dev!'", "lowercase letters"),
    ({"owner": "platform team"}, "claude-access:owner", "'platform team'", "e-mail address"),
    ({"costCenter": "cc#1"}, "claude-access:costCenter", "'cc#1'", "letters, digits"),
    ({"aws": {"accountId": "12345"}}, "claude-access:aws.accountId", "'12345'", "12-digit"),
    (
        {
            "aws": {
                "regions": [
                    {
                        "region": "mars-east-1",
                        "vpcId": "vpc-0a1b2c3d4e5f60718",
                        "subnetIds": ["subnet-0a1b2c3d"],
                        "allowedCidrs": ["10.0.0.0/8"],
                    }
                ]
            }
        },
        "claude-access:aws.regions[0].region",
        "'mars-east-1'",
        "us-east-1",
    ),
    (
        {
            "aws": {
                "regions": [
                    {
                        "region": "us-east-1",
                        "vpcId": "vpc-12",
                        "subnetIds": ["subnet-0a1b2c3d"],
                        "allowedCidrs": ["10.0.0.0/8"],
                    }
                ]
            }
        },
        "claude-access:aws.regions[0].vpcId",
        "'vpc-12'",
        "8 or 17 hex digits",
    ),
    (
        {
            "aws": {
                "regions": [
                    {
                        "region": "us-east-1",
                        "vpcId": "vpc-0a1b2c3d",
                        "subnetIds": ["sn-1"],
                        "allowedCidrs": ["10.0.0.0/8"],
                    }
                ]
            }
        },
        "claude-access:aws.regions[0].subnetIds[0]",
        "'sn-1'",
        "subnet id",
    ),
    (
        {
            "aws": {
                "regions": [
                    {
                        "region": "us-east-1",
                        "vpcId": "vpc-0a1b2c3d",
                        "subnetIds": ["subnet-0a1b2c3d"],
                        "allowedCidrs": ["0.0.0.0/0"],
                    }
                ]
            }
        },
        "claude-access:aws.regions[0].allowedCidrs[0]",
        "'0.0.0.0/0'",
        "not /0",
    ),
    (
        {
            "aws": {
                "regions": [
                    {
                        "region": "us-east-1",
                        "vpcId": "vpc-0a1b2c3d",
                        "subnetIds": ["subnet-0a1b2c3d"],
                        "allowedCidrs": ["10.0.0.1/8"],
                    }
                ]
            }
        },
        "claude-access:aws.regions[0].allowedCidrs[0]",
        "'10.0.0.1/8'",
        "CIDR notation",
    ),
    (
        {"aws": {"allowedModels": ["amazon.titan-text-express-v1"]}},
        "claude-access:aws.allowedModels",
        "amazon.titan-text-express-v1",
        "Claude model ids",
    ),
    (
        {"aws": {"allowedModels": ["xx.anthropic.claude-sonnet-4-6"]}},
        "claude-access:aws.allowedModels",
        "'xx'",
        "inference profile prefixes",
    ),
    (
        {"aws": {"invokerPrincipals": {"roleArns": ["arn:aws:iam::111122223333:user/bob"]}}},
        "claude-access:aws.invokerPrincipals.roleArns[0]",
        "user/bob",
        "IAM role ARN",
    ),
    (
        {"aws": {"invokerPrincipals": {"roleArns": [], "oidc": []}}},
        "claude-access:aws.invokerPrincipals",
        "",
        "at least one role ARN or OIDC principal",
    ),
    (
        {
            "aws": {
                "invokerPrincipals": {
                    "oidc": [
                        {
                            "providerArn": "arn:aws:iam::111122223333:oidc-provider/x",
                            "subjects": ["*"],
                        }
                    ]
                }
            }
        },
        "claude-access:aws.invokerPrincipals.oidc[0].subjects",
        "['*']",
        "not '*'",
    ),
    ({"aws": {"logRetentionDays": 10}}, "claude-access:aws.logRetentionDays", "10", "30, 60"),
    ({"aws": {"budget": {"monthlyUsd": 0}}}, "claude-access:aws.budget.monthlyUsd", "0", "above 0"),
    (
        {"aws": {"budget": {"thresholds": [50, 50]}}},
        "claude-access:aws.budget.thresholds",
        "[50, 50]",
        "50 appears twice",
    ),
    (
        {"aws": {"budget": {"thresholds": [0]}}},
        "claude-access:aws.budget.thresholds[0]",
        "0",
        "1-1000",
    ),
    (
        {"aws": {"budget": {"emails": ["finops"]}}},
        "claude-access:aws.budget.emails[0]",
        "'finops'",
        "e-mail address",
    ),
    (
        {"aws": {"alarms": {"throttles": 0}}},
        "claude-access:aws.alarms.throttles",
        "0",
        "throttled invocations",
    ),
    (
        {"aws": {"invocationLogs": {"glacierAfterDays": 400, "bucketRetentionDays": 90}}},
        "claude-access:aws.invocationLogs.glacierAfterDays",
        "400",
        "below bucketRetentionDays",
    ),
    ({"aws": {"budget": None}}, "claude-access:aws.budget", "missing", "when aws.enabled is true"),
    ({"aws": {"enabled": "maybe"}}, "claude-access:aws.enabled", "'maybe'", "boolean"),
    ({"aws": {"regionz": []}}, "claude-access:aws.regionz", "[]", "not a known setting"),
    ({"catalog": {"opus": None}}, "claude-access:catalog.opus", "", "is missing"),
    (
        {"catalog": {"sonnet": {"price": {"inputPerMTok": -1}}}},
        "claude-access:catalog.sonnet.price.inputPerMTok",
        "-1",
        "above 0",
    ),
    (
        {"catalog": {"sonnet": {"bedrock": "us.anthropic.claude-sonnet-9"}}},
        "claude-access:catalog.sonnet.bedrock",
        "'us.anthropic.claude-sonnet-9'",
        "aws.allowedModels",
    ),
    ({"pathOrder": ["bedrock", "bedrock"]}, "claude-access:pathOrder", "bedrock", "appears twice"),
    ({"extraTags": {"owner": "x"}}, "claude-access:extraTags", "'owner'", "kit's own"),
    (
        {"anthropic": {"baseUrl": "http://api.anthropic.com"}},
        "claude-access:anthropic.baseUrl",
        "'http://api.anthropic.com'",
        "https",
    ),
]


@pytest.mark.parametrize(("changes", "key", "value", "allowed"), BAD_VALUES)
def test_each_bad_value_gets_one_sentence_naming_key_value_and_what_is_allowed(
    changes: dict[str, Any], key: str, value: str, allowed: str
) -> None:
    found = problems("dev", **changes)

    assert len(found) == 1, found
    sentence = found[0]
    assert sentence.startswith(key + " "), sentence
    assert value in sentence
    assert allowed in sentence
    assert sentence.endswith(".") and "\n" not in sentence


def test_an_unknown_top_level_key_is_rejected_with_the_known_ones_listed() -> None:
    values, _ = stack_config("dev")
    values["claude-access:enviroment"] = "dev"

    with pytest.raises(ConfigError) as caught:
        parse_stack_config(values)

    (sentence,) = caught.value.problems
    assert "claude-access:enviroment is not a claude-access setting" in sentence
    assert "environment" in sentence


def test_other_namespaces_are_left_alone() -> None:
    values, _ = stack_config("dev")
    values["aws:region"] = "us-east-1"

    assert parse_stack_config(values).environment == "dev"


def test_every_mistake_is_reported_at_once() -> None:
    found = problems("dev", owner="nobody", aws={"accountId": "1"})

    assert len(found) == 2


def test_a_profile_of_another_geography_is_rejected_for_the_region() -> None:
    (sentence,) = problems(
        "dev",
        aws={
            "allowedModels": [
                "eu.anthropic.claude-sonnet-4-6",
                "us.anthropic.claude-sonnet-4-6",
                "us.anthropic.claude-haiku-4-5-20251001-v1:0",
                "us.anthropic.claude-opus-4-6-v1",
            ]
        },
    )

    assert sentence.startswith("claude-access:aws.allowedModels[0] is 'eu.anthropic")
    assert "us-east-1" in sentence


def test_a_disabled_cloud_needs_none_of_its_settings() -> None:
    config = parse("dev", aws={"enabled": False, "budget": None}, anthropic={"enabled": False})

    assert not config.aws.enabled


def test_the_direct_path_needs_aws_for_its_secret_store() -> None:
    (sentence,) = problems("dev", aws={"enabled": False})

    assert sentence.startswith("claude-access:aws.enabled is False")
    assert "anthropic.enabled" in sentence and "Secrets Manager" in sentence


def test_production_follows_the_environment_unless_set() -> None:
    assert parse("dev", production="true").is_production
    assert not parse("prod", production="false").is_production
