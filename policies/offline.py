"""The offline policy check: the pack's rules, evaluated over a plan document.

``claude-access plan`` writes what the program would register (contract 3: resources
with ``urn``, ``type``, ``name``, ``parent``, ``custom``, ``provider``, ``id`` and
camelCase ``props``). :func:`check` runs every rule of :data:`policies.rules.RULES` over
it, the same functions the CrossGuard pack registers, and returns one
:class:`Violation` per problem.

The policy config has the shape ``pulumi preview --policy-pack-config`` reads::

    {"all": {"enforcementLevel": "advisory"},
     "required-tags": {"enforcementLevel": "mandatory", "requiredTags": ["owner"]}}

Levels are resolved as the engine resolves them:

1. the rule's default level for the environment (``dev_enforcement`` in ``dev``);
2. ``all.enforcementLevel``, if given, for every rule;
3. the rule's own ``enforcementLevel``, if given.

Rule properties are the schema defaults with the rule's own section on top. Unlike the
engine, which ignores them, unknown policy names and properties are errors here, so a
misspelt key cannot silently leave a rule at its default.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from .rules import RULES, RULES_BY_NAME
from .rules.base import (
    ENFORCEMENT_LEVELS,
    SEVERITIES,
    Context,
    Resource,
    ResourceRule,
    Rule,
    StackRule,
    evaluate_resource,
    evaluate_stack,
)

__all__ = [
    "JSON_FIELDS",
    "ConfigError",
    "PlanError",
    "Violation",
    "check",
    "format_text",
    "has_mandatory",
    "load_config",
    "load_plan",
    "plan_environment",
    "rule_functions",
    "to_records",
    "validate_config",
]

logger = logging.getLogger(__name__)

PLAN_SCHEMA_VERSION: Final = 1
JSON_FIELDS: Final = ("policy", "enforcement", "severity", "type", "name", "urn", "message")
"""The fields of each object in ``--json`` output, in order."""

_DEFAULT_ENVIRONMENT: Final = "prod"
_STACK_TYPE: Final = "pulumi:pulumi:Stack"


class PlanError(ValueError):
    """The plan document cannot be read or is not a plan document."""


class ConfigError(ValueError):
    """The policy config cannot be read or names a policy, key or value the pack rejects."""


@dataclass(frozen=True)
class Violation:
    """One problem found by one rule.

    ``type``, ``name`` and ``urn`` are empty for a problem of the stack as a whole (a
    missing budget, say). ``enforcement`` is ``mandatory`` or ``advisory``.
    """

    policy: str
    enforcement: str
    severity: str
    type: str
    name: str
    urn: str
    message: str
    remediation: str

    @property
    def mandatory(self) -> bool:
        return self.enforcement == "mandatory"

    def to_record(self) -> dict[str, str]:
        """The violation as the ``--json`` output carries it (see :data:`JSON_FIELDS`)."""
        values = asdict(self)
        return {key: values[key] for key in JSON_FIELDS}


# --- reading files --------------------------------------------------------------------------


def load_plan(path: str | Path) -> dict[str, Any]:
    """Read a plan document from ``path``; raise :class:`PlanError` if it cannot be used."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise PlanError(f"Cannot read plan {str(path)!r}: {error.strerror or error}") from None
    try:
        plan = json.loads(text)
    except ValueError as error:
        raise PlanError(f"Plan {str(path)!r} is not JSON: {error}") from None
    _validate_plan(plan)
    return dict(plan)


