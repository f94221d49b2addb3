"""The invoker role: the one identity through which applications call Claude on AWS."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_aws import iam

from components.aws import policies
from components.config import OidcPrincipal

__all__ = ["InvokerRole", "InvokerRoleArgs"]


@dataclass(frozen=True)
class InvokerRoleArgs:
    """Who may assume the role and what it may call.

    :param role_name: the role's name; it is fixed so that applications can name it.
    :param role_arns: application roles that may assume it.
    :param oidc: OIDC (IRSA) workloads that may assume it.
    :param scope: the allowed model and inference-profile ARNs.
    :param mantle_projects: bedrock-mantle project ARNs, or empty without the mantle path.
    :param endpoint_ids: when given, Bedrock calls are allowed only through these
        VPC endpoints.
    :param secret_arn: the API key secret the role may read, if the anthropic path is on.
    """

    role_name: str
    role_arns: Sequence[str]
    oidc: Sequence[OidcPrincipal]
    scope: policies.ModelScope
    mantle_projects: Sequence[str]
    endpoint_ids: Sequence[pulumi.Input[str]]
    secret_arn: pulumi.Input[str] | None


class InvokerRole(pulumi.ComponentResource):
    """An IAM role trusted by the configured principals only, allowed to call Claude.

    Creates the role with its trust policy, then one inline policy that allows only
    invocation, token counting and mantle inference on the allowed models, and reading
    the API key when there is one. No wildcard action and no ``*`` resource.
    """

    arn: pulumi.Output[str]
    name: pulumi.Output[str]

    def __init__(
        self, name: str, args: InvokerRoleArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:aws:InvokerRole", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        role = iam.Role(
            f"{name}-role",
            name=args.role_name,
            description="claude-access: calls Claude on Bedrock, Bedrock mantle and the API",
            assume_role_policy=policies.to_json(
                policies.invoker_trust_policy(args.role_arns, args.oidc)
            ),
            max_session_duration=3600,
            opts=child,
        )

        secret: pulumi.Input[str | None] = args.secret_arn
        document = pulumi.Output.all(
            endpoints=pulumi.Output.all(*args.endpoint_ids), secret=secret
        ).apply(
            lambda resolved: policies.to_json(
                policies.invoker_policy(
                    args.scope,
                    mantle_projects=args.mantle_projects,
                    endpoint_ids=resolved["endpoints"],
                    secret_arn=resolved["secret"],
                )
            )
        )
        iam.RolePolicy(
            f"{name}-invoke", role=role.id, name="claude-invoke", policy=document, opts=child
        )

        self.arn = role.arn
        self.name = role.name
        self.register_outputs({"arn": role.arn, "name": role.name})
