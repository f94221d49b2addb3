"""The invoker: the one identity through which applications call Claude on Vertex AI."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
from pulumi_gcp import projects, serviceaccount

from components.gcp.options import child_options

__all__ = ["TOKEN_CREATOR_ROLE", "VertexInvoker", "VertexInvokerArgs"]

TOKEN_CREATOR_ROLE = "roles/iam.serviceAccountTokenCreator"
"""Lets a principal mint the invoker's short-lived access tokens (impersonation)."""


@dataclass(frozen=True)
class VertexInvokerArgs:
    """Who the invoker is, what it may do and who may act as it.

    :param project: the project whose Vertex AI the invoker calls.
    :param account_id: the service account's id (6 to 30 characters), fixed so that
        applications can name the account before it exists.
    :param role_id: the custom role's id (letters, digits, ``_`` and ``.``).
    :param environment: the stack's environment, for titles and descriptions.
    :param permissions: the custom role's permissions, each with the reason for it.
    :param members: IAM members that may impersonate the invoker.
    """

    project: str
    account_id: str
    role_id: str
    environment: str
    permissions: Mapping[str, str]
    members: Sequence[str]


class VertexInvoker(pulumi.ComponentResource):
    """A service account that may call Claude and nothing else, impersonated by few.

    Creates, in order:

    1. the invoker service account, with no key: callers impersonate it and get tokens
       that expire within the hour;
    2. a project custom role holding only the permissions needed to call Claude;
    3. the binding of that role to the service account, at project level, since
       publisher models such as Claude take no IAM policy of their own;
    4. per configured principal, ``roles/iam.serviceAccountTokenCreator`` on this
       service account only, never on the project.
    """

    email: pulumi.Output[str]
    member: pulumi.Output[str]
    role_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: VertexInvokerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if not args.members:
            raise TypeError("Expected at least one member who may impersonate the invoker")
        if not args.permissions:
            raise TypeError("Expected at least one permission for the invoker role")

        super().__init__("claude-access:gcp:VertexInvoker", name, None, opts)
        child = child_options(self, opts)

        # 1. The service account.
        account = serviceaccount.Account(
            f"{name}-account",
            project=args.project,
            account_id=args.account_id,
            display_name=f"claude-access invoker ({args.environment})",
            description="claude-access: calls Claude on Vertex AI; impersonated, never keyed",
            opts=child,
        )

        # 2. The custom role: only what calling Claude needs.
        role = projects.IAMCustomRole(
            f"{name}-role",
            project=args.project,
            role_id=args.role_id,
            title=f"claude-access invoker ({args.environment})",
            description="Calls Claude on Vertex AI (rawPredict, streamRawPredict, count-tokens)",
            permissions=sorted(args.permissions),
            stage="GA",
            opts=child,
        )

        # 3. The role, granted to the service account.
        projects.IAMMember(
            f"{name}-can-invoke",
            project=args.project,
            role=role.name,
            member=account.member,
            opts=child,
        )

        # 4. Impersonation, scoped to this one service account.
        for member in args.members:
            serviceaccount.IAMMember(
                f"{name}-impersonator-{_short_hash(member)}",
                service_account_id=account.name,
                role=TOKEN_CREATOR_ROLE,
                member=member,
                opts=child,
            )

        self.email = account.email
        self.member = account.member
        self.role_name = role.name
        self.register_outputs({"email": account.email, "roleName": role.name})


def _short_hash(member: str) -> str:
    """A stable suffix per member, so that reordering the list replaces nothing."""
    return hashlib.sha256(member.encode()).hexdigest()[:8]
