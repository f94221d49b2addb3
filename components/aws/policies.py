"""IAM policy documents for the AWS paths, built as plain data.

The components turn these into resources; the tests evaluate them with an IAM policy
engine. Keeping them pure functions of the config makes both easy and keeps every
statement in one place for a reviewer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from components.aws import data

__all__ = [
    "ModelScope",
    "bucket_policy",
    "endpoint_policy",
    "invoker_policy",
    "invoker_trust_policy",
    "key_policy",
    "log_delivery_policy",
    "log_delivery_trust_policy",
    "secret_policy",
    "to_json",
]

_PROFILE = re.compile(r"^(?:(?P<geo>[a-z]{2,6})\.)?(?P<base>anthropic\..+)$")

Document = dict[str, Any]


def to_json(document: Document) -> str:
    """Serialise a policy document the same way every time."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def _document(*statements: Document) -> Document:
    return {"Version": "2012-10-17", "Statement": list(statements)}


@dataclass(frozen=True)
class ModelScope:
    """The ARNs that the allowed Bedrock models resolve to in the configured regions.

    - ``profiles``: inference profiles, invocable directly;
    - ``routed_models``: foundation models that a profile routes to, invocable only
      through one of ``profiles``;
    - ``direct_models``: foundation models named without a profile, invocable directly.
    """

    profiles: tuple[str, ...]
    routed_models: tuple[str, ...]
    direct_models: tuple[str, ...]
    count_tokens_models: tuple[str, ...]

    @classmethod
    def build(
        cls, allowed_models: Sequence[str], regions: Sequence[str], account_id: str
    ) -> ModelScope:
        profiles: list[str] = []
        routed: list[str] = []
        direct: list[str] = []
        counting: list[str] = []
        for model in allowed_models:
            match = _PROFILE.match(model)
            if match is None:
                raise ValueError(f"{model!r} is not a Bedrock Claude model id")
            geo, base = match.group("geo"), match.group("base")
            for region in regions:
                counting.append(_foundation_model(region, base))
            if geo is None:
                direct += [_foundation_model(region, base) for region in regions]
                continue
            profiles += [
                f"arn:aws:bedrock:{region}:{account_id}:inference-profile/{model}"
                for region in regions
            ]
            destinations = data.PROFILE_DESTINATIONS[geo]
            if destinations:
                routed += [_foundation_model(region, base) for region in destinations]
            else:
                routed += [_foundation_model(region, base) for region in regions]
                routed.append(_foundation_model("", base))
        return cls(
            profiles=_ordered(profiles),
            routed_models=_ordered(routed),
            direct_models=_ordered(direct),
            count_tokens_models=_ordered(counting),
        )


