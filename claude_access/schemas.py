"""The JSON Schemas of the kit's three contracts, and where their versioned copies live.

The copies under ``schemas/`` are what other teams pin; a test fails when a model
changes and the copy was not regenerated (``make schemas``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["FILES", "SCHEMAS_DIR", "generate"]

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"

FILES = {
    "config": "stack-config.schema.json",
    "manifest": "claude-paths.v1.schema.json",
    "plan": "plan.v1.schema.json",
}


class PlanResource(BaseModel):
    """One registered resource, as the engine sees it."""

    model_config = ConfigDict(extra="forbid")

    urn: str
    type: str = Field(description="the type token, e.g. aws:ec2/vpcEndpoint:VpcEndpoint")
    name: str = Field(description="the logical name")
    parent: str | None = Field(description="the parent's URN, or null under the stack")
    custom: bool = Field(description="true for cloud resources, false for components")
    provider: str | None = Field(description="the URN of the provider that manages it")
    props: dict[str, Any] = Field(
        description="input properties with engine (camelCase) names; secrets as '[secret]'"
    )
    id: str | None = Field(default=None, description="the mock engine's id (custom only)")


class PlanDocument(BaseModel):
    """What `claude-access plan --json` writes."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: Literal[1] = Field(alias="schemaVersion")
    project: str
    stack: str
    environment: str
    resources: list[PlanResource] = Field(description="sorted by URN")
    outputs: dict[str, Any] = Field(description="stack outputs, claudePaths among them")


def generate(which: str) -> dict[str, Any]:
    """The JSON Schema named ``config``, ``manifest`` or ``plan``."""
    if which == "config":
        from components.config import json_schema as config_schema

        return config_schema()
    if which == "manifest":
        from routing.manifest import json_schema as manifest_schema

        return manifest_schema()
    if which == "plan":
        schema = PlanDocument.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = "claude-access plan document, version 1"
        return schema
    raise ValueError(f"which must be config, manifest or plan, not {which!r}")
