"""Diagnostics: the account's logs and metrics go to a Log Analytics workspace."""

from __future__ import annotations

from tests.helpers import Plan, render

WORKSPACE = "azure-native:operationalinsights:Workspace"
SETTING = "azure-native:monitor:DiagnosticSetting"
ACCOUNT = "azure-native:cognitiveservices:Account"


def test_the_workspace_keeps_logs_for_the_configured_retention(prod_plan: Plan) -> None:
    workspace = prod_plan.props(WORKSPACE)

    assert workspace["sku"] == {"name": "PerGB2018"}
    assert workspace["retentionInDays"] == 365
    assert workspace["workspaceName"] == "claude-access-prod-foundry-logs"
    assert workspace["location"] == "eastus2"


def test_the_default_retention_is_ninety_days() -> None:
    assert (
        render("prod", azure={"logRetentionDays": None}).props(WORKSPACE)["retentionInDays"] == 90
    )


def test_the_account_sends_audit_and_all_logs_and_all_metrics_to_the_workspace(
    prod_plan: Plan,
) -> None:
    setting = prod_plan.props(SETTING)

    assert setting["resourceUri"] == prod_plan.one(ACCOUNT)["id"]
    assert setting["workspaceId"] == prod_plan.one(WORKSPACE)["id"]
    assert setting["logs"] == [
        {"categoryGroup": "audit", "enabled": True},
        {"categoryGroup": "allLogs", "enabled": True},
    ]
    assert setting["metrics"] == [{"category": "AllMetrics", "enabled": True}]
