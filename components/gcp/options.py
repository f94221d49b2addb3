"""Resource options shared by the gcp components."""

from __future__ import annotations

import pulumi

__all__ = ["child_options"]


def child_options(
    parent: pulumi.Resource, opts: pulumi.ResourceOptions | None
) -> pulumi.ResourceOptions:
    """Options for a component's children: parented to it, waiting for what it waits for.

    Pulumi does not hand a component's ``depends_on`` down to its children, so a child
    of a component that waits for the project's APIs would otherwise be created as soon
    as its own inputs are known, and fail on a fresh project whose APIs are still off.
    """
    return pulumi.ResourceOptions(
        parent=parent, depends_on=opts.depends_on if opts is not None else None
    )
