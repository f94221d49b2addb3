"""The ``claude-access`` command; exit codes and usage errors are those of
:mod:`claude_access.command_kit`, the same for every subcommand."""

from __future__ import annotations

import gc
import json
import logging
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import click

from claude_access.command_kit import FOUND_PROBLEMS, fail

__all__ = ["main"]

log = logging.getLogger("claude_access")


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
        fail(f"invalid stack config for {stack!r}:\n  " + "\n  ".join(error.problems))
    except planning.PlanError as error:
        fail(str(error))

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
        fail(str(error))


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
        fail(str(error))


# --- the offline main job --------------------------------------------------------------


class _Steps:
    """Numbered step headings, so that a step can be added anywhere without renumbering."""

    def __init__(self) -> None:
        self._number = 0

    def begin(self, title: str) -> None:
        if self._number:
            click.echo("")
        self._number += 1
        click.echo(f"== {self._number}. {title}")


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
    """Run the kit's main job offline: plan, policy check, smoke tests and failover drill."""
    from smoke_tests.emulator import PATH_KINDS, Emulator

    out.mkdir(parents=True, exist_ok=True)
    steps = _Steps()
    written: list[tuple[Path, str]] = []

    plan_file = _demo_plan(steps, stack, out)
    written.append((plan_file, "the plan document, with the stack's claudePaths output"))
    _demo_policy_check(steps, plan_file)

    # The steps that call Claude share one emulator, serving a path of every kind.
    manifest_file = out / f"{stack}.emulator-paths.json"
    with Emulator(PATH_KINDS) as emulator:
        emulator.write_manifest(manifest_file, stack=stack)
        written.append((manifest_file, "the emulator's manifest (its ports closed with the demo)"))
        junit_file = _demo_smoke(steps, stack, manifest_file, out)
        written.append((junit_file, "the smoke run as JUnit XML, as CI collects it"))
        drill_file = _demo_drill(steps, stack, manifest_file, out)
        written.append((drill_file, "the failover drill's report as JSON"))

    _demo_next(stack, written, manifest_file)


def _demo_plan(steps: _Steps, stack: str, out: Path) -> Path:
    """Render the stack's plan and write the plan document; return its file."""
    from claude_access import plan as planning
    from components.config import ConfigError

    steps.begin(f"plan: what `pulumi up -s {stack}` would create")
    try:
        rendered = planning.render_stack(stack)
    except ConfigError as error:
        fail(f"invalid stack config for {stack!r}:\n  " + "\n  ".join(error.problems))
    except planning.PlanError as error:
        fail(str(error))
    plan_file = out / f"{stack}.plan.json"
    plan_file.write_text(rendered.to_json(), encoding="utf-8")
    click.echo(format_tree(rendered.document))
    click.echo(summary(rendered.document))
    click.echo(f"plan document: {plan_file}")
    return plan_file


def _demo_policy_check(steps: _Steps, plan_file: Path) -> None:
    """Evaluate the policy pack over the plan; stop the demo on a mandatory violation."""
    from policies import offline

    steps.begin("policy check: the claude-access-guard policies over the plan")
    violations = _policy_violations(plan_file, None)
    click.echo(offline.format_text(violations))
    if offline.has_mandatory(violations):
        fail("the plan violates a mandatory policy; fix it before deploying", FOUND_PROBLEMS)


def _demo_smoke(steps: _Steps, stack: str, manifest_file: Path, out: Path) -> Path:
    """Run the smoke checks against the emulator's manifest; return the JUnit report's file."""
    from routing.manifest import load_manifest
    from smoke_tests import report, runner

    steps.begin("smoke tests: every path kind, served by the emulator on loopback")
    manifest = load_manifest(manifest_file)
    click.echo(f"manifest: {manifest_file} ({len(manifest.paths)} paths)")
    cases = runner.prepare(manifest, offline=True)
    result = runner.run(manifest, cases, timeout=10.0, deadline=60.0, allow_emulator=True)
    click.echo(report.format_report(result))
    junit_file = out / f"{stack}.smoke.xml"
    report.write_junit(result, junit_file)
    if not result.passed:
        fail("the smoke checks failed against the emulator; see the failures above", FOUND_PROBLEMS)
    return junit_file


def _demo_drill(steps: _Steps, stack: str, manifest_file: Path, out: Path) -> Path:
    """Break the first path on the client side and show that traffic moves and returns."""
    from routing.drill import DrillSettings, format_report, run_drills, to_json
    from routing.drill_command import quiet_routing_logs
    from routing.faults import FaultMode
    from routing.manifest import load_manifest

    quiet_routing_logs()
    manifest = load_manifest(manifest_file)
    first = manifest.ordered()[0].name
    steps.begin(f"failover drill: {first} refuses connections, the router moves on")
    settings = DrillSettings(
        mode=FaultMode.parse("refuse"), requests=10, bound=2.0, cooldown=0.5, attempt_timeout=2.0
    )
    reports = run_drills(manifest, [first], settings, allow_emulator=True)
    click.echo(format_report(manifest.stack, settings, reports))
    drill_file = out / f"{stack}.drill.json"
    drill_file.write_text(
        json.dumps(to_json(manifest.stack, settings, reports), indent=2), encoding="utf-8"
    )
    if not all(report.passed for report in reports):
        fail("the failover drill failed against the emulator; see the report above", FOUND_PROBLEMS)
    return drill_file


def _demo_next(stack: str, written: list[tuple[Path, str]], manifest_file: Path) -> None:
    """What a new user should look at, and run, after the demo."""
    click.echo("")
    click.echo("files written:")
    for file, what in written:
        click.echo(f"  - {file}: {what}")
    click.echo("")
    click.echo("next:")
    click.echo(
        f"  - `claude-access smoke --stack {stack}` runs the same checks against the deployed "
        "stack (needs the pulumi CLI and your AWS, Google and Azure sign-ins)"
    )
    click.echo(
        f"  - `claude-access emulate --manifest {manifest_file}` serves every path's Claude "
        f"endpoint on loopback; then `claude-access smoke --manifest {manifest_file} --offline`"
    )
    click.echo(
        f"  - `claude-access drill --stack {stack}` breaks each path of the deployed stack in "
        "turn, on the client side, and shows that traffic fails over and comes back"
    )
    click.echo(
        "  - `claude-access plan --stack prod` for production: two AWS regions, Google Cloud "
        "and Azure"
    )
    click.echo("  - `make test` for every check the kit has")


# --- schemas ---------------------------------------------------------------------------


@cli.command()
@click.argument("which", type=click.Choice(["config", "manifest", "plan"]))
def schema(which: str) -> None:
    """Print the JSON Schema of the stack config, the paths manifest or the plan document."""
    from claude_access import schemas

    click.echo(json.dumps(schemas.generate(which), indent=2, sort_keys=True))


def _register_commands() -> None:
    """Add the commands that live with their own package."""
    from routing.drill_command import drill
    from smoke_tests.command import smoke

    cli.add_command(smoke)
    cli.add_command(drill)


_register_commands()


def main() -> None:
    """Console entry point."""
    try:
        cli(prog_name="claude-access")
    finally:
        # A plan leaves the provider SDKs' tens of thousands of objects behind; the
        # interpreter's last collection of them on exit would take about a second.
        gc.freeze()


if __name__ == "__main__":
    main()
