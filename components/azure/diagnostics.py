"""The Foundry account's logs and metrics, kept in Log Analytics."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import operationalinsights

from components.azure import data
from components.by_token import TokenResource

__all__ = ["LOG_CATEGORY_GROUPS", "FoundryDiagnostics", "FoundryDiagnosticsArgs"]

LOG_CATEGORY_GROUPS: tuple[str, ...] = ("audit", "allLogs")
"""Category groups the account sends: audit events, and every log (requests, traces)."""


@dataclass(frozen=True)
class FoundryDiagnosticsArgs:
    """Where logs go and how long they stay.

    :param resource_group_name: the workspace's resource group.
    :param location: the workspace's region.
    :param workspace_name: the Log Analytics workspace's name.
    :param setting_name: the diagnostic setting's name.
    :param account_id: the account whose logs are sent.
    :param retention_days: how long the workspace keeps them.
    """

    resource_group_name: pulumi.Input[str]
    location: str
    workspace_name: str
    setting_name: str
    account_id: pulumi.Input[str]
    retention_days: int


class FoundryDiagnostics(pulumi.ComponentResource):
    """A Log Analytics workspace and the account's diagnostic setting that fills it.

    The setting sends the ``audit`` and ``allLogs`` category groups, so new log
    categories are collected without a change here, and ``AllMetrics``. Activity-log
    events (who changed the account) stay in Azure's activity log as they always do.
    """

    workspace_id: pulumi.Output[str]
    customer_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: FoundryDiagnosticsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:azure:FoundryDiagnostics", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        workspace = operationalinsights.Workspace(
            f"{name}-workspace",
            workspace_name=args.workspace_name,
            resource_group_name=args.resource_group_name,
            location=args.location,
            sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
            retention_in_days=args.retention_days,
            tags={},
            opts=child,
        )
        TokenResource(
            data.DIAGNOSTIC_SETTING,
            f"{name}-setting",
            {
                "name": args.setting_name,
                "resourceUri": args.account_id,
                "workspaceId": workspace.id,
                "logs": [
                    {"categoryGroup": group, "enabled": True} for group in LOG_CATEGORY_GROUPS
                ],
                "metrics": [{"category": "AllMetrics", "enabled": True}],
            },
            child,
        )

        self.workspace_id = workspace.id
        self.customer_id = workspace.customer_id
        self.register_outputs({"workspaceId": workspace.id})
