"""One mechanism for the owner, cost-center, environment and managed-by tags.

A stack transformation visits every resource as it is registered. Where the resource's
type takes tags (AWS, Azure) or labels (Google Cloud), it adds the stack's tags to
whatever the component set, the stack's own keys winning. Components therefore never
tag resource by resource, and a resource added later is tagged without anyone
remembering to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pulumi

__all__ = ["gcp_label", "register", "tag_property", "tags_for"]

_LABEL_UNSAFE = re.compile(r"[^a-z0-9_-]")

_PROPERTY_BY_TYPE = {
    "gcp:monitoring/alertPolicy:AlertPolicy": "user_labels",
    "gcp:monitoring/notificationChannel:NotificationChannel": "user_labels",
}
"""Types whose labels live under another input than their cloud's usual one.

A notification channel's ``labels`` hold its configuration (the e-mail address of an
e-mail channel); its labels, like an alert policy's, are ``user_labels``.
"""


def tag_property(resource_type: str) -> str | None:
    """The input property (as the Python SDK names it) that holds tags, or ``None``."""
    if resource_type.startswith("pulumi:"):
        return None
    if resource_type in _PROPERTY_BY_TYPE:
        return _PROPERTY_BY_TYPE[resource_type]
    if resource_type.startswith(("aws:", "azure-native:")):
        return "tags"
    if resource_type.startswith("gcp:"):
        return "labels"
    return None


def gcp_label(value: str) -> str:
    """A value as Google Cloud accepts it in a label: lowercase, 63 characters at most."""
    return _LABEL_UNSAFE.sub("_", value.lower())[:63]


def tags_for(resource_type: str, tags: Mapping[str, str]) -> dict[str, str]:
    """The stack's tags in the form the resource type's cloud accepts."""
    if resource_type.startswith("gcp:"):
        return {gcp_label(key): gcp_label(value) for key, value in tags.items()}
    return dict(tags)


def register(tags: Mapping[str, str]) -> None:
    """Tag every resource registered from now on in this stack."""
    frozen = dict(tags)

    def transformation(
        args: pulumi.ResourceTransformationArgs,
    ) -> pulumi.ResourceTransformationResult | None:
        key = tag_property(args.type_)
        if key is None or key not in args.props:
            return None
        wanted = tags_for(args.type_, frozen)
        current = args.props.get(key)
        merged: Any
        if current is None:
            merged = wanted
        else:
            merged = pulumi.Output.from_input(current).apply(
                lambda given: {**(given or {}), **wanted}
            )
        return pulumi.ResourceTransformationResult({**args.props, key: merged}, args.opts)

    pulumi.runtime.register_stack_transformation(transformation)
