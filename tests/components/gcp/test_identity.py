"""The invoker: one permission, no keys, impersonated only by the configured principals."""

from __future__ import annotations

import pytest

from components.gcp import data
from tests.helpers import Plan, render

ACCOUNT = "gcp:serviceaccount/account:Account"
CUSTOM_ROLE = "gcp:projects/iAMCustomRole:IAMCustomRole"
PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember"
ACCOUNT_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"
TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"

STAGING_PRINCIPALS = {
    "serviceAccount:chat-service@acme-apps-staging.iam.gserviceaccount.com",
    "principal://iam.googleapis.com/projects/482913657204/locations/global/"
    "workloadIdentityPools/acme-claude-staging.svc.id.goog/subject/ns/apps/sa/chat-service",
}
PROD_PRINCIPALS = {
    "serviceAccount:chat-service@acme-apps-prod.iam.gserviceaccount.com",
    "serviceAccount:support-assistant@acme-apps-prod.iam.gserviceaccount.com",
    "group:claude-oncall@example.com",
    "principalSet://iam.googleapis.com/projects/739104582613/locations/global/"
    "workloadIdentityPools/acme-claude-prod.svc.id.goog/namespace/apps",
}


def iam_grants(plan: Plan) -> list[dict]:
    """Every gcp IAM member, binding or policy resource in the plan."""
    return [
        resource
        for resource in plan.custom()
        if resource["type"].startswith("gcp:")
        and resource["type"].rsplit(":", 1)[1].endswith(("IAMMember", "IAMBinding", "IAMPolicy"))
    ]


@pytest.fixture(params=["staging", "prod"])
def plan(request: pytest.FixtureRequest, staging_plan: Plan, prod_plan: Plan) -> Plan:
    return {"staging": staging_plan, "prod": prod_plan}[request.param]


def test_the_invoker_role_holds_only_the_permission_to_call_claude(plan: Plan) -> None:
    role = plan.props(CUSTOM_ROLE)

    assert role["permissions"] == ["aiplatform.endpoints.predict"]
    assert list(data.INVOKER_PERMISSIONS) == ["aiplatform.endpoints.predict"]
    assert role["stage"] == "GA"


def test_the_role_is_named_per_environment(staging_plan: Plan, prod_plan: Plan) -> None:
    assert staging_plan.props(CUSTOM_ROLE)["roleId"] == "claudeAccessInvoker_staging"
    assert prod_plan.props(CUSTOM_ROLE)["roleId"] == "claudeAccessInvoker_prod"
    assert (
        prod_plan.one(CUSTOM_ROLE)["id"]
        == "projects/acme-claude-prod/roles/claudeAccessInvoker_prod"
    )


def test_the_role_is_granted_to_the_invoker_service_account_alone(plan: Plan) -> None:
    account = plan.one(ACCOUNT)
    role = plan.one(CUSTOM_ROLE)
    (grant,) = plan.of_type(PROJECT_MEMBER)
    email = f"{account['props']['accountId']}@{account['props']['project']}.iam.gserviceaccount.com"

    assert grant["props"]["role"] == role["id"]
    assert grant["props"]["member"] == f"serviceAccount:{email}"
    assert grant["props"]["project"] == account["props"]["project"]
    assert "condition" not in grant["props"]


def test_the_service_account_is_named_per_environment(staging_plan: Plan, prod_plan: Plan) -> None:
    assert staging_plan.props(ACCOUNT)["accountId"] == "claude-access-staging"
    assert prod_plan.props(ACCOUNT)["accountId"] == "claude-access-prod"
    assert prod_plan.props(ACCOUNT)["project"] == "acme-claude-prod"


@pytest.mark.parametrize(
    ("stack", "principals"), [("staging", STAGING_PRINCIPALS), ("prod", PROD_PRINCIPALS)]
)
def test_only_the_configured_principals_may_impersonate_the_invoker(
    stack: str, principals: set[str], staging_plan: Plan, prod_plan: Plan
) -> None:
    plan = {"staging": staging_plan, "prod": prod_plan}[stack]
    account = plan.one(ACCOUNT)
    grants = plan.of_type(ACCOUNT_MEMBER)

    assert {grant["props"]["member"] for grant in grants} == principals
    assert len(grants) == len(principals)
    for grant in grants:
        assert grant["props"]["role"] == TOKEN_CREATOR
        assert grant["props"]["serviceAccountId"] == account["id"]


def test_impersonation_is_never_granted_on_the_project(plan: Plan) -> None:
    for grant in plan.of_type(PROJECT_MEMBER):
        assert grant["props"]["role"] != TOKEN_CREATOR
        assert not grant["props"]["role"].startswith("roles/iam.")


def test_no_primitive_role_is_granted_anywhere(plan: Plan) -> None:
    grants = iam_grants(plan)

    assert grants
    for grant in grants:
        assert grant["props"]["role"] not in data.PRIMITIVE_ROLES, grant["urn"]


def test_every_role_granted_is_one_the_kit_means_to_grant(
    staging_plan: Plan, prod_plan: Plan
) -> None:
    def roles(plan: Plan) -> set[str]:
        return {grant["props"]["role"] for grant in iam_grants(plan)}

    assert roles(staging_plan) == {
        "projects/acme-claude-staging/roles/claudeAccessInvoker_staging",
        TOKEN_CREATOR,
        "roles/storage.objectCreator",
    }
    assert roles(prod_plan) == {
        "projects/acme-claude-prod/roles/claudeAccessInvoker_prod",
        TOKEN_CREATOR,
        "roles/storage.objectCreator",
        "roles/cloudkms.cryptoKeyEncrypterDecrypter",
    }


def test_no_service_account_key_is_created(plan: Plan) -> None:
    assert not [r for r in plan.resources if r["type"].startswith("gcp:serviceaccount/key")]


def test_each_kind_of_principal_is_named_as_iam_expects() -> None:
    plan = render(
        "staging",
        gcp={
            "invokerPrincipals": {
                "users": ["alice@example.com"],
                "groups": ["ml-apps@example.com"],
                "serviceAccounts": [],
                "workloadIdentityPrincipals": [],
            }
        },
    )

    assert {grant["props"]["member"] for grant in plan.of_type(ACCOUNT_MEMBER)} == {
        "user:alice@example.com",
        "group:ml-apps@example.com",
    }


def test_reordering_the_principals_replaces_no_grant() -> None:
    accounts = [
        "chat-service@acme-apps-staging.iam.gserviceaccount.com",
        "support-assistant@acme-apps-staging.iam.gserviceaccount.com",
    ]
    plan = render("staging", gcp={"invokerPrincipals": {"serviceAccounts": accounts}})
    reordered = render("staging", gcp={"invokerPrincipals": {"serviceAccounts": accounts[::-1]}})

    def names(plan: Plan) -> dict[str, str]:
        return {g["props"]["member"]: g["name"] for g in plan.of_type(ACCOUNT_MEMBER)}

    assert len(names(plan)) == 3
    assert names(plan) == names(reordered)
