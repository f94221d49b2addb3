"""Cost and health: the encrypted topic, alarms per model, the Bedrock budget."""

from __future__ import annotations

from tests.helpers import Plan, as_list, render, statements

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
BUDGET = "aws:budgets/budget:Budget"


def test_the_topic_is_encrypted_and_only_alarms_and_budgets_publish(dev_plan: Plan) -> None:
    topic = dev_plan.props(TOPIC)
    key = dev_plan.one("aws:kms/key:Key")
    alarms, budgets = statements(dev_plan.policy(TOPIC))

    assert topic["kmsMasterKeyId"] == key["id"]
    assert alarms["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert budgets["Principal"] == {"Service": "budgets.amazonaws.com"}
    for statement in (alarms, budgets):
        assert statement["Action"] == "sns:Publish"
        assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": "111122223333"}


def test_recipients_are_subscribed_by_email(prod_plan: Plan) -> None:
    subscriptions = prod_plan.of_type("aws:sns/topicSubscription:TopicSubscription")

    assert sorted((s["props"]["protocol"], s["props"]["endpoint"]) for s in subscriptions) == [
        ("email", "finops@example.com"),
        ("email", "finops@example.com"),
        ("email", "platform-ai@example.com"),
        ("email", "platform-ai@example.com"),
    ]


def test_each_allowed_model_has_throttle_error_and_latency_alarms_per_region(
    prod_plan: Plan,
) -> None:
    alarms = prod_plan.of_type(ALARM)
    seen = {
        (
            a["name"].split("-")[1] + "-" + a["name"].split("-")[2],
            a["props"]["dimensions"]["ModelId"],
            a["props"]["metricName"],
        )
        for a in alarms
    }
    models = [
        "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        "us.anthropic.claude-sonnet-4-6",
        "us.anthropic.claude-opus-4-6-v1",
    ]
    metrics = ["InvocationThrottles", "InvocationServerErrors", "InvocationLatency"]

    assert len(alarms) == 2 * 3 * 3
    assert {(m, x) for _, m, x in seen} == {(m, x) for m in models for x in metrics}


def test_alarm_thresholds_follow_the_config_and_notify_the_region_topic(prod_plan: Plan) -> None:
    topic = prod_plan.one(TOPIC, "us-west-2")["id"]
    by_metric = {
        a["props"]["metricName"]: a["props"]
        for a in prod_plan.of_type(ALARM)
        if "us-west-2" in a["name"] and "sonnet" in a["name"]
    }

    assert by_metric["InvocationThrottles"]["threshold"] == 50
    assert by_metric["InvocationThrottles"]["statistic"] == "Sum"
    assert by_metric["InvocationServerErrors"]["threshold"] == 10
    assert by_metric["InvocationLatency"]["threshold"] == 20000
    assert by_metric["InvocationLatency"]["extendedStatistic"] == "p99"
    for props in by_metric.values():
        assert props["namespace"] == "AWS/Bedrock"
        assert props["period"] == 300
        assert props["evaluationPeriods"] == 2
        assert props["alarmActions"] == [topic]


def test_the_budget_covers_bedrock_with_actual_and_forecast_notices(prod_plan: Plan) -> None:
    budget = prod_plan.props(BUDGET)
    topic = prod_plan.one(TOPIC, "us-east-1")["id"]
    notices = {(n["threshold"], n["notificationType"]) for n in budget["notifications"]}

    assert budget["limitAmount"] == "25000.00"
    assert (budget["limitUnit"], budget["timeUnit"], budget["budgetType"]) == (
        "USD",
        "MONTHLY",
        "COST",
    )
    assert budget["costFilters"] == [{"name": "Service", "values": ["Amazon Bedrock"]}]
    assert notices == {(p, k) for p in (50, 75, 90, 100, 120) for k in ("ACTUAL", "FORECASTED")}
    for notice in budget["notifications"]:
        assert notice["thresholdType"] == "PERCENTAGE"
        assert notice["comparisonOperator"] == "GREATER_THAN"
        assert sorted(notice["subscriberEmailAddresses"]) == [
            "finops@example.com",
            "platform-ai@example.com",
        ]
        assert as_list(notice["subscriberSnsTopicArns"]) == [topic]


def test_a_single_threshold_still_gets_both_notices() -> None:
    budget = render("dev", aws={"budget": {"thresholds": [90]}}).props(BUDGET)

    assert sorted(n["notificationType"] for n in budget["notifications"]) == [
        "ACTUAL",
        "FORECASTED",
    ]
