"""The Google APIs a project needs before anything of the vertex path can be created."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_gcp import projects

from components.gcp.options import child_options

__all__ = ["ProjectServices", "ProjectServicesArgs"]


@dataclass(frozen=True)
class ProjectServicesArgs:
    """Which APIs to enable, and where.

    :param project: the project id.
    :param services: API names such as ``aiplatform.googleapis.com``.
    """

    project: str
    services: Sequence[str]


class ProjectServices(pulumi.ComponentResource):
    """Enables each API once; destroying the stack leaves them enabled.

    Turning an API off would break whatever else in the project uses it, and disabling
    the services that depend on it would break more, so neither happens on destroy.
    """

    services: list[projects.Service]

    def __init__(
        self, name: str, args: ProjectServicesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if len(set(args.services)) != len(args.services):
            raise TypeError(f"Expected each service once, got {list(args.services)!r}")

        super().__init__("claude-access:gcp:ProjectServices", name, None, opts)
        child = child_options(self, opts)

        self.services = [
            projects.Service(
                f"{name}-{service.split('.', 1)[0]}",
                project=args.project,
                service=service,
                disable_on_destroy=False,
                disable_dependent_services=False,
                opts=child,
            )
            for service in args.services
        ]
        self.register_outputs({"services": [service.service for service in self.services]})
