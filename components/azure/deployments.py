"""Claude deployments in a Foundry account, one per tier."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import resources

from components.azure import data
from components.azure.config import FoundryDeployment, ModelProviderData

__all__ = ["ClaudeDeployments", "ClaudeDeploymentsArgs"]


@dataclass(frozen=True)
class ClaudeDeploymentsArgs:
    """What to deploy, and who deploys it.

    :param resource_group_name: the account's resource group.
    :param account_name: the account the deployments belong to.
    :param deployments: deployment name -> the model, version, SKU and capacity.
    :param provider_data: the organisation details Anthropic receives with each one.
    """

    resource_group_name: pulumi.Input[str]
    account_name: pulumi.Input[str]
    deployments: Mapping[str, FoundryDeployment]
    provider_data: ModelProviderData


class ClaudeDeployments(pulumi.ComponentResource):
    """One Claude deployment (model format ``Anthropic``) per configured tier.

    Each deployment is a generic ARM resource rather than
    ``cognitiveservices.Deployment``: Azure refuses a Claude deployment without
    ``properties.modelProviderData`` (the organisation's name, country and industry, with
    which it accepts Anthropic's Marketplace offer), and the API version that
    pulumi-azure-native 3 pins for ``cognitiveservices.Deployment`` neither has nor
    passes that field. ``resources.Resource`` sends the body as written, under the API
    version in :data:`components.azure.data.DEPLOYMENT_API_VERSION`.

    The deployments are created one after another: Azure rejects a deployment write on
    an account while another one on the same account is still running.
    """

    ids: dict[str, pulumi.Output[str]]

    def __init__(
        self, name: str, args: ClaudeDeploymentsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:azure:ClaudeDeployments", name, None, opts)
        provider_data = {
            "organizationName": args.provider_data.organization_name,
            "countryCode": args.provider_data.country_code,
            "industry": args.provider_data.industry,
        }

        self.ids = {}
        previous: list[pulumi.Resource] = []
        for deployment_name, deployment in args.deployments.items():
            created = resources.Resource(
                f"{name}-{deployment_name}",
                resource_group_name=args.resource_group_name,
                resource_provider_namespace="Microsoft.CognitiveServices",
                parent_resource_path=pulumi.Output.concat("accounts/", args.account_name),
                resource_type="deployments",
                resource_name_=deployment_name,
                api_version=data.DEPLOYMENT_API_VERSION,
                sku=resources.SkuArgs(name=deployment.sku, capacity=deployment.capacity),
                properties={
                    "model": {
                        "format": "Anthropic",
                        "name": deployment.model,
                        "version": deployment.version,
                    },
                    "modelProviderData": provider_data,
                    "versionUpgradeOption": "NoAutoUpgrade",
                },
                tags={},
                opts=pulumi.ResourceOptions(parent=self, depends_on=previous),
            )
            previous = [created]
            self.ids[deployment_name] = created.id

        self.register_outputs({"ids": self.ids})
