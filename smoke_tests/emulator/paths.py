"""What one emulated path is: its kind, where it lives and which model ids it serves.

A path here mirrors one entry of the paths manifest. The emulator needs a little more
than the manifest says (which model ids exist but are not enabled, for instance), so
:class:`PathSpec` carries that, and :func:`default_path` fills in the ids a fresh
deployment would have, so that ``Emulator()`` alone gives one path of every kind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal, get_args

from smoke_tests.emulator.credentials import TEST_FOUNDRY_RESOURCE, TEST_GCP_PROJECT

__all__ = [
    "DEFAULT_FOUNDRY_REGION",
    "DEFAULT_REGION",
    "DEFAULT_VERTEX_LOCATION",
    "PATH_KINDS",
    "PRICES",
    "TIERS",
    "PathKind",
    "PathSpec",
    "default_path",
    "default_paths",
]

PathKind = Literal["bedrock", "bedrock-mantle", "anthropic", "vertex", "foundry"]

PATH_KINDS: Final[tuple[PathKind, ...]] = get_args(PathKind)
"""Every path kind, in the order the default manifest lists (and prioritises) them."""

TIERS: Final[tuple[str, ...]] = ("haiku", "sonnet", "opus")

PRICES: Final[Mapping[str, Mapping[str, float]]] = MappingProxyType(
    {
        "haiku": {"inputPerMTok": 1.0, "outputPerMTok": 5.0},
        "sonnet": {"inputPerMTok": 3.0, "outputPerMTok": 15.0},
        "opus": {"inputPerMTok": 5.0, "outputPerMTok": 25.0},
    }
)
"""List prices per million tokens, in US dollars, written into every emulator manifest."""

DEFAULT_REGION: Final = "us-east-1"
DEFAULT_VERTEX_LOCATION: Final = "us-east5"
DEFAULT_FOUNDRY_REGION: Final = "eastus2"

_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class PathSpec:
    """One emulated path.

    :param name: the manifest name, e.g. ``bedrock-us-east-1``; lower case, digits and dashes.
    :param kind: which platform's wire format the path speaks.
    :param region: the AWS region, Vertex location or Azure region; ``None`` for ``anthropic``.
        SigV4 credential scopes and Vertex URLs are checked against it.
    :param models: the model id of each tier on this path; these are the ids it serves.
    :param disabled_models: ids the platform knows but this deployment may not call, so
        that a "model not enabled" failure can be rehearsed.
    :param project: the Google Cloud project of a ``vertex`` path.
    :param resource: the Foundry resource name of a ``foundry`` path.
    :param port: the loopback port to listen on; 0 picks a free one.
    """

    name: str
    kind: PathKind
    region: str | None
    models: Mapping[str, str]
    disabled_models: frozenset[str] = field(default_factory=frozenset)
    project: str | None = None
    resource: str | None = None
    port: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME_PATTERN.match(self.name):
            raise ValueError(
                f"Expected name to be lower case letters, digits and dashes, got {self.name!r}"
            )
        if self.kind not in PATH_KINDS:
            raise ValueError(f"Expected kind to be one of {list(PATH_KINDS)}, got {self.kind!r}")
        if self.kind != "anthropic" and not self.region:
            raise ValueError(f"Path {self.name!r} of kind {self.kind!r} needs a region")
        if not self.models or not all(
            isinstance(tier, str) and isinstance(model, str) and model
            for tier, model in self.models.items()
        ):
            raise ValueError(
                f"Expected models of path {self.name!r} to map tiers to non-empty model ids, "
                f"got {dict(self.models)!r}"
            )
        if self.kind == "vertex" and not self.project:
            raise ValueError(f"Path {self.name!r} of kind 'vertex' needs a project")
        if not isinstance(self.port, int) or not 0 <= self.port <= 65535:
            raise ValueError(
                f"Expected port of path {self.name!r} to be 0..65535, got {self.port!r}"
            )

        # Freeze the mapping so that a spec shared between emulators cannot drift.
        object.__setattr__(self, "models", MappingProxyType(dict(self.models)))
        object.__setattr__(self, "disabled_models", frozenset(self.disabled_models))

    @property
    def served_models(self) -> frozenset[str]:
        """The model ids this path answers for."""
        return frozenset(self.models.values())


def _bedrock_geo(region: str) -> str:
    """The cross-region inference profile prefix that Bedrock uses for a region."""
    if region.startswith("eu-"):
        return "eu"
    if region.startswith("ap-"):
        return "apac"
    return "us"


def _default_models(kind: PathKind, region: str | None) -> dict[str, str]:
    if kind == "bedrock":
        geo = _bedrock_geo(region or DEFAULT_REGION)
        return {
            "haiku": f"{geo}.anthropic.claude-haiku-4-5-20251001-v1:0",
            "sonnet": f"{geo}.anthropic.claude-sonnet-4-6",
            "opus": f"{geo}.anthropic.claude-opus-4-6-v1",
        }
    if kind == "bedrock-mantle":
        return {
            "haiku": "anthropic.claude-haiku-4-5",
            "sonnet": "anthropic.claude-sonnet-4-6",
            "opus": "anthropic.claude-opus-4-6",
        }
    if kind == "vertex":
        return {
            "haiku": "claude-haiku-4-5@20251001",
            "sonnet": "claude-sonnet-4-6",
            "opus": "claude-opus-4-6",
        }
    # The first-party API and Foundry deployments use the plain model names.
    return {
        "haiku": "claude-haiku-4-5",
        "sonnet": "claude-sonnet-4-6",
        "opus": "claude-opus-4-6",
    }


def default_path(
    kind: str,
    *,
    region: str = DEFAULT_REGION,
    vertex_location: str = DEFAULT_VERTEX_LOCATION,
    foundry_region: str = DEFAULT_FOUNDRY_REGION,
    port: int = 0,
) -> PathSpec:
    """The path a fresh deployment of ``kind`` would have, named as the manifest names it.

    ``region`` applies to the AWS kinds, ``vertex_location`` to ``vertex`` and
    ``foundry_region`` to ``foundry``.
    """
    if kind == "bedrock":
        return PathSpec(
            f"bedrock-{region}", "bedrock", region, _default_models("bedrock", region), port=port
        )
    if kind == "bedrock-mantle":
        return PathSpec(
            f"bedrock-mantle-{region}",
            "bedrock-mantle",
            region,
            _default_models("bedrock-mantle", region),
            port=port,
        )
    if kind == "anthropic":
        return PathSpec(
            "anthropic", "anthropic", None, _default_models("anthropic", None), port=port
        )
    if kind == "vertex":
        return PathSpec(
            f"vertex-{vertex_location}",
            "vertex",
            vertex_location,
            _default_models("vertex", vertex_location),
            project=TEST_GCP_PROJECT,
            port=port,
        )
    if kind == "foundry":
        return PathSpec(
            "foundry",
            "foundry",
            foundry_region,
            _default_models("foundry", foundry_region),
            resource=TEST_FOUNDRY_RESOURCE,
            port=port,
        )
    raise ValueError(f"Expected kind to be one of {list(PATH_KINDS)}, got {kind!r}")


def default_paths(
    *,
    region: str = DEFAULT_REGION,
    vertex_location: str = DEFAULT_VERTEX_LOCATION,
    foundry_region: str = DEFAULT_FOUNDRY_REGION,
) -> list[PathSpec]:
    """One default path of every kind, in manifest priority order."""
    return [
        default_path(
            kind, region=region, vertex_location=vertex_location, foundry_region=foundry_region
        )
        for kind in PATH_KINDS
    ]
