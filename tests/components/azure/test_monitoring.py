"""Cost and health: the action group, alerts on throttling and server errors, the budget."""

from __future__ import annotations

import pytest

from components.azure.monitoring import FoundryAlerts, FoundryAlertsArgs
from tests.helpers import Plan, render

GROUP = "azure-native:monitor:ActionGroup"
ALERT = "azure-native:monitor:MetricAlert"
BUDGET = "azure-native:consumption:Budget"
ACCOUNT = "azure-native:cognitiveservices:Account"
RESOURCE_GROUP = "azure-native:resources:ResourceGroup"
EMAILS = ["platform-ai@example.com", "finops@example.com"]


def test_the_action_group_mails_the_budget_recipients(prod_plan: Plan) -> None:
    group = prod_plan.props(GROUP)

    assert [r["emailAddress"] for r in group["emailReceivers"]] == EMAILS
    assert group["groupShortName"] == "claude-prod"
    assert group["enabled"] is True
    assert group["location"] == "global"


def test_a_long_environment_still_gives_a_short_name_of_twelve_characters() -> None:
    plan = render("prod", environment="production-east")

    assert plan.props(GROUP)["groupShortName"] == "claude-produ"


def test_a_short_name_over_twelve_characters_is_refused() -> None:
    args = FoundryAlertsArgs(
        resource_group_name="rg",
        name_prefix="x",
        short_name="claude-production",
        emails=[],
        account_id="account",
        throttles=1,
        server_errors=1,
        window_minutes=5,
    )

    with pytest.raises(ValueError, match="12 characters at most, got 'claude-production'"):
        FoundryAlerts("alerts", args)


def test_alerts_watch_throttled_and_server_error_requests_on_the_account(prod_plan: Plan) -> None:
    account = prod_plan.one(ACCOUNT)["id"]
    group = prod_plan.one(GROUP)["id"]
    alerts = {a["name"]: a["props"] for a in prod_plan.of_type(ALERT)}

    assert sorted(alerts) == ["foundry-alerts-server-errors", "foundry-alerts-throttling"]
    expected = {
        "foundry-alerts-throttling": (["429"], 50),
        "foundry-alerts-server-errors": (["500", "502", "503", "504"], 10),
    }
    for name, props in alerts.items():
        codes, threshold = expected[name]
        (criterion,) = props["criteria"]["allOf"]
        assert props["scopes"] == [account]
        assert props["actions"] == [{"actionGroupId": group}]
        assert props["criteria"]["odataType"] == (
            "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria"
        )
        assert criterion["metricNamespace"] == "Microsoft.CognitiveServices/accounts"
        assert criterion["metricName"] == "ModelRequests"
        assert criterion["dimensions"] == [
            {"name": "StatusCode", "operator": "Include", "values": codes}
        ]
        assert (criterion["timeAggregation"], criterion["operator"]) == (
            "Total",
            "GreaterThanOrEqual",
        )
        assert criterion["threshold"] == threshold
        assert (props["windowSize"], props["evaluationFrequency"]) == ("PT5M", "PT1M")
        assert props["enabled"] is True


def test_alert_defaults_and_window_follow_the_config() -> None:
    plan = render("prod", azure={"alerts": None})
    longer = render("prod", azure={"alerts": {"windowMinutes": 15}})

    thresholds = {
        a["name"]: a["props"]["criteria"]["allOf"][0]["threshold"] for a in plan.of_type(ALERT)
    }
    assert thresholds == {"foundry-alerts-throttling": 10, "foundry-alerts-server-errors": 5}
    assert {a["props"]["windowSize"] for a in longer.of_type(ALERT)} == {"PT15M"}


def test_the_budget_covers_the_resource_group_monthly_from_a_fixed_start(prod_plan: Plan) -> None:
    budget = prod_plan.props(BUDGET)

    assert budget["scope"] == prod_plan.one(RESOURCE_GROUP)["id"]
    assert budget["amount"] == 20000
    assert (budget["category"], budget["timeGrain"]) == ("Cost", "Monthly")
    assert budget["timePeriod"] == {"startDate": "2026-12-01T00:00:00Z"}
    assert budget["budgetName"] == "claude-access-prod-foundry"


def test_every_threshold_notifies_on_actual_and_on_forecast_cost(prod_plan: Plan) -> None:
    notifications = prod_plan.props(BUDGET)["notifications"]
    group = prod_plan.one(GROUP)["id"]

    assert {(n["threshold"], n["thresholdType"]) for n in notifications.values()} == {
        (percent, kind) for percent in (50, 80, 100, 120) for kind in ("Actual", "Forecasted")
    }
    assert len(notifications) == 8
    for notification in notifications.values():
        assert notification["enabled"] is True
        assert notification["operator"] == "GreaterThan"
        assert notification["contactEmails"] == EMAILS
        assert notification["contactGroups"] == [group]


def test_a_single_threshold_still_gets_both_notices() -> None:
    notifications = render("prod", azure={"budget": {"thresholds": [90]}}).props(BUDGET)[
        "notifications"
    ]

    assert sorted(n["thresholdType"] for n in notifications.values()) == ["Actual", "Forecasted"]
