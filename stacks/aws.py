"""The AWS side of the program: the bedrock, bedrock-mantle and anthropic paths."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws

from components.aws.identity import InvokerRole, InvokerRoleArgs
from components.aws.invocation_logs import InvocationLogging, InvocationLoggingArgs
from components.aws.key import KitKey, KitKeyArgs
from components.aws.monitoring import (
    BedrockAlarms,
    BedrockAlarmsArgs,
    BedrockBudget,
    BedrockBudgetArgs,
)
from components.aws.network import BedrockPrivateAccess, BedrockPrivateAccessArgs
from components.aws.policies import ModelScope, mantle_projects
from components.aws.secret import AnthropicApiKey, AnthropicApiKeyArgs
from components.config import PathKind, StackConfig
from stacks.deployment import Deployment

__all__ = ["deploy"]


def deploy(config: StackConfig, api_key: pulumi.Output[str] | None) -> Deployment:
    """Compose the AWS components for every configured region.

    Names that other resources must know before creation (role, log group, topic) are
    fixed from the environment, so policies can name them without dependency cycles.
    """
    aws = config.aws
    assert aws.account_id is not None and aws.invoker_principals is not None
    assert aws.budget is not None
    env = config.environment
    account = aws.account_id
    region_names = [region.region for region in aws.regions]
    prefix = f"claude-access-{env}"
    invoker_arn = f"arn:aws:iam::{account}:role/{prefix}-invoker"
    scope = ModelScope.build(aws.allowed_models, region_names, account)
    mantle = mantle_projects(region_names, account) if aws.mantle else ()
    log_group_name = f"/claude-access/{env}/bedrock-invocations"
    lock_days = aws.invocation_logs.object_lock_days
    if lock_days is None and config.is_production:
        lock_days = aws.invocation_logs.bucket_retention_days
    deployment = Deployment()

    # Per region: provider, key, private access, invocation logging, alarms.
    providers: dict[str, pulumi_aws.Provider] = {}
    keys: dict[str, KitKey] = {}
    access: dict[str, BedrockPrivateAccess] = {}
    topics: dict[str, pulumi.Output[str]] = {}
    for region in aws.regions:
        name = region.region
        provider = pulumi_aws.Provider(f"aws-{name}", region=name, allowed_account_ids=[account])
        providers[name] = provider
        opts = pulumi.ResourceOptions(providers=[provider])

        keys[name] = KitKey(
            f"kit-key-{name}",
            KitKeyArgs(
                account_id=account,
                region=name,
                log_group_arn=f"arn:aws:logs:{name}:{account}:log-group:{log_group_name}",
                secret_reader_arn=invoker_arn if config.anthropic.enabled else None,
                alias=f"{prefix}-{name}",
            ),
            opts,
        )
        access[name] = BedrockPrivateAccess(
            f"private-{name}",
            BedrockPrivateAccessArgs(
                account_id=account,
                region=name,
                vpc_id=region.vpc_id,
                subnet_ids=region.subnet_ids,
                allowed_cidrs=region.allowed_cidrs,
                runtime_models=[
                    *scope.profiles,
                    *scope.routed_models,
                    *scope.direct_models,
                    *scope.count_tokens_models,
                ],
                mantle_projects=[arn for arn in mantle if f":{name}:" in arn],
            ),
            opts,
        )
        InvocationLogging(
            f"invocation-logs-{name}",
            InvocationLoggingArgs(
                account_id=account,
                region=name,
                log_group_name=log_group_name,
                bucket_name=f"{prefix}-{account}-{name}-invocation-logs"[:63],
                delivery_role_name=f"{prefix}-log-delivery-{name}",
                key_arn=keys[name].arn,
                retention_days=aws.log_retention_days,
                bucket_retention_days=aws.invocation_logs.bucket_retention_days,
                glacier_after_days=aws.invocation_logs.glacier_after_days,
                object_lock_days=lock_days,
            ),
            opts,
        )
        topics[name] = BedrockAlarms(
            f"alarms-{name}",
            BedrockAlarmsArgs(
                account_id=account,
                region=name,
                topic_name=f"{prefix}-alarms",
                key_id=keys[name].key_id,
                emails=aws.budget.emails,
                model_ids=[model for model in aws.allowed_models],
                throttles=aws.alarms.throttles,
                server_errors=aws.alarms.server_errors,
                latency_p99_ms=aws.alarms.latency_p99_ms,
                evaluation_periods=aws.alarms.evaluation_periods,
            ),
            opts,
        ).topic_arn

    primary = aws.primary_region
    primary_opts = pulumi.ResourceOptions(providers=[providers[primary]])

    # The direct API path's key, in the primary region.
    secret_arn: pulumi.Output[str] | None = None
    if config.anthropic.enabled and api_key is not None:
        secret_arn = AnthropicApiKey(
            "anthropic-api-key",
            AnthropicApiKeyArgs(
                secret_name=f"claude-access/{env}/anthropic-api-key",
                api_key=api_key,
                key_arn=keys[primary].arn,
                reader_arn=invoker_arn,
                administrator_arns=config.anthropic.secret_administrators,
            ),
            primary_opts,
        ).arn

    # The invoker role, over every region.
    endpoint_ids: list[pulumi.Input[str]] = []
    if aws.restrict_to_vpc_endpoints:
        for private in access.values():
            endpoint_ids.append(private.runtime_endpoint_id)
            if private.mantle_endpoint_id is not None:
                endpoint_ids.append(private.mantle_endpoint_id)
    principals = aws.invoker_principals
    invoker = InvokerRole(
        "invoker",
        InvokerRoleArgs(
            role_name=f"{prefix}-invoker",
            role_arns=principals.role_arns,
            oidc=principals.oidc,
            scope=scope,
            mantle_projects=mantle,
            endpoint_ids=endpoint_ids,
            secret_arn=secret_arn,
        ),
        primary_opts,
    )

    # The budget, heard by the primary region's topic.
    BedrockBudget(
        "budget",
        BedrockBudgetArgs(
            name=f"{prefix}-bedrock",
            account_id=account,
            monthly_usd=aws.budget.monthly_usd,
            thresholds=aws.budget.thresholds,
            emails=aws.budget.emails,
            topic_arn=topics[primary],
        ),
        primary_opts,
    )

    # Manifest entries.
    for name, private in access.items():
        deployment.paths.append(
            _aws_entry(config, PathKind.BEDROCK, name, invoker.arn, private.runtime_dns_name)
        )
        if private.mantle_dns_name is not None:
            deployment.paths.append(
                _aws_entry(
                    config, PathKind.BEDROCK_MANTLE, name, invoker.arn, private.mantle_dns_name
                )
            )
    if secret_arn is not None:
        anthropic_models = config.catalog.models_for(PathKind.ANTHROPIC)
        deployment.paths.append(
            pulumi.Output.all(invoker.arn, secret_arn).apply(
                lambda resolved: {
                    "name": "anthropic",
                    "kind": PathKind.ANTHROPIC.value,
                    "region": None,
                    "baseUrl": config.anthropic.base_url,
                    "privateDnsName": None,
                    "auth": {
                        "type": "secret",
                        "secretArn": resolved[1],
                        "region": primary,
                        "readerRoleArn": resolved[0],
                    },
                    "models": anthropic_models,
                }
            )
        )

    deployment.outputs["awsInvokerRoleArn"] = invoker.arn
    deployment.outputs["awsAlarmTopics"] = topics
    return deployment


_BASE_URLS = {
    PathKind.BEDROCK: "https://bedrock-runtime.{region}.amazonaws.com",
    PathKind.BEDROCK_MANTLE: "https://bedrock-mantle.{region}.api.aws/anthropic",
}


def _aws_entry(
    config: StackConfig,
    kind: PathKind,
    region: str,
    role_arn: pulumi.Output[str],
    dns_name: pulumi.Output[str],
) -> pulumi.Output[dict[str, Any]]:
    """A manifest entry for a Bedrock path; private DNS makes the public name resolve
    to the endpoint inside the VPC, and the endpoint's own name is kept beside it."""
    models = config.catalog.models_for(kind)

    def entry(resolved: list[str]) -> dict[str, Any]:
        return {
            "name": f"{kind.value}-{region}",
            "kind": kind.value,
            "region": region,
            "baseUrl": _BASE_URLS[kind].format(region=region),
            "privateDnsName": resolved[1] or None,
            "auth": {"type": "aws-iam-role", "roleArn": resolved[0]},
            "models": models,
        }

    return pulumi.Output.all(role_arn, dns_name).apply(entry)
