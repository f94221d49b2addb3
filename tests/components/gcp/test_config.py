"""The gcp section of the stack config: each bad value gets one sentence that names it."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import ConfigError, parse_stack_config
from components.gcp import data
from tests.helpers import assert_one_sentence, stack_config

MODELS = ["claude-haiku-4-5@20251001", "claude-sonnet-4-6", "claude-opus-4-6"]
PRINCIPAL_SET = (
    "principalSet://iam.googleapis.com/projects/482913657204/locations/global/"
    "workloadIdentityPools/ci-pool"
)
PGA = {
    "network": "workloads-staging",
    "mode": "privateGoogleAccess",
    "subnets": [{"name": "apps-us-east5", "region": "us-east5"}],
}
PSC = {"network": "workloads-staging", "mode": "privateServiceConnect", "pscAddress": "10.9.9.9"}


def parse(stack: str = "staging", **changes: Any):
    values, _ = stack_config(stack, **changes)
    return parse_stack_config(values)


def problems(stack: str = "staging", **changes: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse(stack, **changes)
    return caught.value.problems


def test_the_shipped_stacks_turn_gcp_on_in_staging_and_prod_only() -> None:
    dev, staging, prod = parse("dev"), parse("staging"), parse("prod")

    assert not dev.gcp.enabled
    assert staging.gcp.enabled and staging.gcp.locations == ["us-east5", "global"]
    assert staging.gcp.network is not None
    assert staging.gcp.network.mode == "privateGoogleAccess"
    assert prod.gcp.enabled and prod.gcp.locations == ["us-east5", "europe-west1"]
    assert prod.gcp.network is not None
    assert prod.gcp.network.mode == "privateServiceConnect"


def test_every_known_location_is_accepted() -> None:
    for location in sorted(data.VERTEX_LOCATIONS):
        assert parse(gcp={"locations": [location]}).gcp.locations == [location]


def test_principals_become_iam_members_of_each_kind() -> None:
    config = parse(
        gcp={
            "invokerPrincipals": {
                "users": ["alice@example.com"],
                "groups": ["ml-apps@example.com"],
                "serviceAccounts": ["chat@acme-apps.iam.gserviceaccount.com"],
                "workloadIdentityPrincipals": [PRINCIPAL_SET + "/attribute.repository/acme/app"],
            }
        }
    )

    assert config.gcp.invoker_principals is not None
    assert config.gcp.invoker_principals.members() == [
        "user:alice@example.com",
        "group:ml-apps@example.com",
        "serviceAccount:chat@acme-apps.iam.gserviceaccount.com",
        PRINCIPAL_SET + "/attribute.repository/acme/app",
    ]


def test_the_log_bucket_follows_the_first_region_unless_set() -> None:
    assert parse(gcp={"locations": ["global", "europe-west1"]}).gcp.log_location == "EUROPE-WEST1"
    assert parse(gcp={"locations": ["global"]}).gcp.log_location == "US"
    assert parse(gcp={"logBucketLocation": "eu"}).gcp.log_location == "EU"


def test_a_disabled_section_needs_none_of_its_settings() -> None:
    config = parse("dev", gcp={"enabled": False})

    assert not config.gcp.enabled and config.gcp.budget is None


BAD_VALUES = [
    # (gcp changes, key in the message, value in the message, words of what is allowed)
    ({"projectId": "My_Project"}, "gcp.projectId", "'My_Project'", "6 to 30 lowercase letters"),
    ({"projectId": "acme"}, "gcp.projectId", "'acme'", "6 to 30 lowercase letters"),
    ({"projectId": "acme-claude-"}, "gcp.projectId", "'acme-claude-'", "not ending with a hyphen"),
    ({"projectNumber": "0123"}, "gcp.projectNumber", "'0123'", "the project's number"),
    ({"locations": ["us-east1"]}, "gcp.locations[0]", "'us-east1'", "Vertex AI serves Claude"),
    ({"locations": ["us", "global"]}, "gcp.locations[0]", "'us'", "europe-west4, global"),
    ({"locations": ["global", "global"]}, "gcp.locations", "global", "appears twice"),
    (
        {"allowedModels": [*MODELS, "gemini-2.5-pro"]},
        "gcp.allowedModels[3]",
        "'gemini-2.5-pro'",
        "Claude model id on Vertex AI",
    ),
    (
        {"allowedModels": [*MODELS, "claude-sonnet-4-5@2025"]},
        "gcp.allowedModels[3]",
        "'claude-sonnet-4-5@2025'",
        "'claude-haiku-4-5@20251001'",
    ),
    (
        {"allowedModels": [*MODELS, "claude-opus-4-6"]},
        "gcp.allowedModels",
        "claude-opus-4-6",
        "appears twice",
    ),
    (
        {"invokerPrincipals": {"users": ["bob"]}},
        "gcp.invokerPrincipals.users[0]",
        "'bob'",
        "e-mail address",
    ),
    (
        {"invokerPrincipals": {"serviceAccounts": ["chat@gmail.com"]}},
        "gcp.invokerPrincipals.serviceAccounts[0]",
        "'chat@gmail.com'",
        "service account e-mail",
    ),
    (
        {"invokerPrincipals": {"workloadIdentityPrincipals": [PRINCIPAL_SET + "/*"]}},
        "gcp.invokerPrincipals.workloadIdentityPrincipals[0]",
        "'principalSet://iam.googleapis.com/projects/",
        "never a whole pool",
    ),
    (
        {"invokerPrincipals": {"workloadIdentityPrincipals": ["allUsers"]}},
        "gcp.invokerPrincipals.workloadIdentityPrincipals[0]",
        "'allUsers'",
        "principal://iam.googleapis.com/",
    ),
    (
        {"invokerPrincipals": {"serviceAccounts": [], "workloadIdentityPrincipals": []}},
        "gcp.invokerPrincipals",
        "[]",
        "at least one user, group, service account or workload identity principal",
    ),
    (
        {
            "invokerPrincipals": {
                "serviceAccounts": [
                    "chat@acme.iam.gserviceaccount.com",
                    "chat@acme.iam.gserviceaccount.com",
                ]
            }
        },
        "gcp.invokerPrincipals.serviceAccounts[1]",
        "'chat@acme.iam.gserviceaccount.com'",
        "a principal not already listed",
    ),
    ({"network": {"network": "Bad_Net"}}, "gcp.network.network", "'Bad_Net'", "VPC name"),
    ({"network": {"mode": "vpn"}}, "gcp.network.mode", "'vpn'", "'privateServiceConnect'"),
    (
        {"network": {**PGA, "subnets": []}},
        "gcp.network.subnets",
        "[]",
        "at least one subnetwork when mode is privateGoogleAccess",
    ),
    (
        {"network": {**PGA, "pscAddress": "10.9.9.9"}},
        "gcp.network.pscAddress",
        "'10.9.9.9'",
        "unset when mode is privateGoogleAccess",
    ),
    (
        {"network": {"mode": "privateServiceConnect"}},
        "gcp.network.pscAddress",
        "missing",
        "set when mode is privateServiceConnect",
    ),
    (
        {"network": {**PSC, "pscAddress": "8.8.8.8"}},
        "gcp.network.pscAddress",
        "'8.8.8.8'",
        "internal (RFC 1918)",
    ),
    (
        {"network": {**PSC, "pscAddress": "10.0.0"}},
        "gcp.network.pscAddress",
        "'10.0.0'",
        "an IPv4 address",
    ),
    (
        {"network": {**PSC, "pscEndpointName": "claude-prod"}},
        "gcp.network.pscEndpointName",
        "'claude-prod'",
        "1 to 20 lowercase letters or digits",
    ),
    (
        {"network": {**PGA, "subnets": [{"name": "apps", "region": "useast5"}]}},
        "gcp.network.subnets[0].region",
        "'useast5'",
        "Google Cloud region",
    ),
    (
        {"network": {**PGA, "subnets": [{"name": "apps", "region": "us-east5"}] * 2}},
        "gcp.network.subnets[1].name",
        "'apps'",
        "a subnet not already listed",
    ),
    ({"logRetentionDays": 0}, "gcp.logRetentionDays", "0", "days (1 to 36500)"),
    (
        {"logBucketLocation": "us east"},
        "gcp.logBucketLocation",
        "'us east'",
        "Cloud Storage location",
    ),
    (
        {"cmekKeyName": "audit-logs"},
        "gcp.cmekKeyName",
        "'audit-logs'",
        "projects/my-kms/locations/",
    ),
    (
        {"cmekKeyName": "projects/acme-kms/locations/europe-west1/keyRings/r/cryptoKeys/k"},
        "gcp.cmekKeyName",
        "europe-west1",
        "a key in the log bucket's location (us-east5)",
    ),
    (
        {"billingAccount": "01a2b3-c4d5e6-f7a8b9"},
        "gcp.billingAccount",
        "'01a2b3-c4d5e6-f7a8b9'",
        "uppercase hex digits",
    ),
    ({"budget": {"amount": 0}}, "gcp.budget.amount", "0", "a number above 0"),
    ({"budget": {"currencyCode": "usd"}}, "gcp.budget.currencyCode", "'usd'", "uppercase"),
    ({"budget": {"thresholds": [50, 50]}}, "gcp.budget.thresholds", "[50, 50]", "appears twice"),
    ({"budget": {"thresholds": [0]}}, "gcp.budget.thresholds[0]", "0", "1-1000"),
    (
        {"budget": {"emails": [f"oncall{n}@example.com" for n in range(6)]}},
        "gcp.budget.emails",
        "oncall0@example.com",
        "1 to 5 recipients",
    ),
    ({"budget": {"emails": ["finops"]}}, "gcp.budget.emails[0]", "'finops'", "e-mail address"),
    (
        {"budget": {"pubsubTopic": "budget-alerts"}},
        "gcp.budget.pubsubTopic",
        "'budget-alerts'",
        "projects/my-project/topics/",
    ),
    (
        {"budget": {"services": ["C7E2-9256-1C43"]}},
        "gcp.budget.services[0]",
        "'C7E2-9256-1C43'",
        "'services/C7E2-9256-1C43'",
    ),
    ({"alerts": {"throttles": 0}}, "gcp.alerts.throttles", "0", "rate-limited (429)"),
    ({"alerts": {"evaluationPeriods": 25}}, "gcp.alerts.evaluationPeriods", "25", "(1 to 24)"),
    ({"budget": None}, "gcp.budget", "missing", "set when gcp.enabled is true"),
    ({"projectNumber": None}, "gcp.projectNumber", "missing", "set when gcp.enabled is true"),
    ({"locations": []}, "gcp.locations", "missing", "set when gcp.enabled is true"),
    ({"enabled": "maybe"}, "gcp.enabled", "'maybe'", "true or false"),
    ({"projectID": "acme-claude"}, "gcp.projectID", "'acme-claude'", "not a known setting"),
]


@pytest.mark.parametrize(("changes", "key", "value", "allowed"), BAD_VALUES)
def test_each_bad_value_gets_one_sentence_naming_key_value_and_what_is_allowed(
    changes: dict[str, Any], key: str, value: str, allowed: str
) -> None:
    assert_one_sentence(problems(gcp=changes), key, value, allowed)


def test_a_catalog_model_outside_the_allowed_list_is_named_by_its_catalog_key() -> None:
    (sentence,) = problems(catalog={"sonnet": {"vertex": "claude-sonnet-4-5@20250929"}})

    assert sentence == (
        "claude-access:catalog.sonnet.vertex is 'claude-sonnet-4-5@20250929', but it must be "
        "one of gcp.allowedModels, or the vertex path would offer a model that was not "
        "reviewed."
    )


def test_the_catalog_is_not_checked_against_a_disabled_section() -> None:
    config = parse("dev", catalog={"sonnet": {"vertex": "claude-sonnet-4-5@20250929"}})

    assert config.catalog.sonnet.vertex == "claude-sonnet-4-5@20250929"


def test_missing_required_keys_read_as_one_sentence() -> None:
    (sentence,) = problems(gcp={"billingAccount": None})

    assert sentence == (
        "claude-access:gcp.billingAccount is missing, but it must be set when gcp.enabled is true."
    )
