"""The shape every rule of the pack shares, and the helpers the rules read props with.

A rule is written once, as a plain function over plain data, and run by two callers:

1. the CrossGuard adapter (:mod:`policies.pack`), which the Pulumi engine drives during
   ``pulumi preview`` and ``pulumi up``;
2. the offline checker (:mod:`policies.offline`), which reads a plan document.

Both callers turn what they get into the same inputs (a resource type, a props mapping,
the rule's config and a :class:`Context`; or, for a stack rule, a list of
:class:`Resource`) and call :func:`evaluate_resource` or :func:`evaluate_stack`, so a
rule cannot behave differently in the two places. Nothing here imports ``pulumi_policy``
or talks to the engine, which keeps the rules importable anywhere.

Values that the engine cannot know yet during a preview (an id of a resource still to be
created, a policy document built from one) reach the rules as :data:`UNKNOWN`. A rule
never reports a violation on an unknown value; ``pulumi up`` evaluates the rule again
once the value is known.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

__all__ = [
    "ENFORCEMENT_LEVELS",
    "SEVERITIES",
    "UNKNOWN",
    "Context",
    "Finding",
    "Resource",
    "ResourceCheck",
    "ResourceRule",
    "Rule",
    "StackCheck",
    "StackRule",
    "as_list",
    "evaluate_resource",
    "evaluate_stack",
    "get",
    "is_dev",
    "is_unknown",
    "known_strings",
    "module_of",
]

logger = logging.getLogger(__name__)

ENFORCEMENT_LEVELS: Final = ("advisory", "mandatory", "remediate", "disabled")
"""Enforcement levels as Pulumi spells them; ``remediate`` counts as ``mandatory`` here."""

SEVERITIES: Final = ("low", "medium", "high", "critical")

DEV_ENVIRONMENTS: Final = frozenset({"dev", "development"})
"""Environment names in which a rule's ``dev_enforcement`` applies (``dev-*`` too)."""

_RULE_NAME = re.compile(r"^[a-z][a-z0-9-]{2,63}$")