def load_config(path: str | Path) -> dict[str, Any]:
    """Read a policy config file, JSON or YAML, and validate it against the pack's rules.

    A ``.yaml`` or ``.yml`` file is read as YAML, anything else as JSON. Raises
    :class:`ConfigError` naming every problem at once.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(
            f"Cannot read policy config {str(path)!r}: {error.strerror or error}"
        ) from None
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            config = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise ConfigError(f"Policy config {str(path)!r} is not YAML: {error}") from None
    else:
        try:
            config = json.loads(text)
        except ValueError as error:
            raise ConfigError(f"Policy config {str(path)!r} is not JSON: {error}") from None
    if config is None:
        return {}
    validate_config(config)
    return dict(config)


# --- validation -------------------------------------------------------------------------------


def _validate_plan(plan: Any) -> None:
    if not isinstance(plan, Mapping):
        raise PlanError(f"Expected the plan to be a JSON object, got {type(plan).__name__}")
    version = plan.get("schemaVersion", PLAN_SCHEMA_VERSION)
    if version != PLAN_SCHEMA_VERSION:
        raise PlanError(
            f"Plan schemaVersion is {version!r}; this checker reads version {PLAN_SCHEMA_VERSION}"
        )
    resources = plan.get("resources")
    if not isinstance(resources, list):
        raise PlanError("Expected the plan's 'resources' to be a list of resources")
    for index, entry in enumerate(resources):
        where = f"resources[{index}]"
        if not isinstance(entry, Mapping):
            raise PlanError(f"Expected {where} to be an object, got {type(entry).__name__}")
        for key in ("urn", "type", "name"):
            if not isinstance(entry.get(key), str) or not entry.get(key):
                raise PlanError(f"Expected {where}.{key} to be a non-empty string")
        if not isinstance(entry.get("props", {}), Mapping):
            raise PlanError(f"Expected {where}.props to be an object")
        for key in ("id", "parent", "provider"):
            if entry.get(key) is not None and not isinstance(entry.get(key), str):
                raise PlanError(f"Expected {where}.{key} to be a string when present")


def _level_of(value: Any) -> Any:
    if isinstance(value, Mapping):
        return value.get("enforcementLevel")
    return value


def _schema_problems(value: Any, schema: Mapping[str, Any], where: str) -> list[str]:
    """Problems of ``value`` against the subset of JSON Schema the rules' params use."""
    kind = schema.get("type")
    checks = {
        "string": (lambda v: isinstance(v, str), "a string"),
        "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer"),
        "number": (
            lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "a number",
        ),
        "boolean": (lambda v: isinstance(v, bool), "true or false"),
        "array": (lambda v: isinstance(v, list), "a list"),
    }
    if kind in checks:
        accepts, noun = checks[kind]
        if not accepts(value):
            return [f"{where} must be {noun}, got {value!r}"]
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(repr(v) for v in schema["enum"])
        return [f"{where} must be one of {allowed}, got {value!r}"]
    if "minimum" in schema and value < schema["minimum"]:
        return [f"{where} must be at least {schema['minimum']}, got {value!r}"]
    problems: list[str] = []
    if kind == "array" and "items" in schema:
        for index, item in enumerate(value):
            problems += _schema_problems(item, schema["items"], f"{where}[{index}]")
    return problems


def _section_problems(name: str, section: Any, rule: Rule | None) -> list[str]:
    if isinstance(section, str):
        if section not in ENFORCEMENT_LEVELS:
            return [f"{name} must be one of {', '.join(ENFORCEMENT_LEVELS)}, got {section!r}"]
        return []
    if not isinstance(section, Mapping):
        return [f"{name} must be an enforcement level or an object, got {section!r}"]
    problems = []
    level = section.get("enforcementLevel")
    if level is not None and level not in ENFORCEMENT_LEVELS:
        problems.append(
            f"{name}.enforcementLevel must be one of {', '.join(ENFORCEMENT_LEVELS)}, got {level!r}"
        )
    schema = rule.config_schema() if rule is not None else {}
    for key, value in section.items():
        if key == "enforcementLevel":
            continue
        if rule is None:
            problems.append(
                f"all.{key} is not read by the engine; 'all' takes only enforcementLevel, "
                "so set the property on each policy"
            )
        elif key not in schema:
            known = ", ".join(sorted(schema)) or "none"
            problems.append(f"{name}.{key} is not a property of {name} (it has: {known})")
        else:
            problems += _schema_problems(value, schema[key], f"{name}.{key}")
    return problems


def validate_config(config: Any) -> None:
    """Raise :class:`ConfigError` listing every problem of a policy config, if any."""
    if not isinstance(config, Mapping):
        raise ConfigError(
            f"Expected the policy config to be an object of policy names, got {config!r}"
        )
    problems: list[str] = []
    for name, section in config.items():
        if name != "all" and name not in RULES_BY_NAME:
            problems.append(
                f"{name!r} names no policy of claude-access-guard; known policies: "
                + ", ".join(RULES_BY_NAME)
            )
            continue
        problems += _section_problems(name, section, RULES_BY_NAME.get(name))
    if problems:
        raise ConfigError("Invalid policy config:\n- " + "\n- ".join(problems))


# --- checking -------------------------------------------------------------------------------


def rule_functions() -> set[Any]:
    """The check functions :func:`check` evaluates, one per rule of the pack."""
    return {rule.check_function for rule in RULES}


def plan_environment(plan: Mapping[str, Any]) -> str:
    """The environment a plan was rendered for.

    1. the plan's ``environment``;
    2. the last segment of its ``stack`` (``org/prod`` gives ``prod``);
    3. ``prod``, the strictest, with a warning.
    """
    environment = plan.get("environment")
    if isinstance(environment, str) and environment:
        return environment
    stack = plan.get("stack")
    if isinstance(stack, str) and stack:
        return stack.rsplit("/", 1)[-1]
    logger.warning(
        "The plan names no environment or stack; checking it as %r", _DEFAULT_ENVIRONMENT
    )
    return _DEFAULT_ENVIRONMENT


