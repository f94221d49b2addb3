"""The direct API path's key, kept in Secrets Manager."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_aws import secretsmanager

from components.aws import policies

__all__ = ["AnthropicApiKey", "AnthropicApiKeyArgs"]


@dataclass(frozen=True)
class AnthropicApiKeyArgs:
    """The key and who may read it.

    :param secret_name: the secret's name.
    :param api_key: the key, a Pulumi secret; it never leaves Pulumi's secret handling.
    :param key_arn: the kit key that encrypts the secret.
    :param reader_arn: the one role that may read the value.
    :param administrator_arns: roles that deploy the stack and must read the version
        back on refresh; empty to allow nobody else.
    """

    secret_name: str
    api_key: pulumi.Output[str]
    key_arn: pulumi.Input[str]
    reader_arn: str
    administrator_arns: Sequence[str]


class AnthropicApiKey(pulumi.ComponentResource):
    """A Secrets Manager secret under the kit key, readable by the invoker role alone."""

    arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: AnthropicApiKeyArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:aws:AnthropicApiKey", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        secret = secretsmanager.Secret(
            f"{name}-secret",
            name=args.secret_name,
            description="claude-access: the Anthropic API key of the direct path",
            kms_key_id=args.key_arn,
            recovery_window_in_days=30,
            policy=policies.to_json(
                policies.secret_policy([args.reader_arn, *args.administrator_arns])
            ),
            opts=child,
        )
        secretsmanager.SecretVersion(
            f"{name}-value",
            secret_id=secret.id,
            secret_string=args.api_key,
            opts=child,
        )

        self.arn = secret.arn
        self.register_outputs({"arn": secret.arn})
