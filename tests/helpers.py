"""Shared helpers: stack configs with changes, and queries over plan documents."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from typing import Any

from claude_access import plan as planning


def stack_config(stack: str, **changes: Any) -> tuple[dict[str, str], list[str]]:
    """A stack file's config values with some keys changed.

    Keys are config keys without the namespace; a value of ``None`` removes the key,
    a dict is merged into the existing value (``None`` inside removes that field).
    """
    values, secret_keys = planning.load_stack_file(planning.stack_file(stack))
    values = dict(values)
    for key, change in changes.items():
        full_key = f"claude-access:{key}"
        if change is None:
            values.pop(full_key, None)
            continue
        if isinstance(change, dict) and full_key in values:
            current = json.loads(values[full_key])
            values[full_key] = json.dumps(_merge(current, change))
        elif isinstance(change, dict | list):
            values[full_key] = json.dumps(change)
        else:
            values[full_key] = str(change)
    return values, list(secret_keys)


def _merge(base: Any, change: Mapping[str, Any]) -> Any:
    merged = copy.deepcopy(base)
    for key, value in change.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def render(stack: str = "dev", **changes: Any) -> Plan:
    values, secret_keys = stack_config(stack, **changes)
    return Plan(planning.render(values, secret_keys, stack=stack).document)


class Plan:
    """Queries over a plan document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.resources: list[dict[str, Any]] = document["resources"]

    def of_type(self, type_: str) -> list[dict[str, Any]]:
        return [resource for resource in self.resources if resource["type"] == type_]

    def one(self, type_: str, name_contains: str = "") -> dict[str, Any]:
        found = [r for r in self.of_type(type_) if name_contains in r["name"]]
        assert len(found) == 1, f"expected one {type_} named *{name_contains}*, found {found}"
        return found[0]

    def props(self, type_: str, name_contains: str = "") -> dict[str, Any]:
        return self.one(type_, name_contains)["props"]

    def policy(self, type_: str, name_contains: str = "", key: str = "policy") -> dict[str, Any]:
        return json.loads(self.props(type_, name_contains)[key])

    def custom(self) -> Iterator[dict[str, Any]]:
        return (resource for resource in self.resources if resource["custom"])

    @property
    def manifest(self) -> dict[str, Any]:
        return self.document["outputs"]["claudePaths"]


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = document["Statement"]
    return found if isinstance(found, list) else [found]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def assert_one_sentence(found: list[str], key: str, value: str, allowed: str) -> None:
    """A config error is one sentence that names the key, the value and what is allowed."""
    assert len(found) == 1, found
    sentence = found[0]
    assert sentence.startswith(f"claude-access:{key} "), sentence
    assert value in sentence
    assert allowed in sentence
    assert sentence.endswith(".") and "\n" not in sentence
