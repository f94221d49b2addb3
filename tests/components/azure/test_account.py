"""The Foundry account: private, keyless, identified, encrypted, in the kit's resource group."""

from __future__ import annotations

from claude_access.fake_ids import uuid_of
from tests.helpers import Plan, render

ACCOUNT = "azure-native:cognitiveservices:Account"
GROUP = "azure-native:resources:ResourceGroup"
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
ASSIGNMENT = "azure-native:authorization:RoleAssignment"
SUBSCRIPTION = "7c1e4b2a-9d3f-4e8a-b5c6-2f1a0d9e8b7c"
KEY_VAULT = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-security-prod/providers/"
    "Microsoft.KeyVault/vaults/kv-claude-prod"
)


def test_the_kit_creates_the_resource_group_that_holds_the_account(prod_plan: Plan) -> None:
    group = prod_plan.one(GROUP)
    account = prod_plan.props(ACCOUNT)

    assert group["props"]["resourceGroupName"] == "rg-claude-access-prod"
    assert group["props"]["location"] == "eastus2"
    assert account["resourceGroupName"] == "rg-claude-access-prod"
    assert account["location"] == "eastus2"


def test_the_account_is_an_ai_services_account_with_its_own_subdomain(prod_plan: Plan) -> None:
    account = prod_plan.props(ACCOUNT)

    assert (account["kind"], account["sku"]) == ("AIServices", {"name": "S0"})
    assert account["accountName"] == "example-claude-prod"
    assert account["properties"]["customSubDomainName"] == "example-claude-prod"


def test_public_network_access_is_off_and_the_acl_denies_by_default(prod_plan: Plan) -> None:
    properties = prod_plan.props(ACCOUNT)["properties"]

    assert properties["publicNetworkAccess"] == "Disabled"
    assert properties["networkAcls"] == {
        "defaultAction": "Deny",
        "bypass": "None",
        "ipRules": [],
        "virtualNetworkRules": [],
    }


def test_local_key_authentication_is_off(prod_plan: Plan) -> None:
    assert prod_plan.props(ACCOUNT)["properties"]["disableLocalAuth"] is True


def test_the_account_has_a_system_assigned_identity() -> None:
    plan = render("prod", azure={"customerManagedKey": None})
    account = plan.props(ACCOUNT)

    assert account["identity"] == {"type": "SystemAssigned"}
    assert "encryption" not in account["properties"]
    assert [i["name"] for i in plan.of_type(IDENTITY)] == ["foundry-callers-identity"]


def test_a_customer_managed_key_encrypts_the_account_through_its_own_identity(
    prod_plan: Plan,
) -> None:
    account = prod_plan.props(ACCOUNT)
    encryptor = prod_plan.one(IDENTITY, "foundry-encryption")

    assert account["identity"] == {
        "type": "SystemAssigned, UserAssigned",
        "userAssignedIdentities": [encryptor["id"]],
    }
    assert account["properties"]["encryption"] == {
        "keySource": "Microsoft.KeyVault",
        "keyVaultProperties": {
            "keyVaultUri": "https://kv-claude-prod.vault.azure.net/",
            "keyName": "foundry-cmk",
            # The mock engine derives a managed identity's client id from its name.
            "identityClientId": uuid_of("client" + encryptor["name"]),
        },
    }
    assert encryptor["props"]["resourceName"] == "claude-access-prod-foundry-encryption"


def test_the_encryption_identity_may_use_the_one_key_and_nothing_else(prod_plan: Plan) -> None:
    grant = prod_plan.props(ASSIGNMENT, "foundry-encryption-key")

    assert grant["scope"] == f"{KEY_VAULT}/keys/foundry-cmk"
    assert grant["roleDefinitionId"] == (
        f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/"
        "e147488a-f6f5-4113-8e2d-b22465e65bf6"
    )
    assert grant["principalType"] == "ServicePrincipal"


def test_a_pinned_key_version_is_passed_on() -> None:
    version = "0123456789abcdef0123456789abcdef"
    plan = render("prod", azure={"customerManagedKey": {"keyVersion": version}})

    vault = plan.props(ACCOUNT)["properties"]["encryption"]["keyVaultProperties"]

    assert vault["keyVersion"] == version


def test_azure_is_off_in_the_dev_stack(dev_plan: Plan) -> None:
    assert not [r for r in dev_plan.resources if r["type"].startswith("azure-native:")]
    assert not dev_plan.of_type("pulumi:providers:azure-native")
