"""The azure part of the program: one pinned provider and the foundry manifest entry."""

from __future__ import annotations

from routing.manifest import load_manifest
from tests.helpers import Plan, render

SUBSCRIPTION = "7c1e4b2a-9d3f-4e8a-b5c6-2f1a0d9e8b7c"
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"


def test_one_provider_pins_the_subscription_and_location(prod_plan: Plan) -> None:
    (provider,) = prod_plan.of_type("pulumi:providers:azure-native")

    assert provider["name"] == "azure-eastus2"
    assert provider["props"]["subscriptionId"] == SUBSCRIPTION
    assert provider["props"]["location"] == "eastus2"
    for resource in prod_plan.custom():
        if resource["type"].startswith("azure-native:"):
            assert resource["provider"] == provider["urn"], resource["urn"]


def test_the_manifest_has_a_foundry_entry_for_the_account(prod_plan: Plan) -> None:
    manifest = load_manifest(prod_plan.manifest)
    (entry,) = [p for p in manifest.paths if p.kind == "foundry"]

    assert entry.name == "foundry-eastus2"
    assert entry.region == "eastus2"
    assert entry.resource == "example-claude-prod"
    assert entry.base_url == "https://example-claude-prod.services.ai.azure.com/anthropic/"
    assert entry.private_dns_name == "example-claude-prod.privatelink.services.ai.azure.com"
    assert entry.models == {
        "haiku": "claude-haiku-4-5",
        "sonnet": "claude-sonnet-4-6",
        "opus": "claude-opus-4-6",
    }
    assert entry.priority == max(p.priority for p in manifest.paths)


def test_the_entry_authenticates_as_the_callers_managed_identity(prod_plan: Plan) -> None:
    (entry,) = [p for p in prod_plan.manifest["paths"] if p["kind"] == "foundry"]
    outputs = prod_plan.document["outputs"]

    assert entry["auth"] == {
        "type": "azure-managed-identity",
        "clientId": outputs["azureCallerIdentityClientId"],
    }
    assert entry["auth"]["clientId"] != outputs["azureCallerIdentityPrincipalId"]


def test_the_outputs_name_the_account_and_the_identity(prod_plan: Plan) -> None:
    outputs = prod_plan.document["outputs"]

    assert outputs["azureAccountId"] == (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-claude-access-prod/providers/"
        "Microsoft.CognitiveServices/accounts/example-claude-prod"
    )
    assert (
        outputs["azureCallerIdentityPrincipalId"]
        == (
            prod_plan.props(
                "azure-native:authorization:RoleAssignment", "foundry-callers-identity"
            )["principalId"]
        )
    )


def test_a_tier_not_deployed_is_left_out_of_the_entry() -> None:
    plan = render("prod", azure={"deployments": {"opus": None}})
    (entry,) = [p for p in load_manifest(plan.manifest).paths if p.kind == "foundry"]

    assert entry.models == {"haiku": "claude-haiku-4-5", "sonnet": "claude-sonnet-4-6"}
