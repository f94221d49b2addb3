"""Claude deployments: one per tier, as Anthropic models, with the organisation's details."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import settings
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from components.azure.config import FoundryDeployment, ModelProviderData
from components.azure.deployments import ClaudeDeployments, ClaudeDeploymentsArgs
from tests.helpers import Plan, render

RESOURCE = "azure-native:resources:Resource"
ACCOUNT_ID = (
    "/subscriptions/7c1e4b2a-9d3f-4e8a-b5c6-2f1a0d9e8b7c/resourceGroups/rg-claude-access-prod/"
    "providers/Microsoft.CognitiveServices/accounts/example-claude-prod"
)


def deployments(plan: Plan) -> dict[str, dict[str, Any]]:
    return {r["props"]["resourceName"]: r for r in plan.of_type(RESOURCE)}


def test_each_tier_is_deployed_under_its_catalog_name_in_the_account(prod_plan: Plan) -> None:
    found = deployments(prod_plan)

    assert sorted(found) == ["claude-haiku-4-5", "claude-opus-4-6", "claude-sonnet-4-6"]
    for name, deployment in found.items():
        props = deployment["props"]
        assert props["resourceProviderNamespace"] == "Microsoft.CognitiveServices"
        assert props["parentResourcePath"] == "accounts/example-claude-prod"
        assert props["resourceType"] == "deployments"
        assert props["resourceGroupName"] == "rg-claude-access-prod"
        assert deployment["id"] == f"{ACCOUNT_ID}/deployments/{name}"


def test_deployments_are_anthropic_models_with_the_configured_version_sku_and_capacity(
    prod_plan: Plan,
) -> None:
    found = {name: d["props"] for name, d in deployments(prod_plan).items()}

    assert {name: props["properties"]["model"] for name, props in found.items()} == {
        "claude-haiku-4-5": {"format": "Anthropic", "name": "claude-haiku-4-5", "version": "2"},
        "claude-sonnet-4-6": {"format": "Anthropic", "name": "claude-sonnet-4-6", "version": "1"},
        "claude-opus-4-6": {"format": "Anthropic", "name": "claude-opus-4-6", "version": "1"},
    }
    assert {name: props["sku"] for name, props in found.items()} == {
        "claude-haiku-4-5": {"name": "GlobalStandard", "capacity": 200},
        "claude-sonnet-4-6": {"name": "DataZoneStandard", "capacity": 400},
        "claude-opus-4-6": {"name": "GlobalStandard", "capacity": 100},
    }
    for props in found.values():
        assert props["properties"]["versionUpgradeOption"] == "NoAutoUpgrade"


def test_deployments_use_an_api_version_that_carries_model_provider_data(prod_plan: Plan) -> None:
    for deployment in deployments(prod_plan).values():
        props = deployment["props"]
        assert props["apiVersion"] == "2025-10-01-preview"
        assert props["properties"]["modelProviderData"] == {
            "organizationName": "Example Corporation",
            "countryCode": "US",
            "industry": "technology",
        }


def test_a_tier_left_out_is_not_deployed() -> None:
    plan = render("prod", azure={"deployments": {"haiku": None}})

    assert sorted(deployments(plan)) == ["claude-opus-4-6", "claude-sonnet-4-6"]


class _DependencyMonitor(pulumi_mocks.MockMonitor):
    """Keeps the resources each registration waits for."""

    def __init__(self, mocks: pulumi_mocks.Mocks) -> None:
        super().__init__(mocks)
        self.waits_for: dict[str, list[str]] = {}

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        self.waits_for[request.name] = [urn.rsplit("::", 1)[-1] for urn in request.dependencies]
        return response


class _Mocks(pulumi_mocks.Mocks):
    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi_mocks.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


def test_deployments_are_written_one_after_another() -> None:
    mocks = _Mocks()
    monitor = _DependencyMonitor(mocks)
    settings.reset_options()
    settings.set_root_resource(None)  # type: ignore[arg-type]
    pulumi_mocks.set_mocks(mocks, project="claude-access", stack="test", monitor=monitor)
    spec = FoundryDeployment(model="claude-sonnet-4-6", version="1", capacity=1)

    async def program() -> None:
        ClaudeDeployments(
            "claude",
            ClaudeDeploymentsArgs(
                resource_group_name="rg",
                account_name=pulumi.Output.from_input("account"),
                deployments={"first": spec, "second": spec, "third": spec},
                provider_data=ModelProviderData(
                    organization_name="Example", country_code="US", industry="technology"
                ),
            ),
        )

    _sync_await(run_pulumi_func(program))

    assert monitor.waits_for["claude-first"] == []
    assert monitor.waits_for["claude-second"] == ["claude-first"]
    assert monitor.waits_for["claude-third"] == ["claude-second"]
