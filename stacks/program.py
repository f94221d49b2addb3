"""The program: validate the stack config, then compose the components of each cloud.

``main`` is what ``pulumi up`` runs. ``run`` is the same program minus config reading,
which ``claude-access plan`` and the tests call under Pulumi's mock engine.
"""

from __future__ import annotations

import logging
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config

from components import tagging
from components.config import (
    API_KEY_KEY,
    NAMESPACE,
    ConfigError,
    StackConfig,
    parse_stack_config,
)
from routing.manifest import SCHEMA_VERSION
from stacks import aws, azure, gcp

__all__ = ["load_config", "main", "run"]

log = logging.getLogger(__name__)


def raw_config() -> dict[str, Any]:
    """Every config value handed to this program, by full key."""
    return {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}


def load_config() -> tuple[StackConfig, pulumi.Output[str] | None]:
    """Read and validate the stack config; return it with the API key, if one is needed.

    :raises ConfigError: with one sentence per bad value.
    """
    config = parse_stack_config(raw_config())
    if not config.anthropic.enabled:
        return config, None

    full_key = f"{NAMESPACE}:{API_KEY_KEY}"
    value = runtime_config.get_config(full_key)
    hint = f"set it with `pulumi config set --secret {full_key}`"
    if not value:
        raise ConfigError([f"{full_key} is not set, but anthropic.enabled is true; {hint}."])
    if not runtime_config.is_config_secret(full_key):
        raise ConfigError(
            [f"{full_key} is stored in plain text (value hidden), but it must be a secret; {hint}."]
        )
    return config, pulumi.Output.secret(str(value))


def run(config: StackConfig, api_key: pulumi.Output[str] | None) -> dict[str, Any]:
    """Register every resource the config asks for and return the stack outputs."""
    tagging.register(config.tags())

    entries: list[pulumi.Output[dict[str, Any]]] = []
    outputs: dict[str, Any] = {}
    deployments = []
    if config.aws.enabled:
        deployments.append(aws.deploy(config, api_key))
    if config.gcp.enabled:
        deployments.append(gcp.deploy(config))
    if config.azure.enabled:
        deployments.append(azure.deploy(config))
    for deployed in deployments:
        entries += deployed.paths
        outputs.update(deployed.outputs)

    by_kind = {kind: index for index, kind in enumerate(config.path_order)}
    outputs["claudePaths"] = pulumi.Output.all(*entries).apply(
        lambda resolved: _manifest(config, resolved, by_kind)
    )
    return outputs


def _manifest(
    config: StackConfig, entries: list[dict[str, Any]], by_kind: dict[Any, int]
) -> dict[str, Any]:
    """Number the paths in the configured kind order, regions in their listed order."""
    ordered = sorted(enumerate(entries), key=lambda pair: (by_kind[pair[1]["kind"]], pair[0]))
    paths = [{**entry, "priority": rank} for rank, (_, entry) in enumerate(ordered, start=1)]
    prices = {
        tier.value: {
            "inputPerMTok": models.price.input_per_mtok,
            "outputPerMTok": models.price.output_per_mtok,
        }
        for tier, models in config.catalog.tiers().items()
    }
    return {
        "schemaVersion": SCHEMA_VERSION,
        "stack": config.environment,
        "prices": prices,
        "paths": paths,
    }


def main() -> None:
    """Run the program; a config mistake ends it with one clear error and no resources."""
    try:
        config, api_key = load_config()
    except ConfigError as error:
        raise pulumi.RunError("invalid stack config:\n  " + "\n  ".join(error.problems)) from None
    for key, value in run(config, api_key).items():
        pulumi.export(key, value)
