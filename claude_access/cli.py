"""The ``claude-access`` command.

Exit codes are the same for every subcommand: 0 when the job is done and clean, 1 when
the job ran and found a problem (a failed check, a violated policy), 2 when the input
was wrong (a bad flag, an invalid stack config, an unreadable file). A user mistake
never prints a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, NoReturn

import click

__all__ = ["main"]

log = logging.getLogger("claude_access")

USAGE_ERROR = 2
FOUND_PROBLEMS = 1


def _fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what the command does.")
def cli(verbose: bool) -> None:
    """Private, governed and observable access to Claude on every path."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


# --- plan ------------------------------------------------------------------------------


@cli.command()
@click.option("--stack", "-s", required=True, help="The stack (environment), e.g. dev.")
@click.option(
    "--json",
    "json_file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the plan document to this file.",
)
@click.option(
    "--stacks-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Where the Pulumi.<stack>.yaml files are (default: the kit's stacks/).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
def plan(stack: str, json_file: Path | None, stacks_dir: Path | None, quiet: bool) -> None:
    """Show what `pulumi up` would create for a stack, offline."""
    from claude_access import plan as planning
    from components.config import ConfigError

    try:
        rendered = planning.render_stack(stack, stacks_dir or planning.STACKS_DIR)
    except ConfigError as error:
        _fail(f"invalid stack config for {stack!r}:\n  " + "\n  ".join(error.problems))
    except planning.PlanError as error:
        _fail(str(error))

    if not quiet:
        click.echo(format_tree(rendered.document))
    click.echo(summary(rendered.document))
    if json_file is not None:
        json_file.parent.mkdir(parents=True, exist_ok=True)
        json_file.write_text(rendered.to_json(), encoding="utf-8")
        click.echo(f"plan document written to {json_file}")


def summary(document: dict[str, Any]) -> str:
    """One line: how many resources, providers, components and paths a plan holds."""
    resources = document["resources"]
    providers = sum(1 for r in resources if r["type"].startswith("pulumi:providers:"))
    custom = sum(1 for r in resources if r["custom"]) - providers
    components = len(resources) - custom - providers
    paths = len(document["outputs"].get("claudePaths", {}).get("paths", []))
    return (
        f"plan for stack {document['stack']!r}: {custom} resources, {providers} "
        f"provider{'' if providers == 1 else 's'}, {components} components, {paths} paths"
    )


def format_tree(document: dict[str, Any]) -> str:
    """Resources grouped under their top-level component, with counts per type."""
    resources = document["resources"]
    by_urn = {resource["urn"]: resource for resource in resources}
    children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for resource in resources:
        parent = resource["parent"] if resource["parent"] in by_urn else None
        children[parent].append(resource)

    lines = [f"stack {document['project']}-{document['stack']}"]

    def walk(parent: str | None, depth: int) -> None:
        for resource in sorted(children[parent], key=lambda r: (r["custom"], r["type"], r["name"])):
            if resource["custom"]:
                lines.append(f"{'  ' * depth}+ {resource['type']}  {resource['name']}")
                continue
            count = _count_descendants(resource["urn"], children)
            lines.append(
                f"{'  ' * depth}{resource['type']}  {resource['name']}  "
                f"({count} resource{'' if count == 1 else 's'})"
            )
            walk(resource["urn"], depth + 1)

    walk(None, 1)
    totals = Counter(resource["type"] for resource in resources if resource["custom"])
    lines.append("")
    lines.append("resources by type:")
    width = max((len(type_) for type_ in totals), default=0)
    for type_, count in sorted(totals.items()):
        lines.append(f"  {type_:<{width}}  {count}")
    return "\n".join(lines)


def _count_descendants(urn: str, children: dict[str | None, list[dict[str, Any]]]) -> int:
    total = 0
    for child in children.get(urn, []):
        total += 1 if child["custom"] else _count_descendants(child["urn"], children)
    return total


# --- policy check ---------------------------------------------------------------------


@cli.command("policy-check")
@click.argument("plan_file", metavar="PLAN.json", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Policy config (JSON or YAML), as for `pulumi preview --policy-pack-config`.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the violations as JSON.")
def policy_check(plan_file: Path, config_file: Path | None, as_json: bool) -> None:
    """Evaluate the claude-access-guard policies against a plan document.

    Exits 0 when no mandatory policy is violated (advisory findings are still printed),
    1 when one is, 2 when the plan or the config cannot be used.
    """
    violations = _policy_violations(plan_file, config_file)
    from policies import offline

    if as_json:
        click.echo(json.dumps(offline.to_records(violations), indent=2))
    else:
        click.echo(offline.format_text(violations))
    if offline.has_mandatory(violations):
        sys.exit(FOUND_PROBLEMS)


def _policy_violations(plan_file: Path, config_file: Path | None) -> list[Any]:
    from policies import offline

    try:
        plan_document = offline.load_plan(plan_file)
        config = offline.load_config(config_file) if config_file is not None else None
        return offline.check(plan_document, config)
    except (offline.PlanError, offline.ConfigError) as error:
        _fail(str(error))


# --- the emulator ---------------------------------------------------------------------


@cli.command()
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["bedrock", "bedrock-mantle", "anthropic", "vertex", "foundry"]),
    help="Path kinds to serve, in priority order (repeatable; default: all five).",
)
@click.option(
    "--region", default="us-east-1", show_default=True, help="AWS region of the Bedrock paths."
)
@click.option(
    "--base-port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="First of consecutive ports, one per path; 0 picks free ports.",
)
@click.option(
    "--admin-port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port of the admin listener (faults, stats); 0 picks a free one.",
)
@click.option(
    "--manifest",
    "manifest_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a paths manifest that points every path at the emulator.",
)
@click.option("--stack", default="dev", show_default=True, help="Stack name for the manifest.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of fault randomness.")
def emulate(
    kinds: tuple[str, ...],
    region: str,
    base_port: int,
    admin_port: int,
    manifest_path: Path | None,
    stack: str,
    seed: int,
) -> None:
    """Serve Claude's endpoints of every path kind on loopback, until Ctrl+C."""
    from smoke_tests.emulator import run_forever

    try:
        run_forever(
            kinds=list(kinds) or None,
            region=region,
            base_port=base_port,
            admin_port=admin_port,
            manifest_path=manifest_path,
            stack=stack,
            seed=seed,
            echo=click.echo,
        )
    except (ValueError, OSError) as error:
        _fail(str(error))


