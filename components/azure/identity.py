"""Who may call Claude on the foundry path: a managed identity and named principals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import managedidentity

from components.azure import data, ids
from components.azure.config import CallerPrincipal
from components.by_token import TokenResource

__all__ = ["FoundryCallers", "FoundryCallersArgs"]


@dataclass(frozen=True)
class FoundryCallersArgs:
    """The identity to create and the principals to admit, on one account.

    :param subscription_id: the subscription, for the role definition's id.
    :param resource_group_name: the resource group of the managed identity.
    :param location: the managed identity's region.
    :param identity_name: the managed identity's name.
    :param account_id: the account, the one scope every assignment gets.
    :param account_scope: the account's id as known before it exists, which seeds the
        assignments' names so that they stay the same across deploys.
    :param principals: further Entra ID principals with the same role.
    """

    subscription_id: str
    resource_group_name: pulumi.Input[str]
    location: str
    identity_name: str
    account_id: pulumi.Input[str]
    account_scope: str
    principals: Sequence[CallerPrincipal]


class FoundryCallers(pulumi.ComponentResource):
    """A user-assigned managed identity for applications, and the caller role on the account.

    The role is Cognitive Services User (see :data:`components.azure.data.CALLER_ROLE_ID`
    for why it and no other), assigned at the account's scope only, never at the
    resource group or subscription, to the managed identity and to each configured
    principal, with the principal type set so that Azure need not look it up.
    """

    client_id: pulumi.Output[str]
    principal_id: pulumi.Output[str]
    identity_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: FoundryCallersArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:azure:FoundryCallers", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        role = ids.role_definition_id(args.subscription_id, data.CALLER_ROLE_ID)

        # The identity applications run as.
        identity = managedidentity.UserAssignedIdentity(
            f"{name}-identity",
            resource_name_=args.identity_name,
            resource_group_name=args.resource_group_name,
            location=args.location,
            tags={},
            opts=child,
        )

        # The role on the account: the identity first, then each principal.
        grantees: list[tuple[str, str, pulumi.Input[str], str]] = [
            ("identity", args.identity_name, identity.principal_id, "ServicePrincipal")
        ]
        grantees += [
            (
                principal.object_id.lower(),
                principal.object_id,
                principal.object_id,
                principal.principal_type,
            )
            for principal in args.principals
        ]
        for label, seed, principal_id, principal_type in grantees:
            TokenResource(
                data.ROLE_ASSIGNMENT,
                f"{name}-{label}",
                {
                    "roleAssignmentName": ids.assignment_name(
                        args.account_scope, seed, data.CALLER_ROLE_ID
                    ),
                    "roleDefinitionId": role,
                    "principalId": principal_id,
                    "principalType": principal_type,
                    "scope": args.account_id,
                    "description": "claude-access: may call Claude on this Foundry account",
                },
                child,
            )

        self.client_id = identity.client_id
        self.principal_id = identity.principal_id
        self.identity_id = identity.id
        self.register_outputs(
            {"clientId": identity.client_id, "principalId": identity.principal_id}
        )
