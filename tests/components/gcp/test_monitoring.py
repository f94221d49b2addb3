"""Cost and health: a budget on the project, e-mail channels, alerts on 429s and 5xx."""

from __future__ import annotations

import pytest

from components.gcp import data
from components.gcp.monitoring import INVOCATIONS_METRIC
from tests.helpers import Plan, render

BUDGET = "gcp:billing/budget:Budget"
CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel"
POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"


def channel_ids(plan: Plan) -> list[str]:
    return sorted(channel["id"] for channel in plan.of_type(CHANNEL))


def test_the_budget_counts_the_project_by_number_for_the_calendar_month(
    staging_plan: Plan,
) -> None:
    budget = staging_plan.props(BUDGET)

    assert budget["billingAccount"] == "01A2B3-C4D5E6-F7A8B9"
    assert budget["budgetFilter"] == {
        "projects": ["projects/482913657204"],
        "calendarPeriod": "MONTH",
    }
    assert budget["amount"] == {"specifiedAmount": {"currencyCode": "USD", "units": "2000"}}


def test_the_budget_can_be_narrowed_to_services() -> None:
    services = [data.VERTEX_AI_BILLING_SERVICE, "services/A1B2-C3D4-E5F6"]
    plan = render("staging", gcp={"budget": {"services": services}})

    assert plan.props(BUDGET)["budgetFilter"]["services"] == services
    assert plan.props(BUDGET)["budgetFilter"]["projects"] == ["projects/482913657204"]


@pytest.mark.parametrize(
    ("stack", "percents"), [("staging", [50, 80, 100]), ("prod", [50, 75, 90, 100, 120])]
)
def test_every_threshold_notifies_on_actual_and_forecast_spend(
    stack: str, percents: list[int], staging_plan: Plan, prod_plan: Plan
) -> None:
    plan = {"staging": staging_plan, "prod": prod_plan}[stack]

    assert plan.props(BUDGET)["thresholdRules"] == [
        {"thresholdPercent": percent / 100, "spendBasis": basis}
        for percent in percents
        for basis in ("CURRENT_SPEND", "FORECASTED_SPEND")
    ]


def test_the_budget_tells_the_channels_of_every_recipient(prod_plan: Plan) -> None:
    rule = prod_plan.props(BUDGET)["allUpdatesRule"]

    assert sorted(rule["monitoringNotificationChannels"]) == channel_ids(prod_plan)
    assert len(channel_ids(prod_plan)) == 2
    assert rule["disableDefaultIamRecipients"] is False
    assert "pubsubTopic" not in rule


def test_a_pubsub_topic_also_gets_every_update_and_fractions_are_kept() -> None:
    topic = "projects/acme-claude-staging/topics/claude-budget"
    plan = render("staging", gcp={"budget": {"pubsubTopic": topic, "amount": 1500.25}})
    budget = plan.props(BUDGET)

    assert budget["allUpdatesRule"]["pubsubTopic"] == topic
    assert budget["allUpdatesRule"]["schemaVersion"] == "1.0"
    assert budget["amount"]["specifiedAmount"] == {
        "currencyCode": "USD",
        "units": "1500",
        "nanos": 250_000_000,
    }


def test_each_recipient_gets_an_email_channel(prod_plan: Plan) -> None:
    channels = prod_plan.of_type(CHANNEL)

    assert sorted(c["props"]["labels"]["email_address"] for c in channels) == [
        "finops@example.com",
        "platform-ai@example.com",
    ]
    for channel in channels:
        assert channel["props"]["type"] == "email"
        assert set(channel["props"]["labels"]) == {"email_address"}
        assert channel["props"]["project"] == "acme-claude-prod"


def test_one_alert_policy_watches_rate_limits_and_server_errors_of_claude(
    prod_plan: Plan,
) -> None:
    policy = prod_plan.props(POLICY)
    throttles, errors = (c["conditionThreshold"] for c in policy["conditions"])

    assert policy["combiner"] == "OR"
    assert sorted(policy["notificationChannels"]) == channel_ids(prod_plan)
    for condition in (throttles, errors):
        assert f'metric.type = "{INVOCATIONS_METRIC}"' in condition["filter"]
        assert 'resource.type = "aiplatform.googleapis.com/PublisherModel"' in condition["filter"]
        assert 'resource.labels.publisher = "anthropic"' in condition["filter"]
        assert condition["comparison"] == "COMPARISON_GT"
        assert condition["duration"] == "300s"
        (aggregation,) = condition["aggregations"]
        assert aggregation["alignmentPeriod"] == "300s"
        assert aggregation["perSeriesAligner"] == "ALIGN_DELTA"
        assert aggregation["crossSeriesReducer"] == "REDUCE_SUM"
    assert throttles["filter"].endswith('metric.labels.response_code = "429"')
    assert errors["filter"].endswith(
        'metric.labels.response_code = monitoring.regex.full_match("5[0-9][0-9]")'
    )
    assert (throttles["thresholdValue"], errors["thresholdValue"]) == (50, 10)


def test_alert_thresholds_default_and_hold_for_one_period(staging_plan: Plan) -> None:
    throttles, errors = (c["conditionThreshold"] for c in staging_plan.props(POLICY)["conditions"])

    assert (throttles["thresholdValue"], errors["thresholdValue"]) == (20, 5)
    assert throttles["duration"] == errors["duration"] == "0s"
