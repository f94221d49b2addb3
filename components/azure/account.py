"""The Foundry (AI Services) account that Claude is deployed in, and its resource group."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import cognitiveservices, managedidentity, resources

from components.azure import data, ids
from components.azure.config import CustomerManagedKey
from components.by_token import TokenResource

__all__ = ["FoundryAccount", "FoundryAccountArgs"]


@dataclass(frozen=True)
class FoundryAccountArgs:
    """Where the account lives and how its data is encrypted.

    :param subscription_id: the subscription, for the ids of role definitions.
    :param resource_group_name: the resource group the kit creates for the path.
    :param location: the account's region.
    :param account_name: the account's name, also its custom subdomain.
    :param customer_managed_key: the Key Vault key that encrypts the account's data, or
        ``None`` for a Microsoft-managed key.
    :param encryption_identity_name: the name of the identity that uses that key.
    """

    subscription_id: str
    resource_group_name: str
    location: str
    account_name: str
    customer_managed_key: CustomerManagedKey | None
    encryption_identity_name: str


class FoundryAccount(pulumi.ComponentResource):
    """An AI Services account that answers only on its private endpoint, to Entra ID tokens.

    Creates, in order:

    1. the resource group that holds everything of the foundry path, so that the budget,
       the access reviews and a teardown all have one boundary;
    2. with a customer-managed key: a user-assigned identity for the account and its
       right to use that one key (Key Vault Crypto Service Encryption User on the key),
       which must exist before the account can be encrypted on creation;
    3. the account: kind AIServices, SKU S0, a custom subdomain (Entra ID tokens need
       one), public network access off, a network ACL that denies by default with no
       exceptions, local (key) authentication off, and a system-assigned identity.
    """

    id: pulumi.Output[str]
    name: pulumi.Output[str]
    resource_group_name: pulumi.Output[str]
    resource_group_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: FoundryAccountArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:azure:FoundryAccount", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        # 1. The resource group.
        group = resources.ResourceGroup(
            f"{name}-group",
            resource_group_name=args.resource_group_name,
            location=args.location,
            tags={},
            opts=child,
        )

        # 2. The identity that unwraps the account's key.
        identity = cognitiveservices.IdentityArgs(
            type=cognitiveservices.ResourceIdentityType.SYSTEM_ASSIGNED
        )
        encryption: cognitiveservices.EncryptionArgs | None = None
        depends_on: list[pulumi.Resource] = []
        key = args.customer_managed_key
        if key is not None:
            encryptor = managedidentity.UserAssignedIdentity(
                f"{name}-encryption",
                resource_name_=args.encryption_identity_name,
                resource_group_name=group.name,
                location=args.location,
                tags={},
                opts=child,
            )
            depends_on.append(
                TokenResource(
                    data.ROLE_ASSIGNMENT,
                    f"{name}-encryption-key",
                    {
                        "roleAssignmentName": ids.assignment_name(
                            key.key_id, args.encryption_identity_name, data.KEY_ENCRYPTION_ROLE_ID
                        ),
                        "roleDefinitionId": ids.role_definition_id(
                            args.subscription_id, data.KEY_ENCRYPTION_ROLE_ID
                        ),
                        "principalId": encryptor.principal_id,
                        "principalType": "ServicePrincipal",
                        "scope": key.key_id,
                        "description": "claude-access: the Foundry account encrypts with this key",
                    },
                    child,
                )
            )
            identity = cognitiveservices.IdentityArgs(
                type=cognitiveservices.ResourceIdentityType.SYSTEM_ASSIGNED_USER_ASSIGNED,
                user_assigned_identities=[encryptor.id],
            )
            encryption = cognitiveservices.EncryptionArgs(
                key_source="Microsoft.KeyVault",
                key_vault_properties=cognitiveservices.KeyVaultPropertiesArgs(
                    key_vault_uri=key.key_vault_uri,
                    key_name=key.key_name,
                    key_version=key.key_version,
                    identity_client_id=encryptor.client_id,
                ),
            )

        # 3. The account.
        account = cognitiveservices.Account(
            f"{name}-account",
            account_name=args.account_name,
            resource_group_name=group.name,
            location=args.location,
            kind="AIServices",
            sku=cognitiveservices.SkuArgs(name="S0"),
            identity=identity,
            properties=cognitiveservices.AccountPropertiesArgs(
                custom_sub_domain_name=args.account_name,
                public_network_access="Disabled",
                network_acls=cognitiveservices.NetworkRuleSetArgs(
                    default_action="Deny", bypass="None", ip_rules=[], virtual_network_rules=[]
                ),
                disable_local_auth=True,
                encryption=encryption,
            ),
            tags={},
            opts=pulumi.ResourceOptions(parent=self, depends_on=depends_on),
        )

        self.id = account.id
        self.name = account.name
        self.resource_group_name = group.name
        self.resource_group_id = group.id
        self.register_outputs({"id": account.id, "name": account.name, "resourceGroupId": group.id})
