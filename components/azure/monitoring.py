"""Cost and health on Azure: the action group, metric alerts and the budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pulumi
from pulumi_azure_native import consumption

from components.azure import data
from components.by_token import TokenResource

__all__ = [
    "FoundryAlerts",
    "FoundryAlertsArgs",
    "FoundryBudget",
    "FoundryBudgetArgs",
]


@dataclass(frozen=True)
class FoundryAlertsArgs:
    """What to watch and whom to tell.

    :param resource_group_name: the resource group of the action group and alerts.
    :param name_prefix: the prefix of the action group's and alerts' names.
    :param short_name: the action group's short name (12 characters at most), shown in
        the e-mails and texts it sends.
    :param emails: the recipients.
    :param account_id: the account watched.
    :param throttles: throttled requests per window that alert.
    :param server_errors: server errors per window that alert.
    :param window_minutes: the window the counts are summed over.
    """

    resource_group_name: pulumi.Input[str]
    name_prefix: str
    short_name: str
    emails: Sequence[str]
    account_id: pulumi.Input[str]
    throttles: int
    server_errors: int
    window_minutes: int


class FoundryAlerts(pulumi.ComponentResource):
    """An e-mail action group, and alerts on throttling and on server errors.

    Both alerts count the account's ``ModelRequests`` metric by ``StatusCode``: 429 for
    throttling, 500, 502, 503 and 504 for server errors. They are checked every minute
    over the configured window and resolve themselves when the count falls back.
    """

    action_group_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: FoundryAlertsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:azure:FoundryAlerts", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        if len(args.short_name) > 12:
            raise ValueError(
                f"Expected an action group short name of 12 characters at most, "
                f"got {args.short_name!r}"
            )

        group = TokenResource(
            data.ACTION_GROUP,
            f"{name}-group",
            {
                "actionGroupName": f"{args.name_prefix}-oncall",
                "groupShortName": args.short_name,
                "resourceGroupName": args.resource_group_name,
                "location": "global",
                "enabled": True,
                "emailReceivers": [
                    {
                        "name": f"email-{index}",
                        "emailAddress": email,
                        "useCommonAlertSchema": True,
                    }
                    for index, email in enumerate(args.emails)
                ],
                "tags": {},
            },
            child,
        )

        watched = [
            ("throttling", "throttled (429)", data.THROTTLED_STATUS_CODES, args.throttles, 2),
            (
                "server-errors",
                "server error (5xx)",
                data.SERVER_ERROR_STATUS_CODES,
                args.server_errors,
                1,
            ),
        ]
        window = f"PT{args.window_minutes}M"
        for suffix, what, codes, threshold, severity in watched:
            TokenResource(
                data.METRIC_ALERT,
                f"{name}-{suffix}",
                {
                    "ruleName": f"{args.name_prefix}-{suffix}",
                    "resourceGroupName": args.resource_group_name,
                    "location": "global",
                    "description": f"claude-access: {what} Claude requests on the Foundry account",
                    "severity": severity,
                    "enabled": True,
                    "scopes": [args.account_id],
                    "evaluationFrequency": "PT1M",
                    "windowSize": window,
                    "autoMitigate": True,
                    "criteria": {
                        "odataType": "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                        "allOf": [
                            {
                                "criterionType": "StaticThresholdCriterion",
                                "name": suffix,
                                "metricNamespace": data.METRIC_NAMESPACE,
                                "metricName": data.REQUESTS_METRIC,
                                "dimensions": [
                                    {
                                        "name": "StatusCode",
                                        "operator": "Include",
                                        "values": list(codes),
                                    }
                                ],
                                "timeAggregation": "Total",
                                "operator": "GreaterThanOrEqual",
                                "threshold": threshold,
                            }
                        ],
                    },
                    "actions": [{"actionGroupId": group.id}],
                    "tags": {},
                },
                child,
            )

        self.action_group_id = group.id
        self.register_outputs({"actionGroupId": group.id})


@dataclass(frozen=True)
class FoundryBudgetArgs:
    """The monthly budget of the foundry path.

    :param name: the budget's name.
    :param scope: the resource group whose cost is budgeted.
    :param amount: the monthly limit, in the billing account's currency.
    :param thresholds: percentages of the limit that notify, each on actual and forecast.
    :param emails: e-mail recipients of every notification.
    :param action_group_id: the action group that also hears every notification.
    :param start_date: the first day of the budget's first month.
    """

    name: str
    scope: pulumi.Input[str]
    amount: float
    thresholds: Sequence[int]
    emails: Sequence[str]
    action_group_id: pulumi.Input[str]
    start_date: date


class FoundryBudget(pulumi.ComponentResource):
    """A Cost Management budget on the resource group, monthly, with a notice per threshold.

    Every threshold notifies twice: when actual cost passes it and when the forecast for
    the month does, so the team hears before the money is spent. The resource group
    holds only the foundry path, so its cost is the path's cost.
    """

    def __init__(
        self, name: str, args: FoundryBudgetArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:azure:FoundryBudget", name, None, opts)

        notifications = {
            f"{kind.lower()}-{percent}": consumption.NotificationArgs(
                enabled=True,
                operator="GreaterThan",
                threshold=percent,
                threshold_type=kind,
                contact_emails=list(args.emails),
                contact_groups=[args.action_group_id],
            )
            for percent in args.thresholds
            for kind in ("Actual", "Forecasted")
        }
        budget = consumption.Budget(
            f"{name}-budget",
            budget_name=args.name,
            scope=args.scope,
            amount=args.amount,
            category="Cost",
            time_grain="Monthly",
            time_period=consumption.BudgetTimePeriodArgs(
                start_date=f"{args.start_date.isoformat()}T00:00:00Z"
            ),
            notifications=notifications,
            opts=pulumi.ResourceOptions(parent=self),
        )

        self.register_outputs({"id": budget.id})
