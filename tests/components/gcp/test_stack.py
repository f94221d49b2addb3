"""The gcp side as a whole: components, provider, APIs, labels, ordering and the manifest."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest
from pydantic.alias_generators import to_camel

from claude_access import plan as planning
from components import tagging
from components.gcp import data
from routing.manifest import load_manifest
from tests.helpers import Plan, stack_config

GCP_COMPONENTS = {
    "claude-access:gcp:ProjectServices",
    "claude-access:gcp:VertexInvoker",
    "claude-access:gcp:VertexAuditLogs",
    "claude-access:gcp:GoogleApisPrivateAccess",
    "claude-access:gcp:VertexAlerts",
    "claude-access:gcp:VertexBudget",
}
SERVICE = "gcp:projects/service:Service"
MODELS = {
    "haiku": "claude-haiku-4-5@20251001",
    "sonnet": "claude-sonnet-4-6",
    "opus": "claude-opus-4-6",
}
PROD_LABELS = {
    "owner": "platform-ai_example_com",
    "cost-center": "cc-4821",
    "environment": "prod",
    "managed-by": "claude-access",
    "data-classification": "confidential",
}


def gcp_resources(plan: Plan) -> list[dict[str, Any]]:
    return [r for r in plan.custom() if r["type"].startswith("gcp:")]


def takes(type_: str, python_name: str) -> bool:
    """Whether the pulumi-gcp class for ``type_`` has an input called ``python_name``."""
    _, module_path, class_name = type_.split(":")
    module = importlib.import_module(f"pulumi_gcp.{module_path.split('/')[0]}")
    signature = inspect.signature(getattr(module, class_name)._internal_init)
    return python_name in signature.parameters


def test_every_gcp_resource_sits_in_a_typed_gcp_component(prod_plan: Plan) -> None:
    by_urn = {r["urn"]: r for r in prod_plan.resources}
    components = {r["type"] for r in prod_plan.resources if not r["custom"]}

    assert {c for c in components if c.startswith("claude-access:gcp:")} == GCP_COMPONENTS
    for resource in gcp_resources(prod_plan):
        assert by_urn[resource["parent"]]["type"] in GCP_COMPONENTS, resource["urn"]


def test_every_gcp_resource_goes_through_the_project_provider(prod_plan: Plan) -> None:
    (provider,) = prod_plan.of_type("pulumi:providers:gcp")

    assert provider["name"] == "gcp-acme-claude-prod"
    assert provider["props"]["project"] == "acme-claude-prod"
    assert provider["props"]["region"] == "us-east5"
    assert provider["props"]["billingProject"] == "acme-claude-prod"
    assert provider["props"]["userProjectOverride"] == "true"
    for resource in gcp_resources(prod_plan):
        assert resource["provider"] == provider["urn"], resource["urn"]


def test_every_gcp_resource_names_its_project(prod_plan: Plan) -> None:
    for resource in gcp_resources(prod_plan):
        if takes(resource["type"], "project"):
            assert resource["props"]["project"] == "acme-claude-prod", resource["urn"]


@pytest.mark.parametrize(
    ("stack", "extra"),
    [
        ("staging", {"compute.googleapis.com"}),
        (
            "prod",
            {"compute.googleapis.com", "dns.googleapis.com", "servicedirectory.googleapis.com"},
        ),
    ],
)
def test_the_apis_the_kit_needs_are_enabled_and_outlive_the_stack(
    stack: str, extra: set[str], staging_plan: Plan, prod_plan: Plan
) -> None:
    plan = {"staging": staging_plan, "prod": prod_plan}[stack]
    services = plan.of_type(SERVICE)

    assert {s["props"]["service"] for s in services} == set(data.BASE_SERVICES) | extra
    assert "aiplatform.googleapis.com" in data.BASE_SERVICES
    for service in services:
        assert service["props"]["disableOnDestroy"] is False
        assert service["props"]["disableDependentServices"] is False


def test_every_labelled_gcp_resource_carries_the_stack_labels(prod_plan: Plan) -> None:
    labelled = []
    for resource in gcp_resources(prod_plan):
        key = tagging.tag_property(resource["type"])
        assert key is not None
        if not takes(resource["type"], key):
            assert "userLabels" not in resource["props"], resource["urn"]
            continue
        assert resource["props"][to_camel(key)] == PROD_LABELS, resource["urn"]
        labelled.append(resource["type"])

    assert sorted(set(labelled)) == [
        "gcp:compute/globalAddress:GlobalAddress",
        "gcp:compute/globalForwardingRule:GlobalForwardingRule",
        "gcp:dns/managedZone:ManagedZone",
        "gcp:monitoring/alertPolicy:AlertPolicy",
        "gcp:monitoring/notificationChannel:NotificationChannel",
        "gcp:storage/bucket:Bucket",
    ]


def test_notification_channels_keep_their_address_apart_from_the_labels(
    prod_plan: Plan,
) -> None:
    for channel in prod_plan.of_type("gcp:monitoring/notificationChannel:NotificationChannel"):
        assert set(channel["props"]["labels"]) == {"email_address"}
        assert channel["props"]["userLabels"] == PROD_LABELS


def test_the_manifest_has_one_vertex_path_per_location_in_order(prod_plan: Plan) -> None:
    manifest = load_manifest(prod_plan.manifest)
    vertex = [p for p in manifest.ordered() if p.kind == "vertex"]
    email = "claude-access-prod@acme-claude-prod.iam.gserviceaccount.com"

    assert [(p.name, p.region) for p in vertex] == [
        ("vertex-us-east5", "us-east5"),
        ("vertex-europe-west1", "europe-west1"),
    ]
    assert [p.base_url for p in vertex] == [
        "https://us-east5-aiplatform.googleapis.com/v1",
        "https://europe-west1-aiplatform.googleapis.com/v1",
    ]
    assert vertex[0].priority < vertex[1].priority
    for path in vertex:
        assert path.project == "acme-claude-prod"
        assert path.auth.type == "gcp-service-account"
        assert path.auth.service_account_email == email
        assert path.models == MODELS
        assert path.private_dns_name is None


def test_the_global_location_uses_the_global_endpoint(staging_plan: Plan) -> None:
    manifest = load_manifest(staging_plan.manifest)
    by_name = {p.name: p for p in manifest.paths}

    assert by_name["vertex-global"].base_url == "https://aiplatform.googleapis.com/v1"
    assert by_name["vertex-global"].region == "global"
    assert by_name["vertex-us-east5"].base_url == "https://us-east5-aiplatform.googleapis.com/v1"


def test_the_stack_outputs_name_the_invoker_and_the_bucket(staging_plan: Plan) -> None:
    outputs = staging_plan.document["outputs"]

    assert outputs["gcpProject"] == "acme-claude-staging"
    assert outputs["gcpInvokerServiceAccount"] == (
        "claude-access-staging@acme-claude-staging.iam.gserviceaccount.com"
    )
    assert outputs["gcpAuditBucket"] == "acme-claude-staging-claude-audit-logs"


def test_dev_has_no_gcp_resources(dev_plan: Plan) -> None:
    assert not [
        r
        for r in dev_plan.resources
        if r["type"].startswith("gcp:")
        or r["type"].startswith("claude-access:gcp:")
        or r["type"] == "pulumi:providers:gcp"
    ]
    assert "gcpProject" not in dev_plan.document["outputs"]


def test_everything_but_the_apis_waits_for_the_apis(monkeypatch: pytest.MonkeyPatch) -> None:
    dependencies: dict[str, list[str]] = {}

    class Recording(planning._RecordingMonitor):
        def RegisterResource(self, request: Any) -> Any:
            response = super().RegisterResource(request)
            dependencies[response.urn] = list(request.dependencies)
            return response

    monkeypatch.setattr(planning, "_RecordingMonitor", Recording)
    values, secret_keys = stack_config("prod")
    document = planning.render(values, secret_keys, stack="prod").document
    by_urn = {r["urn"]: r for r in document["resources"]}
    services = {r["urn"] for r in document["resources"] if r["type"] == SERVICE}

    checked = 0
    for resource in document["resources"]:
        if not resource["custom"] or not resource["type"].startswith("gcp:"):
            continue
        if resource["type"] == SERVICE:
            continue
        assert services <= set(dependencies[resource["urn"]]), resource["urn"]
        assert by_urn[resource["parent"]]["type"] != "claude-access:gcp:ProjectServices"
        checked += 1
    assert checked > 20
