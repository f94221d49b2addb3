"""Paths manifests (the ``claudePaths`` stack output) that point at a running emulator.

An emulator manifest has the same shape as a deployed stack's, so that the smoke tests
and the routing client run unchanged against either. Only ``auth`` differs: its type is
``emulator`` and it carries the fixed test credentials the client needs, because there
is no role, service account or managed identity to borrow them from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from smoke_tests.emulator import credentials
from smoke_tests.emulator.paths import PRICES, PathSpec

__all__ = ["SCHEMA_VERSION", "build_manifest", "emulator_auth", "path_entry"]

SCHEMA_VERSION: Final = 1

PRIORITY_STEP: Final = 10
"""Priorities go 10, 20, 30... in path order, leaving room to slot a path in between."""


def emulator_auth(spec: PathSpec) -> dict[str, Any]:
    """The ``auth`` object of an emulated path: what a client presents to it.

    The AWS kinds get both a key pair for SigV4 and a Bedrock API key, Foundry both an
    API key and an Entra ID token, as their SDK clients accept either.
    """
    if spec.kind in ("bedrock", "bedrock-mantle"):
        return {
            "type": "emulator",
            "accessKeyId": credentials.TEST_AWS_ACCESS_KEY_ID,
            "secretAccessKey": credentials.TEST_AWS_SECRET_ACCESS_KEY,
            "apiKey": credentials.TEST_AWS_BEARER_TOKEN,
        }
    if spec.kind == "vertex":
        return {"type": "emulator", "token": credentials.TEST_GCP_ACCESS_TOKEN}
    if spec.kind == "foundry":
        return {
            "type": "emulator",
            "apiKey": credentials.TEST_FOUNDRY_API_KEY,
            "token": credentials.TEST_AZURE_TOKEN,
        }
    return {"type": "emulator", "apiKey": credentials.TEST_ANTHROPIC_API_KEY}


def path_entry(spec: PathSpec, *, priority: int, base_url: str) -> dict[str, Any]:
    """The manifest entry of one emulated path.

    ``base_url`` is what the path's SDK client takes as ``base_url``.
    """
    entry: dict[str, Any] = {
        "name": spec.name,
        "kind": spec.kind,
        "priority": priority,
        "region": spec.region if spec.kind != "anthropic" else None,
        "baseUrl": base_url,
        "privateDnsName": None,
        "auth": emulator_auth(spec),
        "models": dict(spec.models),
    }
    if spec.kind == "vertex":
        entry["project"] = spec.project
    if spec.kind == "foundry":
        entry["resource"] = spec.resource
    return entry


def build_manifest(
    specs: Sequence[PathSpec], base_urls: Sequence[str], *, stack: str
) -> dict[str, Any]:
    """A whole manifest; ``specs`` in priority order, each with its base URL."""
    if not isinstance(stack, str) or not stack:
        raise ValueError(f"Expected stack to be a non-empty string, got {stack!r}")
    if len(specs) != len(base_urls):
        raise ValueError(f"Expected one base URL per path, got {len(base_urls)} for {len(specs)}")
    return {
        "schemaVersion": SCHEMA_VERSION,
        "stack": stack,
        "prices": {tier: dict(price) for tier, price in PRICES.items()},
        "paths": [
            path_entry(spec, priority=PRIORITY_STEP * (index + 1), base_url=url)
            for index, (spec, url) in enumerate(zip(specs, base_urls, strict=True))
        ],
    }
