"""Private access to Bedrock in one region: interface endpoints and their guard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_aws import ec2

from components.aws import data, policies

__all__ = ["BedrockPrivateAccess", "BedrockPrivateAccessArgs"]


@dataclass(frozen=True)
class BedrockPrivateAccessArgs:
    """Where the endpoints go and who reaches them.

    :param account_id: the account whose principals the endpoint policies admit.
    :param region: the endpoints' region.
    :param vpc_id: the VPC that gets the endpoints.
    :param subnet_ids: the subnets that get the endpoints' network interfaces.
    :param allowed_cidrs: client networks admitted on TCP 443.
    :param runtime_models: model and inference-profile ARNs the runtime endpoint passes.
    :param mantle_projects: bedrock-mantle project ARNs the mantle endpoint passes, or
        empty for no mantle endpoint.
    """

    account_id: str
    region: str
    vpc_id: str
    subnet_ids: Sequence[str]
    allowed_cidrs: Sequence[str]
    runtime_models: Sequence[str]
    mantle_projects: Sequence[str]


class BedrockPrivateAccess(pulumi.ComponentResource):
    """Interface endpoints for ``bedrock-runtime`` and ``bedrock-mantle`` with private DNS.

    Creates, in order:

    1. a security group that admits TCP 443 from the allowed networks only, and no
       egress (interface endpoints answer; they never initiate);
    2. the ``bedrock-runtime`` endpoint, whose policy passes only Claude invocation on
       the allowed models, for principals of this account;
    3. the ``bedrock-mantle`` endpoint, whose policy passes only ``CreateInference`` on
       this account's projects (when the mantle path is on).
    """

    security_group_id: pulumi.Output[str]
    runtime_endpoint_id: pulumi.Output[str]
    runtime_dns_name: pulumi.Output[str]
    mantle_endpoint_id: pulumi.Output[str] | None
    mantle_dns_name: pulumi.Output[str] | None

    def __init__(
        self,
        name: str,
        args: BedrockPrivateAccessArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("claude-access:aws:BedrockPrivateAccess", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        # 1. The guard: HTTPS from the client networks, nothing else.
        group = ec2.SecurityGroup(
            f"{name}-endpoints",
            description="claude-access: HTTPS from allowed clients to the Bedrock endpoints",
            vpc_id=args.vpc_id,
            ingress=[
                ec2.SecurityGroupIngressArgs(
                    description="HTTPS from allowed clients",
                    protocol="tcp",
                    from_port=443,
                    to_port=443,
                    cidr_blocks=[cidr for cidr in args.allowed_cidrs if ":" not in cidr],
                    ipv6_cidr_blocks=[cidr for cidr in args.allowed_cidrs if ":" in cidr],
                )
            ],
            egress=[],
            revoke_rules_on_delete=True,
            opts=child,
        )

        # 2. bedrock-runtime.
        runtime = self._endpoint(
            f"{name}-bedrock-runtime",
            args,
            service="bedrock-runtime",
            security_group_id=group.id,
            policy=policies.endpoint_policy(
                "bedrock-runtime",
                args.account_id,
                [*data.INVOKE_ACTIONS, data.COUNT_TOKENS_ACTION],
                args.runtime_models,
            ),
        )

        # 3. bedrock-mantle.
        mantle = None
        if args.mantle_projects:
            mantle = self._endpoint(
                f"{name}-bedrock-mantle",
                args,
                service="bedrock-mantle",
                security_group_id=group.id,
                policy=policies.endpoint_policy(
                    "bedrock-mantle", args.account_id, data.MANTLE_ACTIONS, args.mantle_projects
                ),
            )

        self.security_group_id = group.id
        self.runtime_endpoint_id = runtime.id
        self.runtime_dns_name = _first_dns_name(runtime)
        self.mantle_endpoint_id = mantle.id if mantle else None
        self.mantle_dns_name = _first_dns_name(mantle) if mantle else None
        self.register_outputs(
            {
                "securityGroupId": group.id,
                "runtimeEndpointId": runtime.id,
                "mantleEndpointId": mantle.id if mantle else None,
            }
        )

    def _endpoint(
        self,
        name: str,
        args: BedrockPrivateAccessArgs,
        *,
        service: str,
        security_group_id: pulumi.Input[str],
        policy: policies.Document,
    ) -> ec2.VpcEndpoint:
        return ec2.VpcEndpoint(
            name,
            vpc_id=args.vpc_id,
            service_name=f"com.amazonaws.{args.region}.{service}",
            vpc_endpoint_type="Interface",
            private_dns_enabled=True,
            subnet_ids=list(args.subnet_ids),
            security_group_ids=[security_group_id],
            policy=policies.to_json(policy),
            opts=pulumi.ResourceOptions(parent=self),
        )


def _first_dns_name(endpoint: ec2.VpcEndpoint) -> pulumi.Output[str]:
    """The endpoint's own regional DNS name, which works even where private DNS is off."""
    return endpoint.dns_entries.apply(
        lambda entries: (entries[0].dns_name or "") if entries else ""
    )
