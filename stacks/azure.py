"""The Azure side of the program: the foundry path."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native

from components.azure import ids
from components.azure.account import FoundryAccount, FoundryAccountArgs
from components.azure.deployments import ClaudeDeployments, ClaudeDeploymentsArgs
from components.azure.diagnostics import FoundryDiagnostics, FoundryDiagnosticsArgs
from components.azure.identity import FoundryCallers, FoundryCallersArgs
from components.azure.monitoring import (
    FoundryAlerts,
    FoundryAlertsArgs,
    FoundryBudget,
    FoundryBudgetArgs,
)
from components.azure.network import FoundryPrivateAccess, FoundryPrivateAccessArgs
from components.config import PathKind, StackConfig
from stacks.deployment import Deployment

__all__ = ["deploy"]

BASE_URL = "https://{resource}.services.ai.azure.com/anthropic/"
"""The base URL ``AnthropicFoundry`` builds from a resource name; it appends ``v1/...``."""

PRIVATE_DNS_NAME = "{resource}.privatelink.services.ai.azure.com"
"""The endpoint's record in the private zone that the public name resolves through."""


def deploy(config: StackConfig) -> Deployment:
    """Compose the Azure components: one Foundry account in one region.

    Every resource goes through one explicit provider pinned to the configured
    subscription and location, so ambient Azure CLI defaults cannot redirect it.
    Names that the role assignments and the manifest need are fixed from config.
    """
    azure = config.azure
    assert azure.subscription_id and azure.resource_group_name and azure.location
    assert azure.account_name and azure.deployments and azure.model_provider_data
    assert azure.private_endpoint is not None and azure.budget is not None
    subscription = azure.subscription_id
    location = azure.location
    account_name = azure.account_name
    prefix = f"claude-access-{config.environment}"
    deployment_names = azure.deployment_names(config)
    deployment = Deployment()

    provider = pulumi_azure_native.Provider(
        f"azure-{location}", subscription_id=subscription, location=location
    )
    opts = pulumi.ResourceOptions(providers=[provider])

    # The account and its resource group.
    account = FoundryAccount(
        "foundry",
        FoundryAccountArgs(
            subscription_id=subscription,
            resource_group_name=azure.resource_group_name,
            location=location,
            account_name=account_name,
            customer_managed_key=azure.customer_managed_key,
            encryption_identity_name=f"{prefix}-foundry-encryption",
        ),
        opts,
    )
    group = account.resource_group_name

    # Claude, one deployment per tier.
    ClaudeDeployments(
        "claude",
        ClaudeDeploymentsArgs(
            resource_group_name=group,
            account_name=account.name,
            deployments={
                deployment_names[tier]: spec for tier, spec in azure.deployments.by_tier().items()
            },
            provider_data=azure.model_provider_data,
        ),
        opts,
    )

    # Reachable from the organisation's network only.
    endpoint = azure.private_endpoint
    FoundryPrivateAccess(
        "foundry-private",
        FoundryPrivateAccessArgs(
            resource_group_name=group,
            location=endpoint.location or location,
            endpoint_name=f"{account_name}-pe",
            subnet_id=endpoint.subnet_id,
            virtual_network_id=endpoint.network_id,
            account_id=account.id,
        ),
        opts,
    )

    # Callable by the organisation's identities only.
    callers = FoundryCallers(
        "foundry-callers",
        FoundryCallersArgs(
            subscription_id=subscription,
            resource_group_name=group,
            location=location,
            identity_name=f"{prefix}-foundry-caller",
            account_id=account.id,
            account_scope=ids.account_id(subscription, azure.resource_group_name, account_name),
            principals=azure.caller_principals,
        ),
        opts,
    )

    # Logs, health and cost.
    FoundryDiagnostics(
        "foundry-diagnostics",
        FoundryDiagnosticsArgs(
            resource_group_name=group,
            location=location,
            workspace_name=f"{prefix}-foundry-logs",
            setting_name=f"{prefix}-to-log-analytics",
            account_id=account.id,
            retention_days=azure.log_retention_days,
        ),
        opts,
    )
    alerts = FoundryAlerts(
        "foundry-alerts",
        FoundryAlertsArgs(
            resource_group_name=group,
            name_prefix=f"{prefix}-foundry",
            short_name=f"claude-{config.environment}"[:12],
            emails=azure.budget.emails,
            account_id=account.id,
            throttles=azure.alerts.throttles,
            server_errors=azure.alerts.server_errors,
            window_minutes=azure.alerts.window_minutes,
        ),
        opts,
    )
    FoundryBudget(
        "foundry-budget",
        FoundryBudgetArgs(
            name=f"{prefix}-foundry",
            scope=account.resource_group_id,
            amount=azure.budget.monthly_amount,
            thresholds=azure.budget.thresholds,
            emails=azure.budget.emails,
            action_group_id=alerts.action_group_id,
            start_date=azure.budget.start_date,
        ),
        opts,
    )

    # The manifest entry.
    def entry(client_id: str) -> dict[str, Any]:
        return {
            "name": f"{PathKind.FOUNDRY.value}-{location}",
            "kind": PathKind.FOUNDRY.value,
            "region": location,
            "baseUrl": BASE_URL.format(resource=account_name),
            "privateDnsName": PRIVATE_DNS_NAME.format(resource=account_name),
            "resource": account_name,
            "auth": {"type": "azure-managed-identity", "clientId": client_id},
            "models": dict(deployment_names),
        }

    deployment.paths.append(callers.client_id.apply(entry))
    deployment.outputs["azureAccountId"] = account.id
    deployment.outputs["azureCallerIdentityClientId"] = callers.client_id
    deployment.outputs["azureCallerIdentityPrincipalId"] = callers.principal_id
    deployment.outputs["azureActionGroupId"] = alerts.action_group_id
    return deployment