class _Unknown:
    """The type of :data:`UNKNOWN`; a single instance stands for every unknown value."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN: Final = _Unknown()
"""A value the engine will only know after the resources it depends on exist."""


def is_unknown(value: object) -> bool:
    """Whether ``value`` is :data:`UNKNOWN`."""
    return value is UNKNOWN


def is_dev(environment: str) -> bool:
    """Whether ``environment`` names a development stack (``dev``, ``development``, ``dev-*``)."""
    name = environment.lower()
    return name in DEV_ENVIRONMENTS or name.startswith("dev-")


# --- reading props ------------------------------------------------------------------------


def get(props: Any, *path: str | int) -> Any:
    """The value at ``path`` inside nested mappings and lists.

    Returns ``None`` when a step is missing and :data:`UNKNOWN` as soon as a step is
    unknown, so that callers can tell "not set" from "not known yet".
    """
    value = props
    for step in path:
        if value is UNKNOWN:
            return UNKNOWN
        if isinstance(step, int):
            if not isinstance(value, Sequence) or isinstance(value, str | bytes):
                return None
            if step >= len(value):
                return None
            value = value[step]
        else:
            if not isinstance(value, Mapping):
                return None
            value = value.get(step)
    return value


def as_list(value: Any) -> list[Any]:
    """``value`` as a list: ``None`` is empty, a scalar (or :data:`UNKNOWN`) is one item."""
    if value is None:
        return []
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    return [value]


def known_strings(value: Any) -> list[str]:
    """Every known string in ``value``, which may be a string or a list of them."""
    return [item for item in as_list(value) if isinstance(item, str)]


def module_of(resource_type: str) -> tuple[str, str, str]:
    """The package, module and resource name of a type token.

    ``aws:ec2/vpcEndpoint:VpcEndpoint`` gives ``("aws", "ec2", "VpcEndpoint")`` and
    ``azure-native:network:PrivateEndpoint`` gives ``("azure-native", "network",
    "PrivateEndpoint")``. A token of another form gives empty strings where parts lack.
    """
    parts = resource_type.split(":")
    if len(parts) != 3:
        return (parts[0] if parts else "", "", "")
    package, module, name = parts
    return package, module.split("/", 1)[0], name


# --- what the rules see ---------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """One resource as a stack rule sees it, whichever caller built it.

    :param type: the type token, e.g. ``aws:ec2/vpcEndpoint:VpcEndpoint``.
    :param name: the logical name the program gave the resource.
    :param urn: the resource's URN.
    :param props: the resource's properties with the engine's camelCase names.
    :param id: the provider id where one is known (the plan carries the mock id).
    :param parent: the URN of the parent resource, if any.
    :param provider: a reference to the provider resource (its URN, possibly followed by
        ``::`` and the provider's id).
    :param custom: false for component resources.
    :param refs: for each property, the URNs of resources whose outputs flow into it. The
        engine supplies these; a plan document does not, so offline they are empty.
    """

    type: str
    name: str
    urn: str
    props: Mapping[str, Any]
    id: str | None = None
    parent: str | None = None
    provider: str | None = None
    custom: bool = True
    refs: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def identifiers(self, *props: str) -> set[str]:
        """Strings other resources may use to refer to this one.

        The provider id (from the plan, or the ``id`` output the engine reports after an
        update) and the values of the named props (a bucket's ``bucket``, an account's
        ``accountName``) where they are known strings.
        """
        found = {self.id} if self.id else set()
        for key in ("id", *props):
            value = self.props.get(key)
            if isinstance(value, str) and value:
                found.add(value)
        return found

    def refers_to(self, prop: str, target: Resource, target_ids: Iterable[str]) -> bool:
        """Whether ``self.props[prop]`` points at ``target``.

        True when the engine recorded that the property depends on ``target``, or when a
        known string inside the property equals one of ``target_ids``.
        """
        if target.urn in self.refs.get(prop, ()):
            return True
        wanted = {value for value in target_ids if value}
        return any(value in wanted for value in _strings_within(self.props.get(prop)))


def _strings_within(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings_within(item)
    elif isinstance(value, Sequence) and not isinstance(value, bytes):
        for item in value:
            yield from _strings_within(item)


@dataclass(frozen=True)
class Finding:
    """A violation a stack rule found: what is wrong and, if one, which resource."""

    message: str
    urn: str | None = None


@dataclass(frozen=True)
class Context:
    """What a rule may know beyond the props in front of it.

    :param environment: the stack's environment name (``dev``, ``staging``, ``prod``...).
    :param provider: for a resource rule, the provider resource of the resource checked.
    :param providers: for a stack rule, every provider resource by URN.
    :param secrets_masked: true when secret values arrive as ``"[secret]"`` (a plan
        document); false when they arrive in plain text (the Pulumi engine gives
        policies secret values unmasked and unmarked).
    """

    environment: str
    provider: Resource | None = None
    providers: Mapping[str, Resource] = field(default_factory=lambda: MappingProxyType({}))
    secrets_masked: bool = False

    def provider_of(self, resource: Resource) -> Resource | None:
        """The provider resource that manages ``resource``, where the stack holds it."""
        reference = resource.provider
        if not reference:
            return None
        if reference in self.providers:
            return self.providers[reference]
        # Provider references are "<urn>::<id>"; the URN alone is the key.
        return self.providers.get(reference.rsplit("::", 1)[0])

    @property
    def is_dev(self) -> bool:
        return is_dev(self.environment)


ResourceCheck = Callable[[str, Mapping[str, Any], Mapping[str, Any], Context], Iterable[str]]
"""A resource rule: (resource type, props, rule config, context) to violation messages."""

StackCheck = Callable[[Sequence[Resource], Mapping[str, Any], Context], Iterable[Finding]]
"""A stack rule: (every resource, rule config, context) to findings."""


# --- rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """Everything about a rule except how it checks.

    :param name: the policy name, unique in the pack, used in config files.
    :param concern: the module that groups it: network, identity, audit, cost, governance.
    :param description: one sentence on what the rule requires.
    :param severity: low, medium, high or critical.
    :param enforcement: the default level outside development stacks.
    :param remediation: the steps that fix a violation.
    :param params: the config properties, each a JSON Schema with a ``default``.
    :param dev_enforcement: the default level in development stacks, if different.
    :param environments: the environments in which the rule is evaluated by default;
        ``*`` stands for every one. Config can change it through ``environments``.
    """

    name: str
    concern: str
    description: str
    severity: str
    enforcement: str
    remediation: str
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    dev_enforcement: str | None = None
    environments: tuple[str, ...] = ("*",)

    def __post_init__(self) -> None:
        if not _RULE_NAME.match(self.name):
            raise ValueError(
                f"Expected a rule name of lowercase letters, digits and dashes, got {self.name!r}"
            )
        if self.severity not in SEVERITIES:
            raise ValueError(
                f"Expected severity of {self.name} to be one of {SEVERITIES}, got {self.severity!r}"
            )
        for level in (self.enforcement, self.dev_enforcement or self.enforcement):
            if level not in ENFORCEMENT_LEVELS:
                raise ValueError(
                    f"Expected enforcement of {self.name} to be one of {ENFORCEMENT_LEVELS}, "
                    f"got {level!r}"
                )
        for key, schema in self.params.items():
            if "default" not in schema:
                raise ValueError(f"Expected param {key!r} of {self.name} to have a default")
            if key in ("environments", "enforcementLevel"):
                raise ValueError(f"Param name {key!r} of {self.name} is reserved")

    @property
    def kind(self) -> str:
        """``resource`` or ``stack``."""
        raise NotImplementedError

    @property
    def check_function(self) -> Callable[..., Any]:
        """The plain function that holds the rule's logic."""
        raise NotImplementedError

    def config_schema(self) -> dict[str, dict[str, Any]]:
        """The JSON Schema properties of the rule's config, ``environments`` included."""
        schema = {key: dict(value) for key, value in self.params.items()}
        schema["environments"] = {
            "type": "array",
            "items": {"type": "string"},
            "default": list(self.environments),
            "description": "Environments in which the rule is evaluated; '*' means all.",
        }
        return schema

    def defaults(self) -> dict[str, Any]:
        """The rule's config when nothing is configured."""
        return {key: schema["default"] for key, schema in self.config_schema().items()}

    def settings(self, given: Mapping[str, Any] | None) -> dict[str, Any]:
        """The defaults with ``given`` on top, as the engine merges them."""
        merged = self.defaults()
        for key, value in (given or {}).items():
            if key != "enforcementLevel":
                merged[key] = value
        return merged

    def default_enforcement(self, environment: str) -> str:
        """The level the rule takes in ``environment`` before any config applies."""
        if self.dev_enforcement is not None and is_dev(environment):
            return self.dev_enforcement
        return self.enforcement


@dataclass(frozen=True)
class ResourceRule(Rule):
    """A rule over one resource at a time; the engine runs it before the resource changes."""

    check: ResourceCheck | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.check is None:
            raise ValueError(f"Expected a check function for resource rule {self.name}")

    @property
    def kind(self) -> str:
        return "resource"

    @property
    def check_function(self) -> ResourceCheck:
        assert self.check is not None
        return self.check


@dataclass(frozen=True)
class StackRule(Rule):
    """A rule over the whole stack, for requirements that join resources together."""

    check: StackCheck | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.check is None:
            raise ValueError(f"Expected a check function for stack rule {self.name}")

    @property
    def kind(self) -> str:
        return "stack"

    @property
    def check_function(self) -> StackCheck:
        assert self.check is not None
        return self.check


def _applies(settings: Mapping[str, Any], environment: str) -> bool:
    wanted = [str(name).lower() for name in as_list(settings.get("environments"))]
    return "*" in wanted or environment.lower() in wanted


def evaluate_resource(
    rule: ResourceRule,
    resource_type: str,
    props: Mapping[str, Any],
    config: Mapping[str, Any] | None,
    context: Context,
) -> list[str]:
    """The violation messages ``rule`` reports for one resource, each once, in order."""
    settings = rule.settings(config)
    if not _applies(settings, context.environment):
        return []
    messages = rule.check_function(resource_type, props, settings, context)
    return list(dict.fromkeys(messages))


def evaluate_stack(
    rule: StackRule,
    resources: Sequence[Resource],
    config: Mapping[str, Any] | None,
    context: Context,
) -> list[Finding]:
    """The findings ``rule`` reports for a stack, each once, in order."""
    settings = rule.settings(config)
    if not _applies(settings, context.environment):
        return []
    return list(dict.fromkeys(rule.check_function(resources, settings, context)))
