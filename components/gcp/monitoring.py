"""Cost and health on Google Cloud: notification channels, Claude alerts and the budget."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_gcp import billing, monitoring

from components.gcp.options import child_options

__all__ = [
    "INVOCATIONS_METRIC",
    "SPEND_BASES",
    "VertexAlerts",
    "VertexAlertsArgs",
    "VertexBudget",
    "VertexBudgetArgs",
    "invocation_filter",
]

INVOCATIONS_METRIC = "aiplatform.googleapis.com/publisher/online_serving/model_invocation_count"
"""Calls to publisher models, with the response code of each as the ``response_code`` label."""

PUBLISHER_MODEL = "aiplatform.googleapis.com/PublisherModel"
"""The monitored resource of publisher models; its ``publisher`` label names Anthropic's."""

SPEND_BASES = ("CURRENT_SPEND", "FORECASTED_SPEND")
"""Each budget threshold notifies on money spent and on the month's forecast."""

_PERIOD_SECONDS = 300


def invocation_filter(response_code: str) -> str:
    """A Monitoring filter on calls to Claude whose response code matches ``response_code``.

    ``response_code`` is the right-hand side of the comparison: a quoted code such as
    ``"429"`` or a ``monitoring.regex.full_match(...)`` call.
    """
    return (
        f'metric.type = "{INVOCATIONS_METRIC}" '
        f'AND resource.type = "{PUBLISHER_MODEL}" '
        'AND resource.labels.publisher = "anthropic" '
        f"AND metric.labels.response_code = {response_code}"
    )


THROTTLES_FILTER = invocation_filter('"429"')
SERVER_ERRORS_FILTER = invocation_filter('monitoring.regex.full_match("5[0-9][0-9]")')


@dataclass(frozen=True)
class VertexAlertsArgs:
    """Whom to tell and when.

    :param project: the project whose calls to Claude are watched.
    :param environment: the stack's environment, for display names.
    :param emails: recipients; each gets a notification channel.
    :param throttles: rate-limited (429) calls per 5 minutes that alert.
    :param server_errors: server errors (5xx) per 5 minutes that alert.
    :param evaluation_periods: 5-minute periods a threshold must hold.
    """

    project: str
    environment: str
    emails: Sequence[str]
    throttles: int
    server_errors: int
    evaluation_periods: int


