"""The azure section of the stack config: one clear sentence for each bad value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claude_access import plan as planning
from components.config import ConfigError, parse_stack_config
from tests.helpers import assert_one_sentence, stack_config

SUBSCRIPTION = "7c1e4b2a-9d3f-4e8a-b5c6-2f1a0d9e8b7c"
VNET = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-network-prod/providers/"
    "Microsoft.Network/virtualNetworks/vnet-prod-eastus2"
)


def parse(**changes: Any):
    values, _ = stack_config("prod", **changes)
    return parse_stack_config(values)


def problems(**changes: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse(**changes)
    return caught.value.problems


def test_the_prod_stack_deploys_every_tier_under_its_catalog_name() -> None:
    config = parse()

    assert config.azure.enabled
    assert config.azure.deployment_names(config) == {
        "haiku": "claude-haiku-4-5",
        "sonnet": "claude-sonnet-4-6",
        "opus": "claude-opus-4-6",
    }
    assert config.azure.private_endpoint is not None
    assert config.azure.private_endpoint.network_id == VNET


def test_a_disabled_azure_section_needs_none_of_its_settings() -> None:
    config = parse_stack_config(stack_config("dev")[0])

    assert not config.azure.enabled
    assert config.azure.deployments is None


BAD_VALUES = [
    # (changes to the azure section, key in the message, value in the message, allowed)
    ({"subscriptionId": "prod-sub"}, "azure.subscriptionId", "'prod-sub'", "a UUID"),
    ({"resourceGroupName": "rg-claude."}, "azure.resourceGroupName", "'rg-claude.'", "not ending"),
    ({"resourceGroupName": "rg claude"}, "azure.resourceGroupName", "'rg claude'", "1 to 90"),
    ({"resourceGroupName": "r" * 91}, "azure.resourceGroupName", "'rrrr", "1 to 90"),
    ({"location": "westeurope"}, "azure.location", "'westeurope'", "eastus2, swedencentral"),
    ({"accountName": "-claude"}, "azure.accountName", "'-claude'", "starting with a letter"),
    ({"accountName": "c"}, "azure.accountName", "'c'", "2 to 64"),
    (
        {"accountName": "claude_prod"},
        "azure.accountName",
        "'claude_prod'",
        "letters, digits or '-'",
    ),
    (
        {"deployments": {"sonnet": {"model": "gpt-4o"}}},
        "azure.deployments.sonnet.model",
        "'gpt-4o'",
        "a Claude model name",
    ),
    (
        {"deployments": {"sonnet": {"version": "v 1"}}},
        "azure.deployments.sonnet.version",
        "'v 1'",
        "a model version",
    ),
    (
        {"deployments": {"sonnet": {"sku": "Standard"}}},
        "azure.deployments.sonnet.sku",
        "'Standard'",
        "GlobalStandard or DataZoneStandard",
    ),
    (
        {"deployments": {"opus": {"capacity": 0}}},
        "azure.deployments.opus.capacity",
        "0",
        "1 or more",
    ),
    (
        {"deployments": {"haiku": None, "sonnet": None, "opus": None}},
        "azure.deployments",
        "{}",
        "at least one of haiku, sonnet or opus",
    ),
    (
        {"location": "westus2", "deployments": {"sonnet": {"sku": "GlobalStandard"}}},
        "azure.deployments.haiku.model",
        "'claude-haiku-4-5'",
        "a family that westus2 serves (opus, sonnet)",
    ),
    (
        {"location": "swedencentral"},
        "azure.deployments.sonnet.sku",
        "'DataZoneStandard'",
        "outside the US data zone",
    ),
    (
        {"modelProviderData": {"countryCode": "USA"}},
        "azure.modelProviderData.countryCode",
        "'USA'",
        "ISO 3166-1 alpha-2",
    ),
    (
        {"modelProviderData": {"countryCode": "us"}},
        "azure.modelProviderData.countryCode",
        "'us'",
        "in capitals",
    ),
    (
        {"modelProviderData": {"industry": "Technology"}},
        "azure.modelProviderData.industry",
        "'Technology'",
        "technology, finance, healthcare",
    ),
    (
        {"modelProviderData": {"organizationName": ""}},
        "azure.modelProviderData.organizationName",
        "''",
        "legal name",
    ),
    (
        {"privateEndpoint": {"subnetId": VNET}},
        "azure.privateEndpoint.subnetId",
        "'/subscriptions/",
        "full ARM id of a subnet",
    ),
    (
        {"privateEndpoint": {"virtualNetworkId": VNET + "/subnets/pe"}},
        "azure.privateEndpoint.virtualNetworkId",
        "'/subscriptions/",
        "full ARM id of a virtual network",
    ),
    (
        {"privateEndpoint": {"location": "East US 2"}},
        "azure.privateEndpoint.location",
        "'East US 2'",
        "in lowercase",
    ),
    (
        {"callerPrincipals": [{"objectId": "bob", "principalType": "User"}]},
        "azure.callerPrincipals[0].objectId",
        "'bob'",
        "a UUID",
    ),
    (
        {
            "callerPrincipals": [
                {"objectId": "5b8e2c71-4a3d-4f0e-9c6b-1d2e3f4a5b6c", "principalType": "App"}
            ]
        },
        "azure.callerPrincipals[0].principalType",
        "'App'",
        "User, Group or ServicePrincipal",
    ),
    (
        {
            "callerPrincipals": [
                {"objectId": "5b8e2c71-4a3d-4f0e-9c6b-1d2e3f4a5b6c", "principalType": "User"},
                {"objectId": "5B8E2C71-4A3D-4F0E-9C6B-1D2E3F4A5B6C", "principalType": "Group"},
            ]
        },
        "azure.callerPrincipals",
        "5b8e2c71-4a3d-4f0e-9c6b-1d2e3f4a5b6c",
        "appears twice",
    ),
    ({"logRetentionDays": 7}, "azure.logRetentionDays", "7", "from 30 to 730 days"),
    ({"logRetentionDays": 731}, "azure.logRetentionDays", "731", "from 30 to 730 days"),
    (
        {"customerManagedKey": {"keyVaultId": "https://kv-claude-prod.vault.azure.net/"}},
        "azure.customerManagedKey.keyVaultId",
        "'https://kv-claude-prod.vault.azure.net/'",
        "full ARM id of a Key Vault",
    ),
    (
        {"customerManagedKey": {"keyVersion": "latest"}},
        "azure.customerManagedKey.keyVersion",
        "'latest'",
        "32 hex digits",
    ),
    (
        {"customerManagedKey": {"keyName": "foundry_cmk"}},
        "azure.customerManagedKey.keyName",
        "'foundry_cmk'",
        "letters, digits or '-'",
    ),
    ({"budget": {"monthlyAmount": 0}}, "azure.budget.monthlyAmount", "0", "above 0"),
    ({"budget": {"thresholds": [0]}}, "azure.budget.thresholds[0]", "0", "1-1000"),
    ({"budget": {"thresholds": [80, 80]}}, "azure.budget.thresholds", "80", "appears twice"),
    ({"budget": {"emails": ["finops"]}}, "azure.budget.emails[0]", "'finops'", "e-mail address"),
    (
        {"budget": {"startDate": "2026-12-15"}},
        "azure.budget.startDate",
        "'2026-12-15'",
        "the first day of a month",
    ),
    (
        {"budget": {"startDate": "December"}},
        "azure.budget.startDate",
        "'December'",
        "the first day of the budget's first month",
    ),
    ({"alerts": {"throttles": 0}}, "azure.alerts.throttles", "0", "throttled (429)"),
    ({"alerts": {"windowMinutes": 10}}, "azure.alerts.windowMinutes", "10", "5, 15, 30 or 60"),
    ({"subscriptionId": None}, "azure.subscriptionId", "missing", "when azure.enabled is true"),
    ({"deployments": None}, "azure.deployments", "missing", "when azure.enabled is true"),
    (
        {"modelProviderData": None},
        "azure.modelProviderData",
        "missing",
        "when azure.enabled is true",
    ),
    ({"privateEndpoint": None}, "azure.privateEndpoint", "missing", "when azure.enabled is true"),
    ({"budget": None}, "azure.budget", "missing", "when azure.enabled is true"),
    ({"acountName": "x"}, "azure.acountName", "'x'", "not a known setting"),
]


@pytest.mark.parametrize(("changes", "key", "value", "allowed"), BAD_VALUES)
def test_each_bad_value_gets_one_sentence_naming_key_value_and_what_is_allowed(
    changes: dict[str, Any], key: str, value: str, allowed: str
) -> None:
    assert_one_sentence(problems(azure=changes), key, value, allowed)


def test_a_catalog_foundry_id_must_be_a_deployment_name() -> None:
    (sentence,) = problems(catalog={"sonnet": {"foundry": "claude sonnet 4.6"}})

    assert sentence.startswith("claude-access:catalog.sonnet.foundry is 'claude sonnet 4.6'")
    assert "Foundry deployment name" in sentence and "deploys the tier under it" in sentence


def test_two_deployed_tiers_cannot_share_a_deployment_name() -> None:
    (sentence,) = problems(catalog={"opus": {"foundry": "claude-sonnet-4-6"}})

    assert sentence.startswith("claude-access:catalog.opus.foundry is 'claude-sonnet-4-6'")
    assert "other than the sonnet tier's" in sentence


def test_catalog_names_of_tiers_not_deployed_are_not_judged() -> None:
    config = parse(
        azure={"deployments": {"opus": None}},
        catalog={"opus": {"foundry": "claude-sonnet-4-6"}},
    )

    assert config.azure.deployment_names(config) == {
        "haiku": "claude-haiku-4-5",
        "sonnet": "claude-sonnet-4-6",
    }


def test_catalog_names_are_not_judged_while_azure_is_disabled() -> None:
    values, _ = stack_config("dev", catalog={"sonnet": {"foundry": "claude sonnet"}})

    assert parse_stack_config(values).catalog.sonnet.foundry == "claude sonnet"


def test_the_vnet_to_link_defaults_to_the_subnets_and_can_be_given() -> None:
    other = VNET.replace("vnet-prod-eastus2", "vnet-hub-eastus2")

    given = parse(azure={"privateEndpoint": {"virtualNetworkId": other}})

    assert given.azure.private_endpoint is not None
    assert given.azure.private_endpoint.network_id == other


def test_the_key_vault_uri_follows_from_the_vault_id() -> None:
    key = parse().azure.customer_managed_key

    assert key is not None
    assert key.key_vault_uri == "https://kv-claude-prod.vault.azure.net/"
    assert key.key_id.endswith(
        "/providers/Microsoft.KeyVault/vaults/kv-claude-prod/keys/foundry-cmk"
    )


def test_an_unquoted_start_date_in_the_stack_file_reads_as_the_date(tmp_path: Path) -> None:
    source = (planning.STACKS_DIR / "Pulumi.prod.yaml").read_text()
    assert 'startDate: "2026-12-01"' in source
    stack = tmp_path / "Pulumi.prod.yaml"
    stack.write_text(source.replace('startDate: "2026-12-01"', "startDate: 2027-01-01"))

    values, _ = planning.load_stack_file(stack)

    assert (
        parse_stack_config(values).azure.budget
        == parse(azure={"budget": {"startDate": "2027-01-01"}}).azure.budget
    )
