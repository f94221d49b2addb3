"""The kit's customer-managed KMS key in one region."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_aws import kms

from components.aws import policies

__all__ = ["KitKey", "KitKeyArgs"]


@dataclass(frozen=True)
class KitKeyArgs:
    """What the key must allow.

    :param account_id: the account that administers the key.
    :param region: the key's region; KMS keys do not leave it.
    :param log_group_arn: the invocation log group that CloudWatch Logs encrypts with it.
    :param secret_reader_arn: the role allowed to decrypt the API key through Secrets
        Manager, or ``None`` where no key is stored in this region.
    :param alias: the alias name, without the ``alias/`` prefix.
    """

    account_id: str
    region: str
    log_group_arn: str
    secret_reader_arn: str | None
    alias: str


class KitKey(pulumi.ComponentResource):
    """A symmetric KMS key with yearly rotation, and its alias.

    It encrypts the invocation log group and bucket, the alarm topic and the API key
    secret of its region; its policy names each service that may use it.
    """

    key_id: pulumi.Output[str]
    arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: KitKeyArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:aws:KitKey", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        key = kms.Key(
            f"{name}-key",
            description=f"claude-access: Bedrock invocation logs, alarms and secrets "
            f"({args.region})",
            enable_key_rotation=True,
            rotation_period_in_days=365,
            deletion_window_in_days=30,
            policy=policies.to_json(
                policies.key_policy(
                    account_id=args.account_id,
                    region=args.region,
                    log_group_arn=args.log_group_arn,
                    secret_reader_arn=args.secret_reader_arn,
                )
            ),
            opts=child,
        )
        kms.Alias(f"{name}-alias", name=f"alias/{args.alias}", target_key_id=key.key_id, opts=child)

        self.key_id = key.key_id
        self.arn = key.arn
        self.register_outputs({"keyId": key.key_id, "arn": key.arn})
