"""Cost rules: a budget per cloud, budgets that warn in time, Bedrock alarms per region."""

from __future__ import annotations

import pytest

from tests.policies.plans import TOPIC_ARN, PlanBuilder, compliant


@pytest.fixture
def plan() -> PlanBuilder:
    return compliant("prod")


# --- budget-per-cloud ---------------------------------------------------------------------


def test_budget_in_every_cloud_passes(plan: PlanBuilder) -> None:
    assert plan.messages("budget-per-cloud") == []


@pytest.mark.parametrize(
    ("budget", "cloud", "token"),
    [
        ("aws-budget", "AWS", "aws:budgets/budget:Budget"),
        ("gcp-budget", "Google Cloud", "gcp:billing/budget:Budget"),
        ("azure-budget", "Azure", "azure-native:consumption:Budget"),
    ],
)
def test_cloud_without_budget_is_rejected(
    plan: PlanBuilder, budget: str, cloud: str, token: str
) -> None:
    plan.remove(budget)

    [violation] = [v for v in plan.check() if v.policy == "budget-per-cloud"]

    assert violation.urn == ""
    assert f"the stack has {cloud} resources but no {token}" in violation.message


def test_unused_cloud_needs_no_budget() -> None:
    plan = PlanBuilder()
    plan.add("aws:s3/bucket:Bucket", "b", {"bucket": "b"})
    plan.add("aws:budgets/budget:Budget", "budget", {})

    assert plan.messages("budget-per-cloud") == []


# --- budget-notifications -------------------------------------------------------------------


def test_budgets_with_three_thresholds_and_a_forecast_pass(plan: PlanBuilder) -> None:
    assert plan.messages("budget-notifications") == []


def test_aws_budget_with_too_few_thresholds_is_rejected(plan: PlanBuilder) -> None:
    plan.props("aws-budget")["notifications"].pop(0)

    [message] = plan.messages("budget-notifications")

    assert "notifies at 2 threshold(s)" in message
    assert "at least 3" in message


def test_gcp_budget_without_forecast_threshold_is_rejected(plan: PlanBuilder) -> None:
    del plan.props("gcp-budget")["thresholdRules"][2]["spendBasis"]

    [message] = plan.messages("budget-notifications")

    assert "no notification is on forecast spend" in message


def test_azure_budget_notification_without_recipient_is_rejected(plan: PlanBuilder) -> None:
    del plan.props("azure-budget")["notifications"]["half"]["contactEmails"]

    [message] = plan.messages("budget-notifications")

    assert "a notification has no recipient" in message


def test_disabled_azure_notifications_do_not_count(plan: PlanBuilder) -> None:
    plan.props("azure-budget")["notifications"]["half"]["enabled"] = False

    assert any("threshold(s)" in m for m in plan.messages("budget-notifications"))


def test_threshold_count_and_forecast_come_from_config(plan: PlanBuilder) -> None:
    notifications = plan.props("aws-budget")["notifications"]
    plan.props("aws-budget")["notifications"] = notifications[:1]
    config = {"budget-notifications": {"minThresholds": 1, "requireForecast": False}}

    assert plan.messages("budget-notifications", config) == []


# --- bedrock-alarms ---------------------------------------------------------------------------


def test_throttle_and_error_alarms_pass(plan: PlanBuilder) -> None:
    assert plan.messages("bedrock-alarms") == []


def test_missing_throttle_alarm_is_rejected(plan: PlanBuilder) -> None:
    plan.remove("bedrock-InvocationThrottles")

    [message] = plan.messages("bedrock-alarms")

    assert "Bedrock in us-east-1 has no CloudWatch alarm on InvocationThrottles" in message


def test_alarm_without_actions_is_rejected(plan: PlanBuilder) -> None:
    plan.props("bedrock-InvocationServerErrors")["alarmActions"] = []

    [message] = plan.messages("bedrock-alarms")

    assert "alarm bedrock-InvocationServerErrors" in message
    assert "has no alarmActions" in message


def test_alarm_in_another_region_does_not_count(plan: PlanBuilder) -> None:
    eu = plan.provider("aws", "aws-eu-west-1", region="eu-west-1")
    plan.add(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "bedrock-runtime-eu-west-1",
        {"serviceName": "com.amazonaws.eu-west-1.bedrock-runtime"},
        provider=eu,
    )

    messages = plan.messages("bedrock-alarms")

    assert len(messages) == 2
    assert all("Bedrock in eu-west-1" in m for m in messages)


def test_metric_math_alarm_on_bedrock_counts(plan: PlanBuilder) -> None:
    plan.remove("bedrock-InvocationThrottles")
    plan.add(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "throttle-rate",
        {
            "metricQueries": [
                {
                    "id": "m1",
                    "metric": {"namespace": "AWS/Bedrock", "metricName": "InvocationThrottles"},
                }
            ],
            "alarmActions": [TOPIC_ARN],
        },
    )

    assert plan.messages("bedrock-alarms") == []


def test_alarms_are_not_required_without_bedrock() -> None:
    plan = PlanBuilder()
    plan.add("aws:s3/bucket:Bucket", "b", {"bucket": "b"})

    assert plan.messages("bedrock-alarms") == []
