"""Tags: every taggable resource carries the stack's tags, set by one mechanism."""

from __future__ import annotations

import importlib
import inspect

import pytest

from components import tagging
from tests.helpers import Plan, render

REQUIRED = {"owner", "cost-center", "environment", "managed-by"}


def takes_tags(type_: str) -> bool:
    """Whether the provider SDK's class for ``type_`` has a ``tags`` input."""
    package, module_path, class_name = type_.split(":")
    module = importlib.import_module(
        f"pulumi_{package.replace('-', '_')}.{module_path.split('/')[0]}"
    )
    signature = inspect.signature(getattr(module, class_name)._internal_init)
    return "tags" in signature.parameters


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_every_taggable_resource_carries_the_stack_tags(stack: str) -> None:
    plan = render(stack)
    checked = 0
    for resource in plan.custom():
        if resource["type"].startswith("pulumi:providers:"):
            continue
        if takes_tags(resource["type"]):
            tags = resource["props"].get("tags", {})
            assert set(tags) >= REQUIRED, resource["urn"]
            assert tags["environment"] == stack
            assert tags["managed-by"] == "claude-access"
            checked += 1
        else:
            assert "tags" not in resource["props"], resource["urn"]
    assert checked >= 20


def test_extra_tags_are_added_everywhere(prod_plan: Plan) -> None:
    for resource in prod_plan.custom():
        if "tags" in resource["props"]:
            assert resource["props"]["tags"]["data-classification"] == "confidential"


def test_gcp_labels_are_made_safe_and_other_types_are_left_alone() -> None:
    assert tagging.tag_property("gcp:storage/bucket:Bucket") == "labels"
    assert tagging.tag_property("azure-native:cognitiveservices:Account") == "tags"
    assert tagging.tag_property("pulumi:providers:aws") is None
    assert tagging.tags_for("gcp:storage/bucket:Bucket", {"owner": "Platform-AI@example.com"}) == {
        "owner": "platform-ai_example_com"
    }


def test_gcp_monitoring_resources_are_labelled_under_user_labels() -> None:
    channel = "gcp:monitoring/notificationChannel:NotificationChannel"

    assert tagging.tag_property(channel) == "user_labels"
    assert tagging.tag_property("gcp:monitoring/alertPolicy:AlertPolicy") == "user_labels"
    assert tagging.tag_property("gcp:compute/globalAddress:GlobalAddress") == "labels"
    assert tagging.tags_for(channel, {"owner": "Platform-AI@example.com"}) == {
        "owner": "platform-ai_example_com"
    }