def _enforcement(rule: Rule, environment: str, config: Mapping[str, Any]) -> str:
    level = rule.default_enforcement(environment)
    for section in (config.get("all"), config.get(rule.name)):
        given = _level_of(section)
        if isinstance(given, str):
            level = given
    return "mandatory" if level == "remediate" else level


def _resources(plan: Mapping[str, Any]) -> list[Resource]:
    return [
        Resource(
            type=entry["type"],
            name=entry["name"],
            urn=entry["urn"],
            props=MappingProxyType(dict(entry.get("props") or {})),
            id=entry.get("id"),
            parent=entry.get("parent"),
            provider=entry.get("provider"),
            custom=bool(entry.get("custom", True)),
        )
        for entry in plan["resources"]
    ]


def check(
    plan: Mapping[str, Any],
    config: Mapping[str, Any] | None = None,
    *,
    environment: str | None = None,
) -> list[Violation]:
    """Evaluate every rule of the pack over ``plan``.

    :param plan: a plan document (contract 3), already parsed.
    :param config: a policy config, as :func:`load_config` returns it; ``None`` for the
        defaults.
    :param environment: overrides the environment the plan names.
    :raises PlanError: the plan is not a plan document.
    :raises ConfigError: the config names unknown policies or properties, or bad values.
    :returns: the violations, mandatory before advisory, then by severity (critical first),
        then in rule and plan order.
    """
    _validate_plan(plan)
    config = config or {}
    validate_config(config)
    environment = environment or plan_environment(plan)

    resources = _resources(plan)
    by_urn = {resource.urn: resource for resource in resources}
    providers = {r.urn: r for r in resources if r.type.startswith("pulumi:providers:")}
    stack_context = Context(environment=environment, providers=providers, secrets_masked=True)

    violations: list[Violation] = []
    for rule in RULES:
        enforcement = _enforcement(rule, environment, config)
        if enforcement == "disabled":
            continue
        section = config.get(rule.name)
        given = section if isinstance(section, Mapping) else None

        def violation(
            message: str, urn: str | None, rule: Rule = rule, enforcement: str = enforcement
        ) -> Violation:
            subject = by_urn.get(urn or "")
            return Violation(
                policy=rule.name,
                enforcement=enforcement,
                severity=rule.severity,
                type=subject.type if subject else "",
                name=subject.name if subject else "",
                urn=urn or "",
                message=message,
                remediation=rule.remediation,
            )

        if isinstance(rule, ResourceRule):
            for resource in resources:
                context = Context(
                    environment=environment,
                    provider=stack_context.provider_of(resource),
                    secrets_masked=True,
                )
                for message in evaluate_resource(
                    rule, resource.type, resource.props, given, context
                ):
                    violations.append(violation(message, resource.urn))
        elif isinstance(rule, StackRule):
            for finding in evaluate_stack(rule, resources, given, stack_context):
                violations.append(violation(finding.message, finding.urn))

    order = {rule.name: index for index, rule in enumerate(RULES)}
    return sorted(
        violations,
        key=lambda v: (not v.mandatory, -SEVERITIES.index(v.severity), order[v.policy]),
    )


# --- output ---------------------------------------------------------------------------------


def has_mandatory(violations: Iterable[Violation]) -> bool:
    """Whether any violation is mandatory (the check should fail)."""
    return any(violation.mandatory for violation in violations)


def to_records(violations: Iterable[Violation]) -> list[dict[str, str]]:
    """The violations as the ``--json`` output lists them."""
    return [violation.to_record() for violation in violations]


def format_text(violations: Sequence[Violation]) -> str:
    """A readable report: each violation with its policy, resource, problem and fix."""
    if not violations:
        return "No policy violations."
    blocks = []
    for violation in violations:
        if violation.urn:
            subject = f"{violation.type} {violation.name}\n    urn:      {violation.urn}"
        else:
            subject = f"{_STACK_TYPE} (the stack as a whole)"
        blocks.append(
            f"[{violation.enforcement}] {violation.policy} ({violation.severity})\n"
            f"    resource: {subject}\n"
            f"    problem:  {violation.message}\n"
            f"    fix:      {violation.remediation}"
        )
    mandatory = sum(1 for violation in violations if violation.mandatory)
    noun = "violation" if len(violations) == 1 else "violations"
    summary = (
        f"{len(violations)} policy {noun}: {mandatory} mandatory, "
        f"{len(violations) - mandatory} advisory."
    )
    return "\n\n".join([*blocks, summary])
