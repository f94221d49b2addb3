"""Tags: every Azure resource that takes tags carries the stack's, and no component sets any."""

from __future__ import annotations

import importlib
import inspect

from tests.helpers import Plan

STACK_TAGS = {
    "owner": "platform-ai@example.com",
    "cost-center": "cc-4821",
    "environment": "prod",
    "managed-by": "claude-access",
    "data-classification": "confidential",
}


def takes_tags(resource_type: str) -> bool:
    """Whether the azure-native SDK's class for ``resource_type`` has a ``tags`` input."""
    _, module, name = resource_type.split(":")
    cls = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), name)
    return "tags" in inspect.signature(cls._internal_init).parameters


def azure_resources(plan: Plan) -> list[dict]:
    return [r for r in plan.custom() if r["type"].startswith("azure-native:")]


def test_every_azure_resource_that_takes_tags_carries_the_stack_tags(prod_plan: Plan) -> None:
    taggable = [r for r in azure_resources(prod_plan) if takes_tags(r["type"])]

    assert len(taggable) >= 15
    for resource in taggable:
        assert resource["props"].get("tags") == STACK_TAGS, resource["urn"]


def test_the_resources_without_tags_are_those_azure_gives_no_tags(prod_plan: Plan) -> None:
    untaggable = {r["type"] for r in azure_resources(prod_plan) if not takes_tags(r["type"])}

    assert untaggable == {
        "azure-native:authorization:RoleAssignment",
        "azure-native:monitor:DiagnosticSetting",
        "azure-native:network:PrivateDnsZoneGroup",
        "azure-native:consumption:Budget",
    }
    for resource in azure_resources(prod_plan):
        if resource["type"] in untaggable:
            assert "tags" not in resource["props"], resource["urn"]