def _foundation_model(region: str, base: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{base}"


def _ordered(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def mantle_projects(regions: Sequence[str], account_id: str) -> tuple[str, ...]:
    """The bedrock-mantle project ARNs of this account in the configured regions.

    bedrock-mantle authorises ``CreateInference`` on projects, not on models, so the
    model list cannot be enforced in IAM on this path; the account and regions can.
    """
    return tuple(f"arn:aws:bedrock-mantle:{region}:{account_id}:project/*" for region in regions)


def invoker_trust_policy(role_arns: Sequence[str], oidc: Sequence[Any]) -> Document:
    """Who may assume the invoker role: the configured roles and OIDC workloads only."""
    statements: list[Document] = []
    if role_arns:
        statements.append(
            {
                "Sid": "ApplicationRoles",
                "Effect": "Allow",
                "Principal": {"AWS": sorted(role_arns)},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
            }
        )
    for index, principal in enumerate(oidc):
        statements.append(
            {
                "Sid": f"OidcWorkloads{index}",
                "Effect": "Allow",
                "Principal": {"Federated": principal.provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{principal.issuer}:aud": principal.audience,
                        f"{principal.issuer}:sub": sorted(principal.subjects),
                    }
                },
            }
        )
    return _document(*statements)


def invoker_policy(
    scope: ModelScope,
    *,
    mantle_projects: Sequence[str],
    endpoint_ids: Sequence[str],
    secret_arn: str | None,
) -> Document:
    """What the invoker role may do: call the allowed Claude models and read the API key.

    With ``endpoint_ids`` the Bedrock statements hold only for requests that arrive
    through those VPC endpoints (``aws:SourceVpce``).
    """
    through_endpoints: Document = (
        {"StringEquals": {"aws:SourceVpce": sorted(endpoint_ids)}} if endpoint_ids else {}
    )

    def statement(
        sid: str, actions: Sequence[str], resources: Sequence[str], **condition: Any
    ) -> Document:
        merged: dict[str, Any] = {}
        for operator, pairs in [*through_endpoints.items(), *condition.items()]:
            merged.setdefault(operator, {}).update(pairs)
        result: Document = {
            "Sid": sid,
            "Effect": "Allow",
            "Action": list(actions),
            "Resource": list(resources),
        }
        if merged:
            result["Condition"] = merged
        return result

    statements: list[Document] = []
    if scope.profiles:
        statements.append(statement("InvokeThroughProfiles", data.INVOKE_ACTIONS, scope.profiles))
    if scope.routed_models:
        statements.append(
            statement(
                "InvokeModelsBehindProfiles",
                data.INVOKE_ACTIONS,
                scope.routed_models,
                StringEquals={"bedrock:InferenceProfileArn": list(scope.profiles)},
            )
        )
    if scope.direct_models:
        statements.append(
            statement("InvokeModelsDirectly", data.INVOKE_ACTIONS, scope.direct_models)
        )
    statements.append(
        statement("CountTokens", [data.COUNT_TOKENS_ACTION], scope.count_tokens_models)
    )
    if mantle_projects:
        statements.append(statement("MantleMessages", data.MANTLE_ACTIONS, mantle_projects))
    if secret_arn is not None:
        statements.append(
            {
                "Sid": "ReadAnthropicApiKey",
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                "Resource": [secret_arn],
            }
        )
    return _document(*statements)


def endpoint_policy(
    service: str, account_id: str, actions: Sequence[str], resources: Sequence[str]
) -> Document:
    """A VPC endpoint policy: principals of this account, the given actions, nothing else."""
    return _document(
        {
            "Sid": f"ClaudeThrough{service.title().replace('-', '')}",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
            "Action": list(actions),
            "Resource": list(resources),
            "Condition": {"StringEquals": {"aws:PrincipalAccount": account_id}},
        }
    )


def log_delivery_trust_policy(account_id: str, region: str) -> Document:
    """Bedrock may assume the log delivery role only for this account's own requests."""
    return _document(
        {
            "Sid": "BedrockLogDelivery",
            "Effect": "Allow",
            "Principal": {"Service": "bedrock.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account_id},
                "ArnLike": {"aws:SourceArn": f"arn:aws:bedrock:{region}:{account_id}:*"},
            },
        }
    )


def log_delivery_policy(log_group_arn: str) -> Document:
    """Write invocation log events into the one log group, nothing more."""
    return _document(
        {
            "Sid": "WriteInvocationLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [f"{log_group_arn}:log-stream:aws/bedrock/modelinvocations"],
        }
    )


def bucket_policy(bucket_arn: str, account_id: str, region: str, prefix: str) -> Document:
    """Bedrock of this account and region may put log objects; plain HTTP is refused."""
    return _document(
        {
            "Sid": "BedrockPutsInvocationLogs",
            "Effect": "Allow",
            "Principal": {"Service": "bedrock.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/{prefix}/AWSLogs/{account_id}/BedrockModelInvocationLogs/*",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account_id},
                "ArnLike": {"aws:SourceArn": f"arn:aws:bedrock:{region}:{account_id}:*"},
            },
        },
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "s3:*",
            "Resource": [bucket_arn, f"{bucket_arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    )


def key_policy(
    *,
    account_id: str,
    region: str,
    log_group_arn: str,
    secret_reader_arn: str | None,
) -> Document:
    """The kit key: administered by the account, used by exactly the services that need it.

    - CloudWatch Logs, for the one invocation log group (encryption context);
    - Bedrock, writing SSE-KMS log objects for this account;
    - CloudWatch and AWS Budgets, publishing to the encrypted SNS topic;
    - Secrets Manager on behalf of the invoker role, to decrypt the API key.
    """
    statements: list[Document] = [
        {
            "Sid": "AccountAdministers",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "CloudWatchLogsEncrypts",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.amazonaws.com"},
            "Action": [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
            ],
            "Resource": "*",
            "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arn}},
        },
        {
            "Sid": "BedrockWritesLogObjects",
            "Effect": "Allow",
            "Principal": {"Service": "bedrock.amazonaws.com"},
            "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        },
        {
            "Sid": "AlarmsAndBudgetsPublish",
            "Effect": "Allow",
            "Principal": {"Service": ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]},
            "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        },
    ]
    if secret_reader_arn is not None:
        statements.append(
            {
                "Sid": "InvokerDecryptsApiKey",
                "Effect": "Allow",
                "Principal": {"AWS": secret_reader_arn},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}
                },
            }
        )
    return _document(*statements)


def topic_policy(topic_arn: str, account_id: str, region: str) -> Document:
    """CloudWatch alarms and Budgets of this account may publish; nobody else."""
    return _document(
        {
            "Sid": "AlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {
                "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{region}:{account_id}:alarm:*"},
                "StringEquals": {"aws:SourceAccount": account_id},
            },
        },
        {
            "Sid": "BudgetsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "budgets.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {
                "ArnLike": {"aws:SourceArn": f"arn:aws:budgets::{account_id}:*"},
                "StringEquals": {"aws:SourceAccount": account_id},
            },
        },
    )


def secret_policy(reader_arns: Sequence[str]) -> Document:
    """Only the named roles may read the API key, whatever other policies say."""
    return _document(
        {
            "Sid": "OnlyTheInvokerReads",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "secretsmanager:GetSecretValue",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:PrincipalArn": sorted(reader_arns)}},
        }
    )