class VertexAlerts(pulumi.ComponentResource):
    """E-mail channels and one alert policy on Claude's rate limits and server errors.

    The policy opens when, summed per model and location over 5 minutes, rate-limited
    calls or server errors pass their thresholds. The channels are shared with the
    budget, so one set of recipients hears about cost and health.
    """

    channel_names: list[pulumi.Output[str]]

    def __init__(
        self, name: str, args: VertexAlertsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if not args.emails:
            raise TypeError("Expected at least one e-mail recipient")
        if args.evaluation_periods < 1:
            raise TypeError(
                f"Expected evaluation_periods of 1 or more, got {args.evaluation_periods!r}"
            )

        super().__init__("claude-access:gcp:VertexAlerts", name, None, opts)
        child = child_options(self, opts)

        # The channels. An e-mail channel keeps its address in `labels`; the kit's own
        # labels go to `user_labels` (see components.tagging).
        channels = [
            monitoring.NotificationChannel(
                f"{name}-email-{index}",
                project=args.project,
                type="email",
                display_name=f"claude-access {args.environment}: {email}",
                labels={"email_address": email},
                opts=child,
            )
            for index, email in enumerate(args.emails)
        ]
        self.channel_names = [channel.name for channel in channels]

        # The policy.
        duration = f"{(args.evaluation_periods - 1) * _PERIOD_SECONDS}s"
        monitoring.AlertPolicy(
            f"{name}-claude",
            project=args.project,
            display_name=f"claude-access {args.environment}: Claude on Vertex AI failing",
            combiner="OR",
            severity="ERROR",
            conditions=[
                _condition(
                    "Claude calls rate-limited (429)", THROTTLES_FILTER, args.throttles, duration
                ),
                _condition(
                    "Claude server errors (5xx)",
                    SERVER_ERRORS_FILTER,
                    args.server_errors,
                    duration,
                ),
            ],
            notification_channels=self.channel_names,
            documentation=monitoring.AlertPolicyDocumentationArgs(
                mime_type="text/markdown",
                content=(
                    "Claude on Vertex AI answers with rate limits or server errors. Run the "
                    "smoke tests for this stack to see which location and model, check the "
                    "Vertex AI quotas of the project, and let the routing client fail over."
                ),
            ),
            alert_strategy=monitoring.AlertPolicyAlertStrategyArgs(auto_close="1800s"),
            opts=child,
        )

        self.register_outputs({"channelNames": self.channel_names})


def _condition(
    title: str, metric_filter: str, threshold: int, duration: str
) -> monitoring.AlertPolicyConditionArgs:
    return monitoring.AlertPolicyConditionArgs(
        display_name=title,
        condition_threshold=monitoring.AlertPolicyConditionConditionThresholdArgs(
            filter=metric_filter,
            comparison="COMPARISON_GT",
            threshold_value=threshold,
            duration=duration,
            aggregations=[
                monitoring.AlertPolicyConditionConditionThresholdAggregationArgs(
                    alignment_period=f"{_PERIOD_SECONDS}s",
                    per_series_aligner="ALIGN_DELTA",
                    cross_series_reducer="REDUCE_SUM",
                    group_by_fields=[
                        "resource.label.model_user_id",
                        "resource.label.location",
                    ],
                )
            ],
            trigger=monitoring.AlertPolicyConditionConditionThresholdTriggerArgs(count=1),
        ),
    )


@dataclass(frozen=True)
class VertexBudgetArgs:
    """What the budget counts, its limit and whom it tells.

    :param billing_account: the billing account id.
    :param display_name: the budget's name in the console.
    :param project_number: the project counted, by number (as budgets name projects).
    :param services: Cloud Billing service ids counted; empty counts every service.
    :param amount: the monthly limit.
    :param currency_code: the billing account's currency.
    :param thresholds: percentages of the amount that notify.
    :param channel_names: monitoring notification channels (5 at most).
    :param pubsub_topic: a topic that also gets every update, or ``None``.
    """

    billing_account: str
    display_name: str
    project_number: str
    services: Sequence[str]
    amount: float
    currency_code: str
    thresholds: Sequence[int]
    channel_names: Sequence[pulumi.Input[str]]
    pubsub_topic: str | None


class VertexBudget(pulumi.ComponentResource):
    """A monthly budget on the project, notifying on actual and forecast spend.

    Every threshold notifies twice: when the month's spend passes it and when the
    forecast for the month does, so that the team hears before the money is spent.
    """

    budget_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: VertexBudgetArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if not args.amount > 0:
            raise TypeError(f"Expected an amount above 0, got {args.amount!r}")
        if not args.thresholds:
            raise TypeError("Expected at least one threshold")
        if not 1 <= len(args.channel_names) <= 5:
            raise TypeError(f"Expected 1 to 5 notification channels, got {len(args.channel_names)}")

        super().__init__("claude-access:gcp:VertexBudget", name, None, opts)

        units = math.floor(args.amount)
        nanos = round((args.amount - units) * 1_000_000_000)
        budget = billing.Budget(
            f"{name}-monthly",
            billing_account=args.billing_account,
            display_name=args.display_name,
            budget_filter=billing.BudgetBudgetFilterArgs(
                projects=[f"projects/{args.project_number}"],
                services=list(args.services) or None,
                calendar_period="MONTH",
            ),
            amount=billing.BudgetAmountArgs(
                specified_amount=billing.BudgetAmountSpecifiedAmountArgs(
                    currency_code=args.currency_code, units=str(units), nanos=nanos or None
                )
            ),
            threshold_rules=[
                billing.BudgetThresholdRuleArgs(
                    threshold_percent=percent / 100, spend_basis=spend_basis
                )
                for percent in sorted(args.thresholds)
                for spend_basis in SPEND_BASES
            ],
            all_updates_rule=billing.BudgetAllUpdatesRuleArgs(
                monitoring_notification_channels=list(args.channel_names),
                pubsub_topic=args.pubsub_topic,
                schema_version="1.0" if args.pubsub_topic else None,
                disable_default_iam_recipients=False,
            ),
            opts=child_options(self, opts),
        )

        self.budget_name = budget.name
        self.register_outputs({"budgetName": budget.name})
