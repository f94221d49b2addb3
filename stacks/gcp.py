"""The GCP side of the program: the vertex path."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pulumi_gcp

from components.config import PathKind, StackConfig
from components.gcp import data
from components.gcp.apis import ProjectServices, ProjectServicesArgs
from components.gcp.audit import VertexAuditLogs, VertexAuditLogsArgs
from components.gcp.config import GcpNetwork, NetworkMode
from components.gcp.identity import VertexInvoker, VertexInvokerArgs
from components.gcp.monitoring import (
    VertexAlerts,
    VertexAlertsArgs,
    VertexBudget,
    VertexBudgetArgs,
)
from components.gcp.network import (
    GoogleApisPrivateAccess,
    GoogleApisPrivateAccessArgs,
    PscEndpoint,
    Subnet,
)
from stacks.deployment import Deployment

__all__ = ["deploy"]


def deploy(config: StackConfig) -> Deployment:
    """Compose the gcp components the config asks for.

    Names that callers and reviewers need to know before anything exists (the invoker's
    e-mail, the custom role, the log bucket and sink) are fixed from the project and the
    environment. Everything waits for the APIs it uses to be enabled.
    """
    gcp = config.gcp
    assert gcp.project_id is not None and gcp.project_number is not None
    assert gcp.invoker_principals is not None and gcp.budget is not None
    assert gcp.billing_account is not None
    env = config.environment
    project = gcp.project_id
    prefix = f"claude-access-{env}".rstrip("-")
    deployment = Deployment()

    # The provider: one project; API quota and billing charged to it, which the budget
    # API requires when the caller is a user rather than a service account.
    provider = pulumi_gcp.Provider(
        f"gcp-{project}",
        project=project,
        region=gcp.provider_region,
        user_project_override=True,
        billing_project=project,
    )
    opts = pulumi.ResourceOptions(providers=[provider])

    # The APIs, before anything that uses them.
    apis = ProjectServices(
        "gcp-apis",
        ProjectServicesArgs(project=project, services=_services(gcp.network)),
        opts,
    )
    after_apis = pulumi.ResourceOptions(providers=[provider], depends_on=apis.services)

    # Who calls Claude.
    invoker = VertexInvoker(
        "vertex-invoker",
        VertexInvokerArgs(
            project=project,
            account_id=prefix,
            role_id="claudeAccessInvoker_" + re.sub(r"[^A-Za-z0-9]", "_", env),
            environment=env,
            permissions=data.INVOKER_PERMISSIONS,
            members=gcp.invoker_principals.members(),
        ),
        after_apis,
    )

    # Who called Claude, kept.
    audit = VertexAuditLogs(
        "vertex-audit",
        VertexAuditLogsArgs(
            project=project,
            project_number=gcp.project_number,
            bucket_name=f"{project}-claude-audit-logs",
            location=gcp.log_location,
            sink_name=f"{prefix}-vertex-audit",
            retention_days=gcp.log_retention_days,
            locked=config.is_production,
            log_types=data.AUDIT_LOG_TYPES,
            kms_key_name=gcp.cmek_key_name,
        ),
        after_apis,
    )

    # Private access to Google APIs, when this stack provides it.
    if gcp.network is not None:
        network = gcp.network
        psc = None
        if network.mode is NetworkMode.PRIVATE_SERVICE_CONNECT:
            assert network.psc_address is not None
            psc = PscEndpoint(
                name=network.psc_endpoint_name or _endpoint_name(env),
                address=network.psc_address,
                zone_name=f"{prefix}-googleapis",
            )
        GoogleApisPrivateAccess(
            "google-apis-private",
            GoogleApisPrivateAccessArgs(
                project=network.host_project(project),
                network=network.network_path(project),
                subnets=[Subnet(name=s.name, region=s.region) for s in network.subnets],
                psc=psc,
            ),
            after_apis,
        )

    # Cost and health, heard by the same recipients.
    budget = gcp.budget
    alerts = VertexAlerts(
        "vertex-alerts",
        VertexAlertsArgs(
            project=project,
            environment=env,
            emails=budget.emails,
            throttles=gcp.alerts.throttles,
            server_errors=gcp.alerts.server_errors,
            evaluation_periods=gcp.alerts.evaluation_periods,
        ),
        after_apis,
    )
    VertexBudget(
        "vertex-budget",
        VertexBudgetArgs(
            billing_account=gcp.billing_account,
            display_name=f"{prefix} Claude on Vertex AI",
            project_number=gcp.project_number,
            services=budget.services,
            amount=budget.amount,
            currency_code=budget.currency_code,
            thresholds=budget.thresholds,
            channel_names=alerts.channel_names,
            pubsub_topic=budget.pubsub_topic,
        ),
        after_apis,
    )

    # Manifest entries, one per location, in the configured order.
    for location in gcp.locations:
        deployment.paths.append(_vertex_entry(config, location, invoker.email))

    deployment.outputs["gcpProject"] = project
    deployment.outputs["gcpInvokerServiceAccount"] = invoker.email
    deployment.outputs["gcpAuditBucket"] = audit.bucket_name
    return deployment


def _services(network: GcpNetwork | None) -> list[str]:
    """The APIs to enable: the base set, and what the private access mode needs."""
    services = list(data.BASE_SERVICES)
    if network is not None:
        extra = (
            data.PRIVATE_SERVICE_CONNECT_SERVICES
            if network.mode is NetworkMode.PRIVATE_SERVICE_CONNECT
            else data.PRIVATE_GOOGLE_ACCESS_SERVICES
        )
        services += [service for service in extra if service not in services]
    return sorted(services)


def _endpoint_name(environment: str) -> str:
    """A Private Service Connect endpoint name: lowercase letters and digits, 20 at most."""
    return ("claude" + re.sub(r"[^a-z0-9]", "", environment))[:20]


def _vertex_entry(
    config: StackConfig, location: str, email: pulumi.Output[str]
) -> pulumi.Output[dict[str, Any]]:
    """A manifest entry for the vertex path in one location.

    Callers impersonate the invoker service account and call the location's endpoint
    with the AnthropicVertex client; with private access the same host names resolve
    privately inside the VPC, so there is no separate private DNS name.
    """
    models = config.catalog.models_for(PathKind.VERTEX)
    project = config.gcp.project_id

    def entry(service_account_email: str) -> dict[str, Any]:
        return {
            "name": f"{PathKind.VERTEX.value}-{location}",
            "kind": PathKind.VERTEX.value,
            "region": location,
            "baseUrl": data.vertex_base_url(location),
            "privateDnsName": None,
            "project": project,
            "auth": {
                "type": "gcp-service-account",
                "serviceAccountEmail": service_account_email,
            },
            "models": models,
        }

    return email.apply(entry)