# --- the offline main job --------------------------------------------------------------


@cli.command()
@click.option("--stack", "-s", default="dev", show_default=True, help="The stack to exercise.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Where to write the plan document and reports.",
)
def demo(stack: str, out: Path) -> None:
    """Run the kit's main job offline: plan, then every check that runs without a cloud."""
    from claude_access import plan as planning
    from components.config import ConfigError

    out.mkdir(parents=True, exist_ok=True)
    plan_file = out / f"{stack}.plan.json"

    click.echo(f"== 1. plan: what `pulumi up -s {stack}` would create")
    try:
        rendered = planning.render_stack(stack)
    except ConfigError as error:
        _fail(f"invalid stack config for {stack!r}:\n  " + "\n  ".join(error.problems))
    except planning.PlanError as error:
        _fail(str(error))
    plan_file.write_text(rendered.to_json(), encoding="utf-8")
    click.echo(format_tree(rendered.document))
    click.echo(summary(rendered.document))
    click.echo(f"plan document: {plan_file}")

    click.echo("")
    click.echo("== 2. policy check: the claude-access-guard policies over the plan")
    from policies import offline

    violations = _policy_violations(plan_file, None)
    click.echo(offline.format_text(violations))
    if offline.has_mandatory(violations):
        _fail("the plan violates a mandatory policy; fix it before deploying", FOUND_PROBLEMS)

    click.echo("")
    click.echo("next:")
    click.echo(f"  - read {plan_file} (the plan document) and its claudePaths output")
    click.echo("  - `claude-access emulate` serves every path's Claude endpoint on loopback")
    click.echo("  - `claude-access plan --stack prod` for the two-region production stack")
    click.echo("  - `make test` for every check the kit has")


# --- schemas ---------------------------------------------------------------------------


@cli.command()
@click.argument("which", type=click.Choice(["config", "manifest", "plan"]))
def schema(which: str) -> None:
    """Print the JSON Schema of the stack config, the paths manifest or the plan document."""
    from claude_access import schemas

    click.echo(json.dumps(schemas.generate(which), indent=2, sort_keys=True))


def main() -> None:
    """Console entry point."""
    cli(prog_name="claude-access")


if __name__ == "__main__":
    main()
