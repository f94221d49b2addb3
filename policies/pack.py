"""The CrossGuard side of the pack: each rule wrapped as a ``pulumi_policy`` policy.

The wrappers only translate. They turn the engine's arguments into the plain inputs the
rules take (props without the engine's unknown-value proxies, the provider as a
:class:`~policies.rules.base.Resource`, property dependencies as ``refs``), call
:func:`~policies.rules.base.evaluate_resource` or
:func:`~policies.rules.base.evaluate_stack` and report what comes back. The logic lives
in the rules, which the offline checker runs too.

Building policies does not contact the engine; only constructing the ``PolicyPack`` in
``__main__.py`` does.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyProviderResource,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
)

from .rules import RULES
from .rules.base import (
    UNKNOWN,
    Context,
    Resource,
    ResourceRule,
    Rule,
    StackRule,
    evaluate_resource,
    evaluate_stack,
)

__all__ = [
    "PACK_DESCRIPTION",
    "PACK_NAME",
    "RulePolicy",
    "RuleResourcePolicy",
    "RuleStackPolicy",
    "build_policies",
    "plain",
    "stack_environment",
]

logger = logging.getLogger(__name__)

PACK_NAME: Final = "claude-access-guard"
PACK_DESCRIPTION: Final = (
    "Guards private, governed access to Claude on Anthropic's API, Amazon Bedrock, Google "
    "Vertex AI and Microsoft Foundry: private endpoints, least privilege, audit logs, "
    "budgets and tags."
)
CONFIG_NAMESPACE: Final = "claude-access"
"""The stack config namespace whose ``environment`` key names the environment."""

_UNKNOWN_SENTINELS: Final = frozenset(
    {
        UNKNOWN_ARCHIVE_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_OBJECT_VALUE,
        UNKNOWN_STRING_VALUE,
    }
)


def plain(value: Any) -> Any:
    """``value`` as plain dicts and lists, with every unknown value as ``UNKNOWN``.

    The engine wraps props in proxies that raise on reading an unknown value; a rule that
    read one would abort as a whole. Converting item by item keeps the rest readable.
    """
    if isinstance(value, str):
        return UNKNOWN if value in _UNKNOWN_SENTINELS else value
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key in value:
            try:
                result[key] = plain(value[key])
            except UnknownValueError:
                result[key] = UNKNOWN
        return result
    if isinstance(value, Sequence) and not isinstance(value, bytes):
        items: list[Any] = []
        for index in range(len(value)):
            try:
                items.append(plain(value[index]))
            except UnknownValueError:
                items.append(UNKNOWN)
        return items
    return value


def _provider(provider: PolicyProviderResource | None) -> Resource | None:
    if provider is None:
        return None
    return Resource(
        type=provider.resource_type,
        name=provider.name,
        urn=provider.urn,
        props=MappingProxyType(plain(provider.props)),
    )


def _resource(resource: PolicyResource) -> Resource:
    refs = {
        key: tuple(dependency.urn for dependency in dependencies)
        for key, dependencies in resource.property_dependencies.items()
    }
    return Resource(
        type=resource.resource_type,
        name=resource.name,
        urn=resource.urn,
        props=MappingProxyType(plain(resource.props)),
        parent=resource.parent.urn if resource.parent is not None else None,
        provider=resource.provider.urn if resource.provider is not None else None,
        refs=MappingProxyType(refs),
    )


class _ResourceValidation:
    """What the engine calls for each resource: runs one resource rule over it."""

    def __init__(self, rule: ResourceRule, environment: str) -> None:
        self.rule = rule
        self.environment = environment

    def __call__(self, args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        context = Context(
            environment=self.environment,
            provider=_provider(args.provider),
            secrets_masked=False,
        )
        props = plain(args.props)
        config = args.get_config()
        for message in evaluate_resource(self.rule, args.resource_type, props, config, context):
            report_violation(message, None)


class _StackValidation:
    """What the engine calls once per stack: runs one stack rule over every resource."""

    def __init__(self, rule: StackRule, environment: str) -> None:
        self.rule = rule
        self.environment = environment

    def __call__(self, args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [_resource(resource) for resource in args.resources]
        providers = {r.urn: r for r in resources if r.type.startswith("pulumi:providers:")}
        for resource in args.resources:
            provider = _provider(resource.provider)
            if provider is not None:
                providers.setdefault(provider.urn, provider)
        context = Context(
            environment=self.environment,
            providers=MappingProxyType(providers),
            secrets_masked=False,
        )
        for finding in evaluate_stack(self.rule, resources, args.get_config(), context):
            report_violation(finding.message, finding.urn)


def _metadata(rule: Rule, environment: str) -> dict[str, Any]:
    return {
        "name": rule.name,
        "description": rule.description,
        "enforcement_level": EnforcementLevel(rule.default_enforcement(environment)),
        "config_schema": PolicyConfigSchema(properties=rule.config_schema()),
        "severity": Severity(rule.severity),
        "tags": [rule.concern],
        "remediation_steps": rule.remediation,
    }


class RuleResourcePolicy(ResourceValidationPolicy):
    """A resource validation policy that runs one rule, and remembers which."""

    def __init__(self, rule: ResourceRule, environment: str) -> None:
        super().__init__(
            validate=_ResourceValidation(rule, environment), **_metadata(rule, environment)
        )
        self.rule: Rule = rule


class RuleStackPolicy(StackValidationPolicy):
    """A stack validation policy that runs one rule, and remembers which."""

    def __init__(self, rule: StackRule, environment: str) -> None:
        super().__init__(
            validate=_StackValidation(rule, environment), **_metadata(rule, environment)
        )
        self.rule: Rule = rule


RulePolicy = RuleResourcePolicy | RuleStackPolicy


def build_policies(environment: str, rules: Sequence[Rule] = RULES) -> list[Policy]:
    """One policy per rule, with each rule's default level for ``environment``."""
    policies: list[Policy] = []
    for rule in rules:
        if isinstance(rule, ResourceRule):
            policies.append(RuleResourcePolicy(rule, environment))
        elif isinstance(rule, StackRule):
            policies.append(RuleStackPolicy(rule, environment))
        else:
            raise TypeError(f"Expected a ResourceRule or StackRule, got {type(rule).__name__}")
    return policies


def stack_environment() -> str:
    """The environment of the stack under preview or update.

    1. the stack config key ``claude-access:environment``, which the program reads too;
    2. the last segment of the stack name (``PULUMI_STACK``, ``org/prod`` gives ``prod``);
    3. ``prod``, the strictest, with a warning.
    """
    # 1. stack config.
    try:
        import pulumi

        configured = pulumi.Config(CONFIG_NAMESPACE).get("environment")
    except Exception as error:  # the engine may not pass config to policy packs
        logger.warning("Could not read %s:environment: %s", CONFIG_NAMESPACE, error)
        configured = None
    if configured:
        return str(configured)

    # 2. stack name.
    stack = os.environ.get("PULUMI_STACK", "")
    if stack:
        return stack.rsplit("/", 1)[-1]

    # 3. fallback.
    logger.warning("No environment in stack config or PULUMI_STACK; evaluating as 'prod'")
    return "prod"
