"""Cost and health on AWS: the alarm topic, CloudWatch alarms and the Bedrock budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_aws import budgets, cloudwatch, sns

from components.aws import policies

__all__ = [
    "BedrockAlarms",
    "BedrockAlarmsArgs",
    "BedrockBudget",
    "BedrockBudgetArgs",
]

_PERIOD_SECONDS = 300


@dataclass(frozen=True)
class BedrockAlarmsArgs:
    """What to watch in one region and whom to tell.

    :param account_id: the account whose alarms and budgets publish to the topic.
    :param region: the region watched.
    :param topic_name: the SNS topic's name.
    :param key_id: the kit key that encrypts the topic.
    :param emails: recipients subscribed to the topic.
    :param model_ids: the model and profile ids to watch, as callers name them.
    :param throttles: throttled invocations per period that alarm.
    :param server_errors: server errors per period that alarm.
    :param latency_p99_ms: p99 latency that alarms.
    :param evaluation_periods: periods a threshold must hold.
    """

    account_id: str
    region: str
    topic_name: str
    key_id: pulumi.Input[str]
    emails: Sequence[str]
    model_ids: Sequence[str]
    throttles: int
    server_errors: int
    latency_p99_ms: int
    evaluation_periods: int


class BedrockAlarms(pulumi.ComponentResource):
    """An encrypted SNS topic and, per watched model, alarms on throttles, errors, latency.

    The topic's policy admits only this account's CloudWatch alarms and Budgets; its
    e-mail subscribers must confirm once, as SNS requires.
    """

    topic_arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: BedrockAlarmsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:aws:BedrockAlarms", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        topic_arn = f"arn:aws:sns:{args.region}:{args.account_id}:{args.topic_name}"

        # The topic and who hears it.
        topic = sns.Topic(
            f"{name}-topic",
            name=args.topic_name,
            kms_master_key_id=args.key_id,
            policy=policies.to_json(policies.topic_policy(topic_arn, args.account_id, args.region)),
            opts=child,
        )
        for index, email in enumerate(args.emails):
            sns.TopicSubscription(
                f"{name}-email-{index}",
                topic=topic.arn,
                protocol="email",
                endpoint=email,
                opts=child,
            )

        # Three alarms per model, all to the topic.
        for model in args.model_ids:
            slug = _slug(model)
            watched = [
                ("throttles", "InvocationThrottles", "Sum", args.throttles, "throttles"),
                ("server-errors", "InvocationServerErrors", "Sum", args.server_errors, "errors"),
                ("latency", "InvocationLatency", "p99", args.latency_p99_ms, "p99 latency"),
            ]
            for suffix, metric, statistic, threshold, what in watched:
                cloudwatch.MetricAlarm(
                    f"{name}-{slug}-{suffix}",
                    alarm_description=f"Bedrock {what} for {model} in {args.region}",
                    namespace="AWS/Bedrock",
                    metric_name=metric,
                    dimensions={"ModelId": model},
                    statistic=None if statistic.startswith("p") else statistic,
                    extended_statistic=statistic if statistic.startswith("p") else None,
                    period=_PERIOD_SECONDS,
                    evaluation_periods=args.evaluation_periods,
                    threshold=threshold,
                    comparison_operator="GreaterThanOrEqualToThreshold",
                    treat_missing_data="notBreaching",
                    alarm_actions=[topic.arn],
                    ok_actions=[topic.arn],
                    opts=child,
                )

        self.topic_arn = topic.arn
        self.register_outputs({"topicArn": topic.arn})


def _slug(model: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in model).strip("-")


@dataclass(frozen=True)
class BedrockBudgetArgs:
    """The monthly Bedrock budget.

    :param name: the budget's name.
    :param account_id: the account whose spend is budgeted.
    :param monthly_usd: the monthly limit.
    :param thresholds: percentages of the limit that notify, each as actual and forecast.
    :param emails: e-mail recipients of every notification.
    :param topic_arn: the SNS topic that also hears every notification.
    """

    name: str
    account_id: str
    monthly_usd: float
    thresholds: Sequence[int]
    emails: Sequence[str]
    topic_arn: pulumi.Input[str]


class BedrockBudget(pulumi.ComponentResource):
    """An AWS Budget on Bedrock cost with an actual and a forecast notice per threshold."""

    def __init__(
        self, name: str, args: BedrockBudgetArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:aws:BedrockBudget", name, None, opts)

        notifications = [
            budgets.BudgetNotificationArgs(
                comparison_operator="GREATER_THAN",
                notification_type=kind,
                threshold=percent,
                threshold_type="PERCENTAGE",
                subscriber_email_addresses=list(args.emails),
                subscriber_sns_topic_arns=[args.topic_arn],
            )
            for percent in args.thresholds
            for kind in ("ACTUAL", "FORECASTED")
        ]
        budget = budgets.Budget(
            f"{name}-budget",
            name=args.name,
            account_id=args.account_id,
            budget_type="COST",
            time_unit="MONTHLY",
            limit_amount=f"{args.monthly_usd:.2f}",
            limit_unit="USD",
            cost_filters=[budgets.BudgetCostFilterArgs(name="Service", values=["Amazon Bedrock"])],
            notifications=notifications,
            opts=pulumi.ResourceOptions(parent=self),
        )

        self.register_outputs({"name": budget.name})
