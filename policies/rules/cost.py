"""Cost rules: spend on Claude is bounded, watched and alarmed.

- every cloud the stack uses has a budget;
- every budget warns at several thresholds, one of them on forecast spend, and reaches
  someone;
- Bedrock throttling and server errors raise CloudWatch alarms in every Bedrock region.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from .base import (
    Context,
    Finding,
    Resource,
    ResourceRule,
    StackRule,
    as_list,
    get,
    is_unknown,
)
from .clouds import (
    AWS_BUDGET,
    AZURE_BUDGET,
    GCP_BUDGET,
    METRIC_ALARM,
    aws_region,
    bedrock_regions,
    cloud_of,
    uses_bedrock,
)

__all__ = ["RULES"]

logger = logging.getLogger(__name__)

_BUDGET_TYPES: Final = {"aws": AWS_BUDGET, "gcp": GCP_BUDGET, "azure": AZURE_BUDGET}
_CLOUD_NAMES: Final = {"aws": "AWS", "gcp": "Google Cloud", "azure": "Azure"}
_BEDROCK_NAMESPACE: Final = "AWS/Bedrock"


def check_budget_per_cloud(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """Each cloud with resources in the stack has a budget in the stack."""
    present = {r.type for r in resources}
    used = {cloud_of(r.type) for r in resources} - {None}
    for cloud in sorted(c for c in used if c is not None):
        budget = _BUDGET_TYPES[cloud]
        if budget not in present:
            yield Finding(
                f"the stack has {_CLOUD_NAMES[cloud]} resources but no {budget}; add a "
                "monthly budget on the Claude spend with notifications at several thresholds",
            )


def _thresholds(resource_type: str, props: Mapping[str, Any]) -> list[tuple[Any, bool, bool]]:
    """Each notification of a budget as (threshold, is forecast, reaches someone)."""
    found: list[tuple[Any, bool, bool]] = []
    if resource_type == AWS_BUDGET:
        for entry in as_list(props.get("notifications")):
            recipients = as_list(get(entry, "subscriberEmailAddresses")) + as_list(
                get(entry, "subscriberSnsTopicArns")
            )
            forecast = str(get(entry, "notificationType")).upper() == "FORECASTED"
            found.append((get(entry, "threshold"), forecast, bool(recipients)))
    elif resource_type == GCP_BUDGET:
        silent = get(props, "allUpdatesRule", "disableDefaultIamRecipients") is True and not (
            as_list(get(props, "allUpdatesRule", "monitoringNotificationChannels"))
            or get(props, "allUpdatesRule", "pubsubTopic")
        )
        for entry in as_list(props.get("thresholdRules")):
            forecast = str(get(entry, "spendBasis")).upper() == "FORECASTED_SPEND"
            found.append((get(entry, "thresholdPercent"), forecast, not silent))
    elif resource_type == AZURE_BUDGET:
        notifications = props.get("notifications")
        entries = notifications.values() if isinstance(notifications, Mapping) else []
        for entry in entries:
            if get(entry, "enabled") is False:
                continue
            recipients = (
                as_list(get(entry, "contactEmails"))
                + as_list(get(entry, "contactGroups"))
                + as_list(get(entry, "contactRoles"))
            )
            forecast = str(get(entry, "thresholdType")).lower() == "forecasted"
            found.append((get(entry, "threshold"), forecast, bool(recipients)))
    return found


def check_budget_notifications(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """A budget warns early and more than once, and someone hears it.

    ``minThresholds`` distinct thresholds (three by default) give time to act before the
    limit; a forecast threshold warns before the money is spent.
    """
    if resource_type not in _BUDGET_TYPES.values():
        return
    if any(is_unknown(props.get(key)) for key in ("notifications", "thresholdRules")):
        return
    minimum = int(config.get("minThresholds", 3))
    entries = _thresholds(resource_type, props)
    distinct = {(threshold, forecast) for threshold, forecast, _ in entries}
    if len(distinct) < minimum:
        yield (
            f"the budget notifies at {len(distinct)} threshold(s); add notifications until "
            f"there are at least {minimum} (for example 50%, 80% and 100% of the amount)"
        )
    if config.get("requireForecast", True) and not any(forecast for _, forecast, _ in entries):
        yield (
            "no notification is on forecast spend; add one (FORECASTED, FORECASTED_SPEND or "
            "'Forecasted' threshold type) so the team hears before the budget is spent"
        )
    if any(not reaches for _, _, reaches in entries):
        yield (
            "a notification has no recipient; give every notification an e-mail address, "
            "topic, channel or contact group"
        )


def _alarm_metrics(alarm: Resource) -> list[str]:
    """The AWS/Bedrock metrics an alarm watches, directly or through metric queries."""
    metrics = []
    if alarm.props.get("namespace") == _BEDROCK_NAMESPACE:
        metrics.append(str(alarm.props.get("metricName")))
    for query in as_list(alarm.props.get("metricQueries")):
        if get(query, "metric", "namespace") == _BEDROCK_NAMESPACE:
            metrics.append(str(get(query, "metric", "metricName")))
    return metrics


def check_bedrock_alarms(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """Each Bedrock region has alarms on throttling and server errors that notify someone.

    Alarms are regional, so an alarm in one region says nothing about another. An alarm
    whose region cannot be read yet counts for every region.
    """
    if not uses_bedrock(resources):
        return
    required = [str(metric) for metric in as_list(config.get("requiredMetrics"))]
    watched: dict[str | None, set[str]] = {}
    for alarm in (r for r in resources if r.type == METRIC_ALARM):
        metrics = _alarm_metrics(alarm)
        if not metrics:
            continue
        region = aws_region(alarm.props, context.provider_of(alarm))
        key = region if isinstance(region, str) and region else None
        watched.setdefault(key, set()).update(metrics)
        actions = alarm.props.get("alarmActions")
        if not is_unknown(actions) and not as_list(actions):
            yield Finding(
                f"alarm {alarm.name} on {', '.join(metrics)} has no alarmActions, so nobody "
                "hears it; add the on-call SNS topic",
                alarm.urn,
            )

    regions = bedrock_regions(resources, context)
    if not regions:
        everything: set[str] = set().union(*watched.values())
        for metric in required:
            if metric not in everything:
                yield Finding(_missing_alarm(metric, ""))
        return
    anywhere = watched.get(None, set())
    for region, example in sorted(regions.items()):
        have = anywhere | watched.get(region, set())
        for metric in required:
            if metric not in have:
                yield Finding(_missing_alarm(metric, f" in {region}"), example.urn)


def _missing_alarm(metric: str, where: str) -> str:
    return (
        f"Bedrock{where} has no CloudWatch alarm on {metric} (namespace {_BEDROCK_NAMESPACE}); "
        "add an aws:cloudwatch/metricAlarm on it that notifies on-call"
    )


RULES = (
    StackRule(
        name="budget-per-cloud",
        concern="cost",
        description=(
            "Every cloud with resources in the stack (AWS, Google Cloud, Azure) has a budget."
        ),
        severity="medium",
        enforcement="mandatory",
        dev_enforcement="advisory",
        remediation=(
            "Add aws:budgets/budget, gcp:billing/budget or azure-native:consumption:Budget "
            "for the cloud, with an amount and notifications."
        ),
        check=check_budget_per_cloud,
    ),
    ResourceRule(
        name="budget-notifications",
        concern="cost",
        description=(
            "Every budget notifies at minThresholds or more thresholds, at least one on "
            "forecast spend, each reaching a recipient."
        ),
        severity="medium",
        enforcement="mandatory",
        dev_enforcement="advisory",
        remediation=(
            "Give the budget notifications at, for example, 50% and 80% actual and 100% "
            "forecasted, each with an e-mail address or SNS topic."
        ),
        params={
            "minThresholds": {
                "type": "integer",
                "minimum": 1,
                "default": 3,
                "description": "Fewest distinct thresholds a budget must notify at.",
            },
            "requireForecast": {
                "type": "boolean",
                "default": True,
                "description": "Whether one threshold must be on forecast spend.",
            },
        },
        check=check_budget_notifications,
    ),
    StackRule(
        name="bedrock-alarms",
        concern="cost",
        description=(
            "Every region that uses Bedrock has CloudWatch alarms on InvocationThrottles and "
            "InvocationServerErrors, with alarm actions."
        ),
        severity="medium",
        enforcement="mandatory",
        dev_enforcement="advisory",
        remediation=(
            "Add aws:cloudwatch/metricAlarm resources in namespace AWS/Bedrock for each "
            "required metric, per region, with alarmActions pointing at the on-call topic."
        ),
        params={
            "requiredMetrics": {
                "type": "array",
                "items": {"type": "string"},
                "default": ["InvocationThrottles", "InvocationServerErrors"],
                "description": "AWS/Bedrock metrics that must have an alarm in each region.",
            }
        },
        check=check_bedrock_alarms,
    ),
)
