"""Who may call Claude: a managed identity and named principals, on the account alone."""

from __future__ import annotations

import uuid

from tests.helpers import Plan, render

ASSIGNMENT = "azure-native:authorization:RoleAssignment"
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
ACCOUNT = "azure-native:cognitiveservices:Account"
SUBSCRIPTION = "7c1e4b2a-9d3f-4e8a-b5c6-2f1a0d9e8b7c"
COGNITIVE_SERVICES_USER = (
    f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/"
    "a97b65f3-24c7-4388-baec-2e87135dc908"
)


def callers(plan: Plan) -> list[dict]:
    return [a["props"] for a in plan.of_type(ASSIGNMENT) if a["name"].startswith("foundry-callers")]


def test_applications_get_a_user_assigned_identity(prod_plan: Plan) -> None:
    identity = prod_plan.props(IDENTITY, "foundry-callers")

    assert identity["resourceName"] == "claude-access-prod-foundry-caller"
    assert identity["resourceGroupName"] == "rg-claude-access-prod"
    assert identity["location"] == "eastus2"


def test_the_identity_and_each_principal_get_cognitive_services_user_on_the_account(
    prod_plan: Plan,
) -> None:
    account_id = prod_plan.one(ACCOUNT)["id"]
    identity = prod_plan.props(ASSIGNMENT, "foundry-callers-identity")["principalId"]
    grants = callers(prod_plan)

    assert sorted((g["principalId"], g["principalType"]) for g in grants) == sorted(
        [
            (identity, "ServicePrincipal"),
            ("5b8e2c71-4a3d-4f0e-9c6b-1d2e3f4a5b6c", "Group"),
            ("9a0b1c2d-3e4f-4a5b-8c7d-6e5f4a3b2c1d", "ServicePrincipal"),
        ]
    )
    for grant in grants:
        assert grant["roleDefinitionId"] == COGNITIVE_SERVICES_USER
        assert grant["scope"] == account_id


def test_no_assignment_reaches_the_resource_group_or_the_subscription(prod_plan: Plan) -> None:
    for assignment in prod_plan.of_type(ASSIGNMENT):
        scope = assignment["props"]["scope"]
        assert "/providers/" in scope, scope
        assert scope.split("/providers/", 1)[1].startswith(
            ("Microsoft.CognitiveServices/accounts/", "Microsoft.KeyVault/vaults/")
        ), scope


def test_the_identitys_grant_names_its_principal(prod_plan: Plan) -> None:
    grant = prod_plan.props(ASSIGNMENT, "foundry-callers-identity")

    assert grant["principalType"] == "ServicePrincipal"
    assert uuid.UUID(grant["principalId"])
    assert grant["principalId"] not in {
        "5b8e2c71-4a3d-4f0e-9c6b-1d2e3f4a5b6c",
        "9a0b1c2d-3e4f-4a5b-8c7d-6e5f4a3b2c1d",
    }


def test_assignment_names_are_guids_that_stay_the_same_across_plans(prod_plan: Plan) -> None:
    again = render("prod", azure={"logRetentionDays": 90})
    names = {a["name"]: a["props"]["roleAssignmentName"] for a in prod_plan.of_type(ASSIGNMENT)}
    names_again = {a["name"]: a["props"]["roleAssignmentName"] for a in again.of_type(ASSIGNMENT)}

    assert names == names_again
    assert len(set(names.values())) == len(names)
    for name in names.values():
        assert uuid.UUID(name).version == 5


def test_without_principals_only_the_identity_is_granted() -> None:
    plan = render("prod", azure={"callerPrincipals": []})

    assert [g["principalType"] for g in callers(plan)] == ["ServicePrincipal"]
